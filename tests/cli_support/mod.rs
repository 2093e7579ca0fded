//! Running the real `tally` binary from the command-line tests.

use std::path::Path;
use std::process::{Command, Output};

/// Run `tally` with `args` in `dir` and collect what it printed and how it exited.
pub fn tally(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tally"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run tally")
}
