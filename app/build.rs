//! Keeps the linker's relocations in the app's wasm: `cargo xtask build`
//! needs them to split the lead's and the administrator's screens into
//! chunks of their own (see `lazy_screen!` in `src/lib.rs`).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-cdylib=--emit-relocs");
    }
}
