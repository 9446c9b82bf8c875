//! `server`: the DIS dump console. See `cli.rs` for the commands and `startup.rs` for what
//! each starts.

use clap::Parser;
use std::process::ExitCode;

// Rendering a page allocates many small strings from every worker thread at once; glibc's
// allocator spent a quarter of the server's time in malloc and free under load (bench/ssr.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match server::cli::run(server::cli::Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}
