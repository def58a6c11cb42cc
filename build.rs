//! Link settings on Linux that shorten a one-off search, whose time is mostly the process
//! starting and page faults. `.cargo/config.toml` links statically with glibc, so that no
//! dynamic loader runs before `main`. The first two settings below are for a dynamically linked
//! build (`RUSTFLAGS` set in the environment replaces the config's flags), the first for
//! doctests too; the last applies to the `talksearch` binary only.
//!
//! - A position-dependent executable: a position-independent one is relocated at every start,
//!   the loader writing about 29,000 addresses over 130 pages of the binary, each write a page
//!   fault, which made up a third of a whole `talksearch search` (measured: `--version` 2.2 ms
//!   as PIE, 1.2 ms without). A static build is position-dependent already, but rustdoc does
//!   not get the config's flags and would link a position-independent doctest against the
//!   libraries' position-dependent code, which the linker refuses: so this applies to every
//!   program linked.
//! - The GCC unwinder linked in (`-static-libgcc`, as C++ programs do) rather than loaded from
//!   `libgcc_s.so`: the library's start-up code asks the CPU for its features with a dozen
//!   `cpuid` instructions, each a trap to the host under a hypervisor, which cost 0.15 ms of
//!   every start on the 2-core VM of the README's tables (an empty C program: 0.80 ms without
//!   the library, 0.95 ms with it, median of 2,000 alternating spawns).
//! - In release builds, the functions searches run laid out together, from the list that
//!   `benches/hot-symbols.sh` writes: page faults in the code of a rare-word search 64 → 13.
//!   Only linkers that take `--symbol-ordering-file` (LLD, which Rust uses on x86-64 Linux)
//!   get it.
//!
//! What the toolchain cannot do, a probe link of an empty program tells, and it is left out.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const HOT_SYMBOLS: &str = "benches/hot-symbols.txt";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed={HOT_SYMBOLS}");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "linux" || target_env != "gnu" {
        return;
    }
    println!("cargo:rustc-link-arg=-no-pie");
    let linked_statically = env::var("CARGO_CFG_TARGET_FEATURE")
        .is_ok_and(|features| features.split(',').any(|feature| feature == "crt-static"));
    if linked_statically && !links_with(&[]) {
        println!(
            "cargo:warning=a static program does not link here: glibc's static library is missing \
             (Debian, Ubuntu: libc6-dev; Fedora: glibc-static); or build dynamically with \
             RUSTFLAGS=\"-C target-feature=-crt-static\""
        );
    }
    if !linked_statically {
        // Listed before the standard library's `-lgcc_s`, so the linker finds the unwinder here
        // first and, linking `--as-needed`, then drops `libgcc_s.so`.
        let static_unwinder = "static:-bundle=gcc_eh";
        if links_with(&["-l".to_string(), static_unwinder.to_string()]) {
            println!("cargo:rustc-link-lib={static_unwinder}");
        }
    }

    let hot_symbols = Path::new(&env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join(HOT_SYMBOLS);
    if env::var("PROFILE").as_deref() == Ok("release") && hot_symbols.is_file() {
        let ordering = [
            format!("-Wl,--symbol-ordering-file={}", hot_symbols.display()),
            // Names that no longer match are expected after changes; they only lose their place.
            "-Wl,--no-warn-symbol-ordering".to_string(),
        ];
        if links_with(&ordering.iter().map(|arg| format!("-Clink-arg={arg}")).collect::<Vec<_>>()) {
            for arg in ordering {
                println!("cargo:rustc-link-arg-bins={arg}");
            }
        }
    }
}

/// Whether rustc links a program for the target with these extra rustc arguments.
fn links_with(rustc_args: &[String]) -> bool {
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else { return false };
    let source = out_dir.join("link_probe.rs");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let mut rustc = Command::new(env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
    rustc.arg("--crate-name=link_probe").arg("--edition=2021").arg("-o").arg(out_dir.join("link_probe"));
    if let Ok(target) = env::var("TARGET") {
        rustc.arg("--target").arg(target);
    }
    // The flags this build passes to rustc, which may choose another linker.
    if let Ok(flags) = env::var("CARGO_ENCODED_RUSTFLAGS") {
        rustc.args(flags.split('\x1f').filter(|flag| !flag.is_empty()));
    }
    if let Ok(linker) = env::var("RUSTC_LINKER") {
        rustc.arg(format!("-Clinker={linker}"));
    }
    rustc.args(rustc_args);
    rustc.arg(&source);
    rustc.output().is_ok_and(|output| output.status.success())
}
