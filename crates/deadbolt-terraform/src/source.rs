//! Reading and parsing `.tf` files, with the limits that keep hostile input harmless.

use std::path::Path;
use std::sync::Arc;

use deadbolt_model::{LineIndex, Span};
use hcl_edit::structure::Body;

use crate::suppress::{self, Comment};
use deadbolt_model::{Diagnostic, Level};

/// A parsed `.tf` file.
pub(crate) struct SourceFile {
    /// The path as shown in reports.
    pub display: Arc<str>,
    pub text: String,
    pub index: LineIndex,
    pub body: Body,
    pub comments: Vec<Comment>,
}

impl SourceFile {
    /// The span of a byte range of this file.
    pub fn span(&self, range: Option<std::ops::Range<usize>>) -> Span {
        match range {
            Some(r) => Span {
                file: self.display.clone(),
                start: self.index.position(&self.text, r.start),
                end: self.index.position(&self.text, r.end),
            },
            None => Span::file(self.display.clone()),
        }
    }
}

/// Reads and parses one file. Every failure becomes a diagnostic that names the file (and the line
/// and column for parse errors).
pub(crate) fn read(path: &Path, display: Arc<str>) -> Result<SourceFile, Diagnostic> {
    let text = deadbolt_files::read_text(path, &display, "HCL")?;
    parse(display, text)
}

/// How long one file may take to parse. Real files parse in milliseconds; hcl-edit's parser
/// backtracks exponentially on some malformed input (a 562-byte fuzzer input took 18 s), so a file
/// that takes longer is reported and skipped instead of stalling the scan.
pub const PARSE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(5);

type Parsed = Result<Body, hcl_edit::parser::Error>;

/// A long-lived parser thread per calling thread, so the deadline costs a channel round trip per
/// file rather than a thread spawn. When a parse overruns, the helper is abandoned (a parse cannot
/// be interrupted; it finishes on its own and its result is dropped) and the next file gets a new
/// one.
struct Watchdog {
    to_parser: std::sync::mpsc::SyncSender<Arc<String>>,
    from_parser: std::sync::mpsc::Receiver<Parsed>,
}

impl Watchdog {
    fn spawn() -> Option<Watchdog> {
        let (to_parser, inbox) = std::sync::mpsc::sync_channel::<Arc<String>>(1);
        let (outbox, from_parser) = std::sync::mpsc::sync_channel(1);
        std::thread::Builder::new()
            .name("hcl-parse".into())
            .stack_size(16 * 1024 * 1024)
            .spawn(move || {
                while let Ok(text) = inbox.recv() {
                    let parsed = hcl_edit::parser::parse_body(&text);
                    drop(text);
                    if outbox.send(parsed).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Watchdog {
            to_parser,
            from_parser,
        })
    }
}

/// How many abandoned parser threads a process tolerates; after that, further files are reported
/// as not parsed rather than risk another thread that may never finish.
const MAX_STALLED_PARSERS: usize = 4;

/// Parser threads abandoned so far in this process.
static STALLED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

thread_local! {
    static WATCHDOG: std::cell::RefCell<Option<Watchdog>> = const { std::cell::RefCell::new(None) };
}

/// Why a file was not parsed.
enum Stall {
    /// The parser was still running at the deadline.
    Deadline,
    /// Too many earlier files stalled the parser; no new parser thread is started.
    TooMany,
}

/// Parses `text`, waiting at most `deadline`.
fn parse_with_deadline(
    text: String,
    deadline: std::time::Duration,
) -> Result<(String, Parsed), Stall> {
    let text = Arc::new(text);
    let parsed = WATCHDOG.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            // Each overrun leaves a parser thread running until it finishes; past a few, stop
            // spawning more so hostile input cannot fill the machine with spinning threads.
            if STALLED.load(std::sync::atomic::Ordering::Relaxed) >= MAX_STALLED_PARSERS {
                return Err(Stall::TooMany);
            }
            *slot = Watchdog::spawn();
        }
        let Some(dog) = slot.as_ref() else {
            // No thread to be had: parse here, without a deadline.
            return Ok(hcl_edit::parser::parse_body(&text));
        };
        let answer = dog
            .to_parser
            .send(text.clone())
            .ok()
            .and_then(|()| dog.from_parser.recv_timeout(deadline).ok());
        if answer.is_none() {
            // Overran (or the helper died): abandon it.
            *slot = None;
            STALLED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        answer.ok_or(Stall::Deadline)
    })?;
    let text = Arc::try_unwrap(text).unwrap_or_else(|shared| shared.as_ref().clone());
    Ok((text, parsed))
}

/// Parses `text`, the contents of the file shown as `display`.
pub(crate) fn parse(display: Arc<str>, text: String) -> Result<SourceFile, Diagnostic> {
    let (text, parsed) = parse_with_deadline(text, PARSE_DEADLINE).map_err(|stall| {
        let message = match stall {
            Stall::Deadline => format!(
                "the HCL parser did not finish within {} s (pathological input); skipped",
                PARSE_DEADLINE.as_secs()
            ),
            Stall::TooMany => format!(
                "not parsed: {MAX_STALLED_PARSERS} files already stalled the HCL parser in this scan"
            ),
        };
        Diagnostic::whole_file(Level::Error, display.clone(), message)
    })?;
    let body = parsed.map_err(|e| {
        let loc = e.location();
        Diagnostic {
            level: Level::Error,
            file: display.clone(),
            line: loc.line() as u32,
            column: loc.column() as u32,
            message: format!("HCL parse error: {}", e.message()),
        }
    })?;
    let index = LineIndex::new(&text);
    let strings = string_ranges(&body);
    let comments = suppress::scan(&display, &text)
        .into_iter()
        .filter(|c| !strings.iter().any(|r| r.contains(&c.offset)))
        .collect();
    Ok(SourceFile {
        display,
        text,
        index,
        body,
        comments,
    })
}

impl SourceFile {
    /// A file with no content, for evaluating expressions that did not come from a file.
    pub(crate) fn empty() -> Self {
        SourceFile {
            display: "<input>".into(),
            text: String::new(),
            index: LineIndex::new(""),
            body: Body::new(),
            comments: Vec::new(),
        }
    }
}

/// Byte ranges of every string literal, template and heredoc: text there is data, never a comment,
/// so a suppression marker inside one (a tag value, user data) must not count.
fn string_ranges(body: &Body) -> Vec<std::ops::Range<usize>> {
    use hcl_edit::Span as _;
    use hcl_edit::expr::Expression;
    use hcl_edit::visit::{Visit, visit_expr};

    struct Strings(Vec<std::ops::Range<usize>>);
    impl Visit for Strings {
        fn visit_expr(&mut self, expr: &Expression) {
            match expr {
                Expression::String(_)
                | Expression::StringTemplate(_)
                | Expression::HeredocTemplate(_) => {
                    self.0.extend(expr.span());
                }
                _ => visit_expr(self, expr),
            }
        }
    }
    let mut strings = Strings(Vec::new());
    strings.visit_body(body);
    strings.0
}
