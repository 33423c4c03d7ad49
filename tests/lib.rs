//! Whole-project tests live beside this file: `architecture.rs` checks the
//! rules the crates must keep; `e2e/` drives the real server and the built
//! app in Debian's chromium (run by `cargo xtask test`).
