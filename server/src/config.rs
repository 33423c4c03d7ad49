//! Settings from command-line flags and the environment.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Clone, Parser)]
#[command(name = "helhed-server", version, about = "Helhed: support hours for citizens, offline first.")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HELHED_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Database URL. `sqlite://PATH` (created on first start) is the default.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/helhed.db")]
    pub database_url: String,

    /// Seed a demo municipality when the database is empty. Demo passwords are
    /// public: never use this with real data.
    #[arg(long, env = "HELHED_DEMO", default_value_t = false)]
    pub demo: bool,

    /// Folder with the built PWA (`cargo xtask build` writes it).
    #[arg(long, env = "HELHED_SITE_DIR", default_value = "dist")]
    pub site_dir: PathBuf,

    /// Mark the session cookie `Secure` (set this behind TLS).
    #[arg(long, env = "HELHED_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "HELHED_LOG_JSON", default_value_t = false)]
    pub log_json: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Apply migrations and exit.
    Migrate,
    /// Create an administrator (the first one, on a new database) and exit.
    /// The password is read from HELHED_ADMIN_PASSWORD, or else from the
    /// first line of standard input; at least 10 characters.
    CreateAdmin {
        /// Login name: 3–32 of a–z, 0–9, `.`, `_`, `-`.
        #[arg(long)]
        username: String,
        /// Full name, as colleagues know them.
        #[arg(long)]
        name: String,
    },
}
