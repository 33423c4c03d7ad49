//! Throwaway databases for tests and benchmarks: a SQLite file in a folder
//! the caller owns, or, when `HELHED_TEST_POSTGRES` names a PostgreSQL role
//! that may create databases, a fresh PostgreSQL database that is dropped
//! again with the value.

use std::path::Path;

/// The variable that switches tests to PostgreSQL.
pub const POSTGRES_VAR: &str = "HELHED_TEST_POSTGRES";

pub struct Scratch {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl Scratch {
    /// A new, empty database: `dir/name.db`, or a PostgreSQL database.
    pub async fn new(dir: &Path, name: &str) -> anyhow::Result<Scratch> {
        match std::env::var(POSTGRES_VAR) {
            Ok(admin) if !admin.is_empty() => {
                let db = format!("helhed_test_{}", uuid::Uuid::now_v7().simple());
                let url = super::create_postgres_database(&admin, &db).await?;
                Ok(Scratch { url, postgres: Some((admin, db)) })
            }
            _ => Ok(Scratch { url: format!("sqlite://{}/{name}.db", dir.display()), postgres: None }),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take() {
            // Drop may run inside a runtime: do the async work on a thread
            // of its own.
            let done = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                rt.block_on(super::drop_postgres_database(&admin, &name))
            })
            .join();
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => eprintln!("could not drop a scratch database: {e:#}"),
                Err(_) => eprintln!("could not drop a scratch database: the thread panicked"),
            }
        }
    }
}
