//! Login benchmark (issue 12, kind 9): prints figures, asserts nothing.
//!
//! Starts a release server with the demo municipality on SQLite as a child
//! process (this same binary with `--serve`), so its memory is its own, and
//! fires rounds of 200 logins at once over loopback: an attack on one user
//! (199 wrong passwords and the right one) and 200 different usernames
//! (every one a password hash: the most memory logins can ask for). Prints
//! the server's peak memory (`VmHWM` in `/proc/<pid>/status`) after each
//! round, and the share of the answers that were 201, 401, 429 and 503.
//! Run with `cargo xtask bench`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use serde_json::json;

const AT_ONCE: usize = 200;

/// The child: a server on a free loopback port; prints its address.
async fn serve(url: &str) -> anyhow::Result<()> {
    let config = server::Config::parse_from(["bench", "--demo", "--database-url", url, "--site-dir", "/nonexistent"]);
    let state = server::prepare(&config, server::Clock::system()).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("http://{}", listener.local_addr()?);
    server::serve(listener, state, std::future::pending()).await
}

/// A figure from `/proc/<pid>/status`, in MB.
fn status_mb(pid: u32, key: &str) -> anyhow::Result<f64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kb: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no {key} in /proc/{pid}/status"))?;
    Ok(kb / 1024.0)
}

/// Sends every login at once; counts the answers by status.
async fn round(base: &str, logins: Vec<(String, &'static str)>) -> anyhow::Result<BTreeMap<u16, usize>> {
    let http = reqwest::Client::new();
    let barrier = Arc::new(tokio::sync::Barrier::new(logins.len()));
    let tasks: Vec<_> = logins
        .into_iter()
        .map(|(user, password)| {
            let req = http
                .post(format!("{base}/api/session"))
                .header("x-requested-with", "helhed")
                .json(&json!({ "username": user, "password": password }));
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                req.send().await.map(|r| r.status().as_u16())
            })
        })
        .collect();
    let mut counts = BTreeMap::new();
    for t in tasks {
        *counts.entry(t.await??).or_insert(0) += 1;
    }
    Ok(counts)
}

fn shares(counts: &BTreeMap<u16, usize>) -> String {
    let total: usize = counts.values().sum();
    counts
        .iter()
        .map(|(status, n)| format!("{status}: {n} ({:.0} %)", *n as f64 * 100.0 / total as f64))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, url] = &args[..]
        && flag == "--serve"
    {
        return serve(url).await;
    }

    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}/bench.db", dir.path().display());
    let mut child = Command::new(std::env::current_exe()?)
        .args(["--serve", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let server = Server(child);
    let pid = server.0.id();
    let mut base = String::new();
    BufReader::new(stdout).read_line(&mut base)?;
    let base = base.trim().to_owned();
    anyhow::ensure!(base.starts_with("http://"), "the server did not start");

    println!(
        "server: pid {pid}, {} hashing slots; at rest {:.0} MB (peak so far {:.0} MB)",
        std::thread::available_parallelism().map_or(2, |n| n.get()),
        status_mb(pid, "VmRSS:")?,
        status_mb(pid, "VmHWM:")?
    );

    let mut attack: Vec<(String, &'static str)> = vec![("worker".to_owned(), "wrong-password"); AT_ONCE - 1];
    attack.insert(AT_ONCE / 2, ("worker".to_owned(), "demo1234"));
    let rounds = [
        ("one user attacked (199 wrong, 1 right)", attack),
        (
            "200 different usernames (200 hashes asked for)",
            (0..AT_ONCE).map(|i| (format!("user{i}"), "wrong-password")).collect(),
        ),
    ];
    for (name, logins) in rounds {
        let started = Instant::now();
        let counts = round(&base, logins).await?;
        println!(
            "{AT_ONCE} logins at once, {name}: {} in {:.2} s; server peak memory {:.0} MB (now {:.0} MB)",
            shares(&counts),
            started.elapsed().as_secs_f64(),
            status_mb(pid, "VmHWM:")?,
            status_mb(pid, "VmRSS:")?
        );
    }
    drop(server);
    Ok(())
}
