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
    /// For values written with escapes, where the source and the value stop going in step (see
    /// [`Escapes`]), one value's after another's.
    escapes: Vec<(usize, usize)>,
    /// Per value: the end of its key path in `paths` and of its steps in `escapes` (each starts
    /// where the previous value's ends), its line and file offset, and where it starts in `text`.
    place: Vec<(usize, usize, u64, u64, usize)>,
    /// Values holding a newline (written `\n` in the source), scanned one by one.
    long: Vec<Long>,
}

/// A gathered JSON value that holds a newline.
struct Long {
    value: String,
    path: String,
    line: u64,
    offset: u64,
    steps: Vec<(usize, usize)>,
}

impl Strings {
    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.paths.clear();
        self.escapes.clear();
        self.place.clear();
        self.long.clear();
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty() && self.long.is_empty()
    }

    /// How much is gathered, to take back to with [`Strings::truncate`].
    fn mark(&self) -> [usize; 5] {
        [
            self.text.len(),
            self.paths.len(),
            self.escapes.len(),
            self.place.len(),
            self.long.len(),
        ]
    }

    fn truncate(&mut self, mark: [usize; 5]) {
        self.text.truncate(mark[0]);
        self.paths.truncate(mark[1]);
        self.escapes.truncate(mark[2]);
        self.place.truncate(mark[3]);
        self.long.truncate(mark[4]);
    }

    /// The key path of value `k`.
    fn path(&self, k: usize) -> Option<&str> {
        let end = self.place.get(k)?.0;
        let start = k.checked_sub(1).map_or(0, |p| self.place[p].0);
        self.paths.get(start..end)
    }

    /// The steps of value `k`.
    fn steps(&self, k: usize) -> &[(usize, usize)] {
        let Some(&(_, end, ..)) = self.place.get(k) else {
            return &[];
        };
        let start = k.checked_sub(1).map_or(0, |p| self.place[p].1);
        self.escapes.get(start..end).unwrap_or_default()
    }
}

/// Where a string written with escapes and its value go out of step: pairs (byte offset in the
/// value, byte offset in the source text after the opening quote), one after each escape, so a
/// position in the value maps back to the source. Empty for a string without escapes.
struct Escapes;

impl Escapes {
    /// The steps of `raw`, a JSON string's source between its quotes.
    fn of(raw: &str) -> Vec<(usize, usize)> {
        let bytes = raw.as_bytes();
        let (mut value, mut at) = (0usize, 0usize);
        let mut steps = Vec::new();
        while let Some(i) = memchr::memchr(b'\\', &bytes[at..]) {
            value += i;
            at += i;
            let (source_len, value_len) = match bytes.get(at + 1) {
                Some(b'u') => {
                    let unit = |from: usize| {
                        raw.get(from..from + 4)
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                    };
                    match unit(at + 2) {
                        // A surrogate pair: one character of four bytes.
                        Some(0xD800..=0xDBFF)
                            if bytes.get(at + 6..at + 8) == Some(b"\\u")
                                && unit(at + 8).is_some_and(|l| (0xDC00..=0xDFFF).contains(&l)) =>
                        {
                            (12, 4)
                        }
                        Some(c) => (6, char::from_u32(c).map_or(3, char::len_utf8)),
                        None => (2, 1),
                    }
                }
                _ => (2, 1),
            };
            value += value_len;
            at += source_len;
            steps.push((value, at));
        }
        steps
    }

    /// The source offset (after the opening quote) of value offset `k`.
    fn source(steps: &[(usize, usize)], k: usize) -> usize {
        match steps.partition_point(|&(v, _)| v <= k) {
            0 => k,
            n => {
                let (v, a) = steps[n - 1];
                a + (k - v)
            }
        }
    }
}

impl Scan<'_> {
    /// One JSON document of at most `json_max` bytes, read whole and walked as it parses.
    ///
    /// # Errors
    /// `InvalidData` when the document is larger than `json_max` or is not JSON (the caller then
    /// reads the file as plain text); the reader's own errors.
    pub(super) fn json(&mut self, input: &mut dyn BufRead) -> io::Result<()> {
        // The scan's spare buffer, kept from file to file (see `Spare`).
        let mut raw = std::mem::take(&mut self.raw);
        raw.clear();
        let result = self.json_document(input, &mut raw);
        raw.clear();
        self.raw = raw;
        result
    }

    fn json_document(&mut self, input: &mut dyn BufRead, raw: &mut Vec<u8>) -> io::Result<()> {
        let max = self.options.json_max;
        input.take(max as u64 + 1).read_to_end(raw)?;
        if raw.len() > max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("JSON document over {} MB", max / (1024 * 1024)),
            ));
        }
        let text = std::str::from_utf8(raw)
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
        let mark = self.strings.mark();
        if self.json_text(text, offset, line, true).is_err() {
            self.strings.truncate(mark);
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

    /// Gathers a JSON string or number under `path` at file `offset` and `line`, with the steps
    /// that map its bytes back to the source ([`Escapes`]); the batch is scanned once it is full
    /// (unless `hold`). A value with a newline is kept apart and scanned on its own.
    fn json_value(
        &mut self,
        s: &str,
        path: &str,
        place: (u64, u64),
        steps: Vec<(usize, usize)>,
        hold: bool,
    ) {
        let (offset, line) = place;
        if s.is_empty() {
            return;
        }
        self.largest_chunk = self.largest_chunk.max(s.len());
        if s.contains('\n') {
            self.strings.long.push(Long {
                value: s.to_string(),
                path: path.to_string(),
                line,
                offset,
                steps,
            });
        } else {
            let start = self.strings.text.len();
            self.strings.text.push_str(s);
            self.strings.text.push('\n');
            self.strings.paths.push_str(path);
            self.strings.escapes.extend(steps);
            let ends = (self.strings.paths.len(), self.strings.escapes.len());
            self.strings
                .place
                .push((ends.0, ends.1, line, offset, start));
        }
        if !hold && self.strings.text.len() >= self.options.block {
            self.flush_strings();
        }
    }

    /// Scans the gathered JSON values (one per line), each with its key path as context. Every
    /// finding is on its string's line (a JSON string holds no line break of the source).
    pub(super) fn flush_strings(&mut self) {
        let mut batch = std::mem::take(&mut self.strings);
        if batch.is_empty() {
            return;
        }
        if !batch.text.is_empty() {
            let text = &batch.text[..batch.text.len() - 1];
            let path = |l: usize| batch.path(l);
            for lm in self
                .engine
                .scan_fields(text, path, self.options.min_confidence)
            {
                let Some(&(_, _, line, offset, start)) = batch.place.get(lm.line) else {
                    continue;
                };
                let k = Escapes::source(batch.steps(lm.line), lm.found.start - start);
                let at = (line, offset + k as u64);
                self.add(lm.found, batch.path(lm.line), |_| at);
            }
        }
        for long in &batch.long {
            for m in self
                .engine
                .scan(&long.value, Some(&long.path), self.options.min_confidence)
            {
                let at = (
                    long.line,
                    long.offset + Escapes::source(&long.steps, m.start) as u64,
                );
                self.add(m, Some(&long.path), |_| at);
            }
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

    fn value(self, s: &str, place: (u64, u64), steps: Vec<(usize, usize)>) {
        self.scan.json_value(s, self.path, place, steps, self.hold);
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
            let Some((place, steps)) = map.next_key_seed(key)? else {
                break;
            };
            // A key is data too (a map keyed by card number or e-mail address), with the path of
            // the object holding it as context, as a CSV header cell is scanned.
            let (parent, key) = self.path.split_at(len);
            if self.scan.engine.may_match(&key[1..]) {
                self.scan
                    .json_value(&key[1..], parent, place, steps, self.hold);
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
        self.value(s, place, Vec::new());
        Ok(())
    }

    /// A string with escapes: its source is the next string token, whose escapes map the
    /// value's offsets back to the source.
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        let (place, steps) = self.at.escaped(s);
        self.value(s, place, steps);
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
        self.value(&s, place, Vec::new());
        Ok(())
    }
}

/// A map key, appended to the key path; its place in the source, found as a string value's is.
struct Key<'k, 't> {
    path: &'k mut String,
    at: &'k mut Locator<'t>,
}

/// Where a string is in the source: file offset and line, and the steps of its escapes.
type Placed = ((u64, u64), Vec<(usize, usize)>);

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = Placed;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Placed, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = Placed;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Placed, E> {
        self.path.push_str(key);
        Ok((self.at.at_slice(key), Vec::new()))
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Placed, E> {
        self.path.push_str(key);
        Ok(self.at.escaped(key))
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
        // Past the closing quote too, so that the next string token is the next string.
        let closed = usize::from(self.text.as_bytes().get(start + s.len()) == Some(&b'"'));
        let (offset, line) = self.move_to(start, s.len() + closed);
        (offset, line)
    }

    /// The place of `value`, a string the parser had to unescape, and its escape steps: the next
    /// string token of the source when one follows what was placed last; else the next string
    /// spelled as serde_json spells it, without steps.
    fn escaped(&mut self, value: &str) -> Placed {
        match self.string_token() {
            Some((start, raw)) => {
                let steps = Escapes::of(raw);
                let (offset, line) = self.move_to(start, raw.len() + 2);
                ((offset + 1, line), steps)
            }
            None => (
                self.find(&serde_json::to_string(value).unwrap_or_default(), 1),
                Vec::new(),
            ),
        }
    }

    /// The next string token after the current position: its opening quote's offset in the text
    /// and its source between the quotes. Only punctuation, white space, `null`, `true`, `false`
    /// and numbers may come before it; anything else (the position is behind) gives `None`.
    fn string_token(&self) -> Option<(usize, &'t str)> {
        let bytes = self.text.as_bytes();
        let skip = |b: &u8| {
            b.is_ascii_whitespace()
                || b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b':' | b',' | b'[' | b']' | b'{' | b'}' | b'.' | b'+' | b'-'
                )
        };
        let start = self.cursor + bytes[self.cursor..].iter().position(|b| !skip(b))?;
        if bytes[start] != b'"' {
            return None;
        }
        let mut at = start + 1;
        loop {
            at += memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
            if bytes[at] == b'"' {
                return Some((start, self.text.get(start + 1..at)?));
            }
            at += 2;
        }
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
