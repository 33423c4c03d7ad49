//! Password hashing with argon2id. A hash is deliberately slow and takes
//! 19 MiB, so hashes run on a few threads of their own, never on the async
//! worker threads: one per core ([`concurrency`]), each with its memory
//! allocated once and reused for every hash. A request waits at most
//! [`HASH_WAIT`] for a thread, else it is refused with [`HashError::Busy`]
//! (the API answers 503 with `Retry-After`). So the memory logins take is
//! fixed whatever arrives at once: 40 logins at once once took 700 MB, one
//! blocking thread and one malloc arena per hash (issue 12, kind 9).
//!
//! (Bounding `spawn_blocking` with a semaphore was not enough: every new
//! blocking thread kept its own malloc arena with a 19 MiB block in it.)

use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

/// How long a hash waits for a thread before the request is refused:
/// longer than a handful of hashes take, short enough that a person retries.
pub const HASH_WAIT: Duration = Duration::from_secs(3);

/// What `Retry-After` says when hashing is busy, in seconds.
pub const BUSY_RETRY_SECS: u64 = 2;

/// Why no hash was made.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every hashing thread stayed taken for [`HASH_WAIT`].
    #[error("too many password hashes at once")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// How many hashes may run at once in this process: one per core.
pub fn concurrency() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// What a hashing thread is asked to do.
enum Work {
    Hash(String),
    Verify(String, Option<String>),
}

enum Done {
    Hashed(String),
    Verified(bool),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<anyhow::Result<Done>>,
    /// The turn this job holds: given back when the hashing thread is done
    /// with it, not when the asker goes away (a closed connection must not
    /// free a turn whose work is still queued).
    _turn: OwnedSemaphorePermit,
}

/// The hashing threads: as many as [`concurrency`], fed by one queue that
/// never holds more jobs than there are turns ([`turns`]). Per process, not
/// per user: it bounds this process's memory and CPU.
fn queue() -> &'static Mutex<mpsc::Sender<Job>> {
    static QUEUE: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..concurrency() {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new().name(format!("password-hash-{i}")).spawn(move || {
                // Allocated once: every hash of this thread reuses it.
                let mut memory = vec![Block::new(); Params::DEFAULT.block_count()];
                loop {
                    let job = match receiver.lock() {
                        Ok(r) => r.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    let done = match job.work {
                        Work::Hash(password) => hash_with(&password, &mut memory).map(Done::Hashed),
                        Work::Verify(password, stored) => {
                            let stored = stored.as_deref().unwrap_or(DUMMY_HASH);
                            verify_with(&password, stored, &mut memory).map(Done::Verified)
                        }
                    };
                    // The asker may have gone (a closed connection).
                    let _ = job.reply.send(done);
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password-hashing thread");
            }
        }
        Mutex::new(sender)
    })
}

/// The turns: one per hashing thread.
fn turns() -> &'static Arc<Semaphore> {
    static TURNS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    TURNS.get_or_init(|| Arc::new(Semaphore::new(concurrency())))
}

/// Runs `work` on a hashing thread once one is free (waiting at most
/// [`HASH_WAIT`]).
async fn run(work: Work) -> Result<Done, HashError> {
    let permit = match tokio::time::timeout(HASH_WAIT, turns().clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_closed)) => return Err(anyhow::anyhow!("BUG: the hashing turns are never closed").into()),
        Err(_elapsed) => return Err(HashError::Busy),
    };
    let (reply, done) = oneshot::channel();
    queue()
        .lock()
        .map_err(|_| anyhow::anyhow!("the hashing queue is poisoned"))?
        .send(Job { work, reply, _turn: permit })
        .map_err(|_| anyhow::anyhow!("no password-hashing thread is running"))?;
    let done = done.await.map_err(|_| anyhow::anyhow!("a password-hashing thread stopped"))?;
    Ok(done?)
}

/// Argon2 of `password` and `salt` into `out`, in `memory` (grown if the
/// parameters ask for more than it holds).
fn argon2_into(
    argon2: &Argon2<'_>,
    password: &str,
    salt: &[u8],
    out: &mut [u8],
    memory: &mut Vec<Block>,
) -> Result<(), argon2::Error> {
    let blocks = argon2.params().block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::new());
    }
    argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..])
}

/// A PHC string of `password` with a fresh salt, with OWASP's first
/// recommended argon2id configuration (19 MiB, 2 passes).
fn hash_with(password: &str, memory: &mut Vec<Block>) -> anyhow::Result<String> {
    let params = Params::DEFAULT;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon2_into(&argon2, password, salt_bytes, out, memory).map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("parameters: {e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `password` is the one `stored` (a PHC string) was made of, with
/// the parameters it names; compared in constant time.
fn verify_with(password: &str, stored: &str, memory: &mut Vec<Block>) -> anyhow::Result<bool> {
    let unreadable = |e: &dyn std::fmt::Display| anyhow::anyhow!("stored hash unreadable: {e}");
    let parsed = PasswordHash::new(stored).map_err(|e| unreadable(&e))?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| unreadable(&e))?;
    let version = parsed.version.map(Version::try_from).transpose().map_err(|e| unreadable(&e))?.unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(|e| unreadable(&e))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(anyhow::anyhow!("stored hash has no salt or output"));
    };
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| unreadable(&e))?;
    let argon2 = Argon2::new(algorithm, version, params);
    let computed = Output::init_with(expected.len(), |out| {
        argon2_into(&argon2, password, salt_bytes, out, memory).map_err(|_| argon2::password_hash::Error::Crypto)
    })
    .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    // `Output`'s equality is constant-time.
    Ok(computed == expected)
}

/// A PHC string of `password` with a fresh salt.
pub async fn hash(password: String) -> Result<String, HashError> {
    match run(Work::Hash(password)).await? {
        Done::Hashed(phc) => Ok(phc),
        Done::Verified(_) => Err(anyhow::anyhow!("BUG: a hash answered as a check").into()),
    }
}

/// Checks `password` against a stored PHC string. With no stored hash (an
/// unknown user) a dummy hash is checked anyway, so an unknown username takes
/// as long to refuse as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, HashError> {
    match run(Work::Verify(password, stored)).await? {
        Done::Verified(matches) => Ok(matches),
        Done::Hashed(_) => Err(anyhow::anyhow!("BUG: a check answered as a hash").into()),
    }
}

/// The argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Pj1WmVJ0zVqJ1+oQ6D0zWmZ3d7t3l4nQkq5qS8ZbV0E";

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("demo1234".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("demo1234".into(), Some(h.clone())).await.expect("verify"));
        assert!(!verify("demo12345".into(), Some(h)).await.expect("verify"));
        assert!(!verify("demo1234".into(), None).await.expect("dummy verifies"));
        assert!(verify("x".into(), Some("not a hash".into())).await.is_err());
    }

    /// The threads' own memory gives the argon2 crate's answers: hashes
    /// stored before (or made elsewhere) still verify, and ours verify there.
    #[test]
    fn the_same_hashes_as_argon2_itself() {
        let mut memory = Vec::new();
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default().hash_password(b"demo1234", &salt).expect("hash").to_string();
        assert!(verify_with("demo1234", &theirs, &mut memory).expect("verify"));
        assert!(!verify_with("demo12345", &theirs, &mut memory).expect("verify"));
        let ours = hash_with("demo1234", &mut memory).expect("hash");
        let parsed = PasswordHash::new(&ours).expect("PHC");
        assert!(Argon2::default().verify_password(b"demo1234", &parsed).is_ok());
        assert!(Argon2::default().verify_password(b"demo12345", &parsed).is_err());
        // Other parameters than ours, as an older hash might have.
        let params = Params::new(4096, 3, 1, None).expect("params");
        let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"gammel kode", &salt)
            .expect("hash")
            .to_string();
        assert!(verify_with("gammel kode", &other, &mut memory).expect("verify"));
        assert_eq!(memory.len(), Params::DEFAULT.block_count(), "memory is reused, not grown");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn many_hashes_at_once_each_get_a_turn_and_give_it_back() {
        let many = 4 * concurrency();
        let tasks: Vec<_> = (0..many).map(|i| tokio::spawn(verify(format!("gæt {i}"), None))).collect();
        for t in tasks {
            assert!(!t.await.expect("task").expect("a turn within the wait"));
        }
        // Given back: more hashes than there are turns all got one.
        assert!(verify("x".into(), None).await.is_ok());
    }
}
