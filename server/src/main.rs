//! `helhed-server`: read settings, open the database, serve.

use anyhow::Context;
use clap::Parser;
use server::config::Command;
use server::{Clock, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    if config.log_json {
        tracing_subscriber::fmt().json().with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }

    if let Some(Command::Migrate) = config.command {
        let db = server::db::connect(&config.database_url).await?;
        server::db::migrate(&db).await?;
        tracing::info!("migrations applied");
        return Ok(());
    }

    if let Some(Command::CreateAdmin { username, name }) = &config.command {
        let password = match std::env::var("HELHED_ADMIN_PASSWORD") {
            Ok(p) => p,
            Err(_) => {
                eprintln!("Password for {username} (at least 10 characters), then Enter:");
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            }
        };
        let db = server::db::connect(&config.database_url).await?;
        server::db::migrate(&db).await?;
        server::create_admin(&db, username, name, password, Clock::system().now()).await?;
        println!("Created administrator {username}. Start the server and log in.");
        return Ok(());
    }

    let state = server::prepare(&config, Clock::system()).await?;
    let listener =
        tokio::net::TcpListener::bind(config.bind).await.with_context(|| format!("binding {}", config.bind))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "listening");
    println!("Helhed is running at http://{addr}/");
    if config.demo {
        println!("Demo logins (password {}):", server::demo::DEMO_PASSWORD);
        for (username, name, roles) in server::demo::DEMO_USERS {
            let roles: Vec<_> = roles.iter().map(|r| r.code()).collect();
            println!("  {username:<12} {name} ({})", roles.join(", "));
        }
    }
    server::serve(listener, state, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => tracing::error!(error = %e, "cannot listen for SIGTERM"),
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
