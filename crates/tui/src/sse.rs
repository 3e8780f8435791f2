//! Server-Sent Events, read side: bytes in as they arrive (split anywhere), messages out, and
//! each message's data as a [`LiveEvent`]. Follows the SSE format: lines end with LF, CRLF or
//! CR; `data:` lines of one message are joined with newlines; a blank line ends a message;
//! lines starting with `:` are comments (the server's keep-alives); `event:` names the
//! message; `id:` and `retry:` are read and ignored.

use pitwall_live::LiveEvent;

/// The longest line kept; longer lines are dropped (a snapshot is a few kilobytes).
const MAX_LINE: usize = 1 << 22;

/// One SSE message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SseMessage {
    /// Its `event:` name; `None` for the default (`message`).
    pub event: Option<String>,
    /// Its data lines, joined by `\n`.
    pub data: String,
}

/// Turns SSE bytes into [`SseMessage`]s.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    too_long: bool,
    after_cr: bool,
    message: SseMessage,
    has_data: bool,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes of the stream; complete messages are appended to `out`.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<SseMessage>) {
        for &b in bytes {
            let after_cr = std::mem::take(&mut self.after_cr);
            match b {
                b'\n' if after_cr => {}
                b'\n' => self.end_line(out),
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(out);
                }
                _ if self.line.len() < MAX_LINE => self.line.push(b),
                _ => self.too_long = true,
            }
        }
    }

    fn end_line(&mut self, out: &mut Vec<SseMessage>) {
        let line = std::mem::take(&mut self.line);
        if std::mem::take(&mut self.too_long) {
            return;
        }
        if line.is_empty() {
            let message = std::mem::take(&mut self.message);
            if std::mem::take(&mut self.has_data) {
                out.push(message);
            }
            return;
        }
        let line = String::from_utf8_lossy(&line);
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.message.data.push('\n');
                }
                self.message.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.message.event = Some(value.to_owned()),
            _ => {}
        }
    }
}

/// The live event a message carries: `None` for messages of another kind (a named event
/// such as `error`); an error when its data is not a live event this version knows.
pub fn live_event(message: &SseMessage) -> Option<Result<LiveEvent, serde_json::Error>> {
    match message.event.as_deref() {
        None | Some("message") => Some(serde_json::from_str(&message.data)),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_in_pieces(stream: &[u8], piece: usize) -> Vec<SseMessage> {
        let mut parser = SseParser::new();
        let mut out = Vec::new();
        for chunk in stream.chunks(piece) {
            parser.push(chunk, &mut out);
        }
        out
    }

    #[test]
    fn messages_are_found_however_the_bytes_are_split() {
        let stream = b": keep-alive\n\ndata: {\"a\":1}\n\nevent: error\ndata: oops\r\n\r\n\
data:first\rdata: second\r\r:comment\nid: 7\nretry: 10\n\ndata\n\n";
        let want = vec![
            SseMessage {
                event: None,
                data: "{\"a\":1}".into(),
            },
            SseMessage {
                event: Some("error".into()),
                data: "oops".into(),
            },
            SseMessage {
                event: None,
                data: "first\nsecond".into(),
            },
            SseMessage {
                event: None,
                data: String::new(),
            },
        ];
        for piece in [1, 2, 3, 7, stream.len()] {
            assert_eq!(parse_in_pieces(stream, piece), want, "pieces of {piece}");
        }
    }

    #[test]
    fn a_message_is_only_complete_at_its_blank_line() {
        let mut parser = SseParser::new();
        let mut out = Vec::new();
        parser.push(b"data: {\"type\":\"status\"", &mut out);
        parser.push(b",\"connected\":true,\"message\":\"ok\"}\n", &mut out);
        assert!(out.is_empty());
        parser.push(b"\n", &mut out);
        assert_eq!(out.len(), 1);
        let event = live_event(&out[0]).map(Result::ok);
        assert_eq!(
            event,
            Some(Some(LiveEvent::Status {
                connected: true,
                message: "ok".into()
            }))
        );
    }

    #[test]
    fn live_events_from_the_server_parse_and_others_are_told_apart() {
        let snapshot = serde_json::to_string(&LiveEvent::Snapshot {
            state: Box::default(),
        })
        .unwrap();
        let text =
            format!("data: {snapshot}\n\nevent: error\ndata: x\n\ndata: {{\"type\":\"new\"}}\n\n");
        let out = parse_in_pieces(text.as_bytes(), 5);
        assert!(matches!(
            live_event(&out[0]),
            Some(Ok(LiveEvent::Snapshot { .. }))
        ));
        assert!(live_event(&out[1]).is_none());
        assert!(matches!(live_event(&out[2]), Some(Err(_))));
    }
}
