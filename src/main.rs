//! The `tally` command: `check`, `extract`, `events` and `lsp`.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match tally::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    tally::cli::run(cli)
}

/// jemalloc: the analysis allocates small and often on every core (see `Cargo.toml`).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
