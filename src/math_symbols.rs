//! The five C math functions the binary calls, defined here so that it does not load
//! `libm.so.6`.
//!
//! tantivy's scoring and columnar code call `log`, `log2`, `log2f`, `logf` and `pow`, and
//! nothing else of the C math library. Loading the library for them (mapping it, relocating
//! it, running its resolvers) cost 0.09 ms of every start on the 2-core VM of the README's
//! tables: an empty C program took 0.80 ms without it and 0.89 ms with it, median of 2,000
//! alternating spawns. Definitions in the executable come first for the linker, which, linking
//! `--as-needed`, then drops the library. They are the `libm` crate's ports of musl's, which
//! are, like glibc's, the Arm optimized routines. A function used later that is not defined
//! here only brings the library back.

#[unsafe(no_mangle)]
extern "C" fn log(x: f64) -> f64 {
    libm::log(x)
}

#[unsafe(no_mangle)]
extern "C" fn log2(x: f64) -> f64 {
    libm::log2(x)
}

#[unsafe(no_mangle)]
extern "C" fn logf(x: f32) -> f32 {
    libm::logf(x)
}

#[unsafe(no_mangle)]
extern "C" fn log2f(x: f32) -> f32 {
    libm::log2f(x)
}

#[unsafe(no_mangle)]
extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agree_with_the_values_every_libm_gives() {
        assert_eq!(log(1.0), 0.0);
        assert!((log(std::f64::consts::E) - 1.0).abs() < 1e-15);
        assert_eq!(log2(1024.0), 10.0);
        assert_eq!(logf(1.0), 0.0);
        assert!((logf(std::f32::consts::E) - 1.0).abs() < 1e-6);
        assert_eq!(log2f(0.125), -3.0);
        assert_eq!(pow(2.0, 10.0), 1024.0);
        assert!((pow(10.0, 0.5) - 10f64.sqrt()).abs() < 1e-14);
        assert!(log(-1.0).is_nan() && logf(0.0) == f32::NEG_INFINITY);
    }
}
