//! JSON-RPC over stdio: `Content-Length` framing, one reader thread, one writer thread.
//!
//! The reader turns each frame into a [`Message`] and sends it, in the order it was read, into
//! the server's one inbox; the writer takes outgoing JSON values from a channel and frames them.
//! Neither thread looks at what the messages mean.

use std::io::{BufRead, Read, Write};
use std::sync::mpsc::{Receiver, Sender};

use serde_json::{json, Value};

/// One message from the client.
#[derive(Debug, Clone)]
pub enum Message {
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    Response {
        id: Value,
        result: Option<Value>,
        error: Option<Value>,
    },
    /// A frame that is not JSON-RPC: answered with a parse error.
    Invalid(String),
}

impl Message {
    /// Classify a JSON value as a request, notification or response.
    pub fn from_value(v: Value) -> Message {
        let Value::Object(mut o) = v else {
            return Message::Invalid("not an object".into());
        };
        let id = o.remove("id");
        let params = o.remove("params").unwrap_or(Value::Null);
        match (o.remove("method"), id) {
            (Some(Value::String(method)), Some(id)) => Message::Request { id, method, params },
            (Some(Value::String(method)), None) => Message::Notification { method, params },
            (None, Some(id)) => Message::Response {
                id,
                result: o.remove("result"),
                error: o.remove("error"),
            },
            _ => Message::Invalid("neither a request, a notification nor a response".into()),
        }
    }
}

/// Read one frame's body. `Ok(None)` at the end of the input.
pub fn read_frame(r: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut len: Option<usize> = None;
    let mut raw = Vec::new();
    loop {
        raw.clear();
        // Bytes, not `read_line`: a header line that is not UTF-8 is junk to skip, not the end.
        if r.read_until(b'\n', &mut raw)? == 0 {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&raw);
        let l = line.trim_end();
        if l.is_empty() {
            if len.is_some() {
                break;
            }
            continue; // stray blank line between frames
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.trim().eq_ignore_ascii_case("content-length") {
                len = v.trim().parse().ok();
                continue;
            }
        }
        // After a frame whose length was missing or wrong, the next header is glued to the
        // end of the previous body: find it there, so one bad frame costs only itself.
        if let Some(at) = l.to_ascii_lowercase().rfind("content-length:") {
            len = l[at + "content-length:".len()..].trim().parse().ok();
        }
    }
    // A frame larger than this is not a message an editor sends: stop reading.
    const MAX: usize = 512 << 20;
    let len = len.unwrap_or(0);
    if len > MAX {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body)?;
    Ok(Some(body))
}

/// Read messages from `input` until it ends, sending each to `inbox` wrapped by `wrap`.
pub fn spawn_reader<T: Send + 'static>(
    input: impl Read + Send + 'static,
    inbox: Sender<T>,
    wrap: impl Fn(Option<Message>) -> T + Send + 'static,
) {
    std::thread::spawn(move || {
        let mut r = std::io::BufReader::new(input);
        while let Ok(Some(body)) = read_frame(&mut r) {
            let msg = match serde_json::from_slice::<Value>(&body) {
                Ok(v) => Message::from_value(v),
                Err(e) => Message::Invalid(e.to_string()),
            };
            let is_exit = matches!(&msg, Message::Notification { method, .. } if method == "exit");
            if inbox.send(wrap(Some(msg))).is_err() || is_exit {
                return;
            }
        }
        let _ = inbox.send(wrap(None));
    });
}

/// Write every value sent on the returned channel as a frame on `output`.
pub fn spawn_writer(
    output: impl Write + Send + 'static,
) -> (Sender<Outgoing>, std::thread::JoinHandle<()>) {
    let (tx, rx): (Sender<Outgoing>, Receiver<Outgoing>) = std::sync::mpsc::channel();
    let handle = std::thread::spawn(move || {
        let mut out = std::io::BufWriter::new(output);
        while let Ok(v) = rx.recv() {
            let mut next = Some(v);
            while let Some(v) = next {
                let body = match v {
                    Outgoing::Json(v) => v.to_string(),
                    Outgoing::Raw(s) => s,
                };
                if write!(out, "Content-Length: {}\r\n\r\n{}", body.len(), body).is_err() {
                    return;
                }
                next = rx.try_recv().ok();
            }
            if out.flush().is_err() {
                return;
            }
        }
        let _ = out.flush();
    });
    (tx, handle)
}

/// A message for the client: a JSON value, or one already serialised (a large publish is
/// serialised once, on the loop, and compared with the last one as text).
pub enum Outgoing {
    Json(Value),
    Raw(String),
}

impl From<Value> for Outgoing {
    fn from(v: Value) -> Outgoing {
        Outgoing::Json(v)
    }
}

pub fn response(id: Value, result: Result<Value, (i64, String)>) -> Value {
    match result {
        Ok(r) => object([("jsonrpc", "2.0".into()), ("id", id), ("result", r)]),
        Err((code, message)) => object([
            ("jsonrpc", "2.0".into()),
            ("id", id),
            ("error", json!({"code": code, "message": message})),
        ]),
    }
}

/// A request's result: a JSON value, or one already serialised (a list of hundreds of
/// locations is written straight from the server's data, not built as a JSON tree first).
pub enum Answer {
    Json(Value),
    Raw(String),
}

/// The response to a request, ready to send.
pub fn answer(id: Value, result: Result<Answer, (i64, String)>) -> Outgoing {
    match result {
        Ok(Answer::Raw(body)) => Outgoing::Raw(format!(
            "{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{body}}}"
        )),
        Ok(Answer::Json(v)) => response(id, Ok(v)).into(),
        Err(e) => response(id, Err(e)).into(),
    }
}

/// A JSON-RPC notification.
pub fn notification(method: &str, params: Value) -> Value {
    object([
        ("jsonrpc", "2.0".into()),
        ("method", method.into()),
        ("params", params),
    ])
}

/// A JSON-RPC request from the server to the client.
pub fn request(id: i64, method: &str, params: Value) -> Value {
    object([
        ("jsonrpc", "2.0".into()),
        ("id", id.into()),
        ("method", method.into()),
        ("params", params),
    ])
}

/// A JSON object made by moving its parts in: `json!` copies every `Value` it is given, and a
/// publish, a completion list or a rename's edits can be large.
pub fn object<const N: usize>(parts: [(&str, Value); N]) -> Value {
    Value::Object(parts.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_by_length() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\ncontent-length: 4\r\n\r\nnull";
        let mut r = std::io::BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"{}");
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"null");
        assert!(read_frame(&mut r).unwrap().is_none());
    }

    #[test]
    fn a_bad_frame_costs_only_itself() {
        // No length, a length that is not a number, junk that is not UTF-8: the next
        // well-formed frame, glued to the junk, is still read.
        let input = b"Content-Type: x\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}\
Content-Length: x\r\n\r\n\xff\xfe junk Content-Length: 4\r\n\r\nnull";
        let mut r = std::io::BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"{}");
        assert_eq!(read_frame(&mut r).unwrap().unwrap(), b"null");
        assert!(read_frame(&mut r).unwrap().is_none());
    }
}
