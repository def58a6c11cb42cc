//! How the binary is linked, which sets how long a one-off search takes to start.
//! `.cargo/config.toml` links statically on Linux with glibc.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

/// The program header types of an ELF executable (little-endian, 64-bit).
fn program_header_types(elf: &[u8]) -> Vec<u32> {
    assert_eq!(&elf[..4], b"\x7fELF", "not an ELF file");
    assert_eq!((elf[4], elf[5]), (2, 1), "not a 64-bit little-endian ELF file");
    let u16_at = |at: usize| u16::from_le_bytes([elf[at], elf[at + 1]]) as usize;
    let table = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (entry_size, entries) = (u16_at(0x36), u16_at(0x38));
    (0..entries)
        .map(|n| {
            let at = table + n * entry_size;
            u32::from_le_bytes(elf[at..at + 4].try_into().unwrap())
        })
        .collect()
}

const PT_DYNAMIC: u32 = 2;
const PT_INTERP: u32 = 3;

/// A dynamically linked binary runs the dynamic loader before `main`: a sixth of the
/// instructions of a rare-word search.
#[test]
fn the_binary_starts_without_the_dynamic_loader() {
    let binary = std::fs::read(env!("CARGO_BIN_EXE_talksearch")).expect("read the talksearch binary");
    let types = program_header_types(&binary);
    assert!(!types.is_empty(), "no program headers");
    assert!(!types.contains(&PT_INTERP), "the binary names a dynamic loader: {types:?}");
    assert!(!types.contains(&PT_DYNAMIC), "the binary has a dynamic section: {types:?}");
}
