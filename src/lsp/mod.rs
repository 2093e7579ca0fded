//! `tally lsp`: the language server, speaking LSP on stdin/stdout; thin glue over the core.
//!
//! - [`transport`]: JSON-RPC framing on two threads (reader, writer).
//! - [`server`]: the one loop that owns every document and corpus, and why edits cannot be
//!   reordered (see its module documentation).
//! - [`position`]: the only place wire positions (UTF-16 or UTF-8) meet byte offsets.
//! - [`workspace`]: corpus roots, article walking, analysis on worker threads.
//! - [`features`]: hover, go to definition, references, highlights, rename, symbols, commands.
//! - [`assist`]: completion, code actions, code lenses, inlay hints, semantic tokens.
//!
//! Custom protocol: the request `tally/documentText` (`{uri}` or `{textDocument: {uri}}`)
//! returns `{text, version}` of an open document as the server holds it; the commands
//! `tally.nextClaim` / `tally.previousClaim` (arguments: uri, position) return the
//! `Location` of the next / previous claim of the same event in corpus order, wrapping.

mod assist;
mod features;
pub mod position;
mod server;
mod transport;
mod workspace;

use std::io::{Read, Write};
use std::process::ExitCode;

use serde_json::{json, Value};

use position::Encoding;
use server::{Event, Server};

/// The commands `workspace/executeCommand` accepts.
pub const COMMANDS: [&str; 2] = ["tally.nextClaim", "tally.previousClaim"];

/// Semantic token types, in legend order: figures, qualifiers, source mentions, annotations.
pub const TOKEN_TYPES: [&str; 4] = ["number", "keyword", "class", "decorator"];

/// Run the language server on stdin/stdout until `exit` (or the end of the input). Blocks.
/// Exits with 0 after `shutdown` then `exit`, 1 otherwise (as LSP says).
pub fn run() -> ExitCode {
    run_on(std::io::stdin(), std::io::stdout())
}

/// Run the language server on any byte streams (for embedding and tests).
pub fn run_on(input: impl Read + Send + 'static, output: impl Write + Send + 'static) -> ExitCode {
    let (inbox, rx) = std::sync::mpsc::channel::<Event>();
    let (out, writer) = transport::spawn_writer(output);
    transport::spawn_reader(input, inbox.clone(), Event::Client);
    let clean = Server::new(out, inbox).run(rx);
    // The server (and with it the last sender) is gone: the writer drains and stops.
    let _ = writer.join();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The `initialize` result.
fn capabilities(enc: Encoding) -> Value {
    json!({
        "capabilities": {
            "positionEncoding": enc.name(),
            "textDocumentSync": {"openClose": true, "change": 2, "save": {"includeText": false}},
            "hoverProvider": true,
            "definitionProvider": true,
            "referencesProvider": true,
            "documentHighlightProvider": true,
            "renameProvider": {"prepareProvider": true},
            "completionProvider": {"triggerCharacters": ["{", " ", "="], "resolveProvider": false},
            "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor"]},
            "codeLensProvider": {"resolveProvider": false},
            "inlayHintProvider": true,
            "semanticTokensProvider": {
                "legend": {"tokenTypes": TOKEN_TYPES, "tokenModifiers": []},
                "full": true,
                "range": false
            },
            "documentSymbolProvider": true,
            "workspaceSymbolProvider": true,
            "executeCommandProvider": {"commands": COMMANDS},
            "workspace": {"workspaceFolders": {"supported": true, "changeNotifications": true}}
        },
        "serverInfo": {"name": "tally", "version": env!("CARGO_PKG_VERSION")}
    })
}
