//! Links the `talksearch` binary as a position-dependent executable on Linux.
//!
//! A position-independent executable is relocated at every start: the loader writes about
//! 29,000 addresses over 130 pages of the binary, each write a page fault, which made up a
//! third of a whole `talksearch search` (measured: `--version` 2.2 ms as PIE, 1.2 ms without).
//! Only binaries are affected; the library, tests and benches link as usual.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
