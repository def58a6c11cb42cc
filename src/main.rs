//! The `talksearch` binary: parse arguments, run, map the outcome to grep's exit codes
//! (0 found, 1 nothing found, 2 error).

mod cli;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod math_symbols;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    match cli::run(cli) {
        Ok(cli::Outcome::Success) => ExitCode::SUCCESS,
        Ok(cli::Outcome::NothingFound) => ExitCode::from(1),
        Ok(cli::Outcome::PartialFailure) => ExitCode::from(2),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("talksearch: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A reader that stopped reading (`talksearch search x | head -1`) is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}
