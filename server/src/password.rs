//! Password hashing with argon2id. Hashing is deliberately slow, so it runs
//! on the blocking pool, never on the async worker threads.

use anyhow::Context;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    // OWASP's first recommended argon2id configuration: 19 MiB, 2 passes.
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await
    .context("hashing task")?
}

/// Checks `password` against a stored PHC string. With no stored hash (an
/// unknown user) a dummy hash is checked anyway, so an unknown username takes
/// as long to refuse as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_owned());
        let parsed = PasswordHash::new(&stored).map_err(|e| anyhow::anyhow!("stored hash unreadable: {e}"))?;
        Ok(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .context("verification task")?
}

/// The argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Pj1WmVJ0zVqJ1+oQ6D0zWmZ3d7t3l4nQkq5qS8ZbV0E";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = hash("demo1234".into()).await.expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("demo1234".into(), Some(h.clone())).await.expect("verify"));
        assert!(!verify("demo12345".into(), Some(h)).await.expect("verify"));
        assert!(!verify("demo1234".into(), None).await.expect("dummy verifies"));
    }
}
