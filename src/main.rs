//! The `tally` command: `check`, `extract`, `events` and `lsp`.

fn main() {}
