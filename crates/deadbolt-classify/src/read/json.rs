//! JSON and NDJSON: each string and number is scanned with its key path (`$.customer.ssn`,
//! `$.items[3].card`) as context, and placed at its line and byte offset in the file.
//!
//! The document is walked as serde_json parses it, with no tree built: a tree of a document of
//! many small values takes several times the document's size, and it was the largest part of the
//! reader's memory and time.

use std::fmt::Write as _;
use std::io::{self, BufRead, Read};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::Scan;

/// JSON strings and numbers waiting to be scanned together.
#[derive(Default)]
pub(super) struct Strings {
    /// The values, each followed by `\n` (none holds one).
    text: String,
    /// The key paths of the values, one after another.
    paths: String,
    /// Per value: the end of its key path in `paths` (it starts where the previous one ends), its
    /// line and file offset, and where it starts in `text`.
    place: Vec<(usize, u64, u64, usize)>,
}

impl Strings {
    fn clear(&mut self) {
        self.text.clear();
        self.paths.clear();
        self.place.clear();
    }

    /// The key path of value `k`.
    fn path(&self, k: usize) -> Option<&str> {
        let end = self.place.get(k)?.0;
        let start = k.checked_sub(1).map_or(0, |p| self.place[p].0);
        self.paths.get(start..end)
    }
}

impl Scan<'_> {
    /// One JSON document of at most `json_max` bytes, read whole and walked as it parses.
    ///
    /// # Errors
    /// `InvalidData` when the document is larger than `json_max` or is not JSON (the caller then
    /// reads the file as plain text); the reader's own errors.
    pub(super) fn json(&mut self, input: &mut dyn BufRead) -> io::Result<()> {
        let max = self.options.json_max;
        let mut raw = Vec::new();
        input.take(max as u64 + 1).read_to_end(&mut raw)?;
        if raw.len() > max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("JSON document over {} MB", max / (1024 * 1024)),
            ));
        }
        let text = std::str::from_utf8(&raw)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("not JSON ({e})")))?;
        self.largest_chunk = self.largest_chunk.max(raw.len());
        let (text, offset) = without_bom(text, 0);
        if let Err(e) = self.json_text(text, offset, 1, false) {
            self.strings.clear();
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not JSON ({e})"),
            ));
        }
        self.flush_strings();
        Ok(())
    }

    /// One NDJSON line, `bytes` at file `offset` and `line`: whether it was JSON. A line that is
    /// not leaves nothing behind, to be scanned as text.
    pub(super) fn json_line(&mut self, bytes: &[u8], offset: u64, line: u64) -> bool {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return false;
        };
        let (text, offset) = without_bom(text, offset);
        let mark = (
            self.strings.text.len(),
            self.strings.paths.len(),
            self.strings.place.len(),
        );
        if self.json_text(text, offset, line, true).is_err() {
            self.strings.text.truncate(mark.0);
            self.strings.paths.truncate(mark.1);
            self.strings.place.truncate(mark.2);
            return false;
        }
        self.largest_chunk = self.largest_chunk.max(bytes.len());
        if self.strings.text.len() >= self.options.block {
            self.flush_strings();
        }
        true
    }

    /// Walks the JSON value that is all of `text` (at file `offset` and `line`), gathering its
    /// strings and numbers; with `hold`, the gathered values are not scanned before the walk
    /// ends, so that a parse error can take them back.
    fn json_text(
        &mut self,
        text: &str,
        offset: u64,
        line: u64,
        hold: bool,
    ) -> Result<(), serde_json::Error> {
        let mut at = Locator::new(text, offset, line);
        let mut path = String::from("$");
        let mut de = serde_json::Deserializer::from_str(text);
        Walk {
            scan: self,
            path: &mut path,
            at: &mut at,
            hold,
        }
        .deserialize(&mut de)?;
        de.end()
    }

    /// Gathers a JSON string or number under `path` at file `offset` and `line`: one without a
    /// newline is scanned with others, each as its own text, once the batch is full (unless
    /// `hold`); one with a newline is scanned on its own.
    fn json_value(&mut self, s: &str, path: &str, offset: u64, line: u64, hold: bool) {
        if s.is_empty() {
            return;
        }
        if s.contains('\n') {
            if !hold {
                self.flush_strings();
            }
            self.record(s, Some(path), offset, line, None, true);
            return;
        }
        self.largest_chunk = self.largest_chunk.max(s.len());
        let start = self.strings.text.len();
        self.strings.text.push_str(s);
        self.strings.text.push('\n');
        self.strings.paths.push_str(path);
        self.strings
            .place
            .push((self.strings.paths.len(), line, offset, start));
        if !hold && self.strings.text.len() >= self.options.block {
            self.flush_strings();
        }
    }

    /// Scans the gathered JSON values (one per line), each with its key path as context.
    pub(super) fn flush_strings(&mut self) {
        let mut batch = std::mem::take(&mut self.strings);
        if batch.text.is_empty() {
            return;
        }
        let text = &batch.text[..batch.text.len() - 1];
        let path = |l: usize| batch.path(l);
        for lm in self
            .engine
            .scan_fields(text, path, self.options.min_confidence)
        {
            let Some(&(_, line, offset, start)) = batch.place.get(lm.line) else {
                continue;
            };
            let at = (line, offset + (lm.found.start - start) as u64);
            self.add(lm.found, batch.path(lm.line), |_| at);
        }
        batch.clear();
        self.strings = batch;
    }
}

/// `text` (at file `offset`) without the UTF-8 byte order mark some Windows tools write first,
/// which JSON parsers refuse (RFC 8259, 8.1: "MAY ignore the presence of a BOM").
fn without_bom(text: &str, offset: u64) -> (&str, u64) {
    match text.strip_prefix('\u{feff}') {
        Some(rest) if offset == 0 => (rest, 3),
        _ => (text, offset),
    }
}

/// A JSON value being parsed: its strings and numbers go to `scan` with `path`, placed by `at`.
struct Walk<'w, 'e, 't> {
    scan: &'w mut Scan<'e>,
    path: &'w mut String,
    at: &'w mut Locator<'t>,
    hold: bool,
}

impl<'e, 't> Walk<'_, 'e, 't> {
    /// The walk of a value inside this one (its path extended by the caller).
    fn child(&mut self) -> Walk<'_, 'e, 't> {
        Walk {
            scan: &mut *self.scan,
            path: &mut *self.path,
            at: &mut *self.at,
            hold: self.hold,
        }
    }

    fn value(self, s: &str, place: (u64, u64)) {
        let (offset, line) = place;
        self.scan.json_value(s, self.path, offset, line, self.hold);
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let len = self.path.len();
        loop {
            self.path.push('.');
            let key = Key {
                path: self.path,
                at: self.at,
            };
            let Some((offset, line)) = map.next_key_seed(key)? else {
                break;
            };
            // A key is data too (a map keyed by card number or e-mail address), with the path of
            // the object holding it as context, as a CSV header cell is scanned.
            let (parent, key) = self.path.split_at(len);
            if self.scan.engine.may_match(&key[1..]) {
                self.scan
                    .json_value(&key[1..], parent, offset, line, self.hold);
            }
            map.next_value_seed(self.child())?;
            self.path.truncate(len);
        }
        self.path.truncate(len);
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let len = self.path.len();
        for i in 0usize.. {
            let _ = write!(self.path, "[{i}]");
            let more = seq.next_element_seed(self.child())?;
            self.path.truncate(len);
            if more.is_none() {
                break;
            }
        }
        Ok(())
    }

    /// A string without escapes: a slice of the source, so its place is known exactly.
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<(), E> {
        let place = self.at.at_slice(s);
        self.value(s, place);
        Ok(())
    }

    /// A string with escapes: found in the source by its JSON spelling as serde_json writes it
    /// (`\"`, `\n`, `\u0001`), which most writers share; one spelled otherwise (`\u0041` for `A`)
    /// is placed at the next string spelled that way, or where the walk stands.
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        let place = self
            .at
            .find(&serde_json::to_string(s).unwrap_or_default(), 1);
        self.value(s, place);
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<(), E> {
        self.number(serde_json::Number::from(n))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<(), E> {
        self.number(serde_json::Number::from(n))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<(), E> {
        match serde_json::Number::from_f64(n) {
            Some(n) => self.number(n),
            None => Ok(()),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

impl Walk<'_, '_, '_> {
    /// A number, as serde_json writes it (the source may spell it otherwise: `1E3`, `1.50`; it is
    /// then placed where the locator stands).
    fn number<E: de::Error>(self, n: serde_json::Number) -> Result<(), E> {
        let s = n.to_string();
        let place = self.at.find(&s, 0);
        self.value(&s, place);
        Ok(())
    }
}

/// A map key, appended to the key path; its place in the source, found as a string value's is.
struct Key<'k, 't> {
    path: &'k mut String,
    at: &'k mut Locator<'t>,
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = (u64, u64);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(u64, u64), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = (u64, u64);

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<(u64, u64), E> {
        self.path.push_str(key);
        Ok(self.at.at_slice(key))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(u64, u64), E> {
        self.path.push_str(key);
        Ok(self
            .at
            .find(&serde_json::to_string(key).unwrap_or_default(), 1))
    }
}

/// How far past the previous value [`Locator::find`] looks for the next one, bytes: what lies
/// between two values is keys, punctuation, `null`, `true` and `false`.
const SEARCH_AHEAD: usize = 4096;

/// Places parsed JSON values in the source text, moving forward in document order, so findings
/// get a line and byte offset.
struct Locator<'t> {
    text: &'t str,
    base: u64,
    cursor: usize,
    line: u64,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str, base: u64, line: u64) -> Self {
        Locator {
            text,
            base,
            cursor: 0,
            line,
        }
    }

    /// The file offset and line of `s`, a slice of the source text (a string the parser
    /// borrowed), exactly, even if an escaped string searched for before it was found further on;
    /// of the current position when it is not such a slice.
    fn at_slice(&mut self, s: &str) -> (u64, u64) {
        let start = (s.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        if start > self.text.len() {
            return (self.base + self.cursor as u64, self.line);
        }
        if start < self.cursor {
            let back = &self.text.as_bytes()[start..self.cursor];
            self.line -= memchr::memchr_iter(b'\n', back).count() as u64;
            self.cursor = start;
        }
        self.move_to(start, s.len())
    }

    /// The file offset (plus `skip`, past an opening quote) and line of the next `needle` within
    /// [`SEARCH_AHEAD`] bytes of the current position; where the source spells it differently,
    /// the current position. The search is bounded so that a document of many strings spelled
    /// otherwise (`\u00e9` for `é`) costs time in proportion to its size, not to its square.
    fn find(&mut self, needle: &str, skip: usize) -> (u64, u64) {
        let ahead = &self.text.as_bytes()[self.cursor..];
        let ahead = &ahead[..ahead.len().min(SEARCH_AHEAD + needle.len())];
        match memchr::memmem::find(ahead, needle.as_bytes()) {
            Some(i) => {
                let (offset, line) = self.move_to(self.cursor + i, needle.len());
                (offset + skip as u64, line)
            }
            None => (self.base + self.cursor as u64, self.line),
        }
    }

    /// Moves past the `len` bytes at `at`: their file offset and line.
    fn move_to(&mut self, at: usize, len: usize) -> (u64, u64) {
        self.line +=
            memchr::memchr_iter(b'\n', &self.text.as_bytes()[self.cursor..at]).count() as u64;
        self.cursor = (at + len).min(self.text.len());
        (self.base + at as u64, self.line)
    }
}
