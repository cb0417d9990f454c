//! The matching engine: one prefilter pass over a chunk of text, then only the detectors that can
//! match, then validation, exclusions, context, overlap resolution and masking.

use regex::bytes::{RegexSet, RegexSetBuilder};

/// Lazy DFA cache of the prefilter, bytes: see [`Engine::new`].
const PREFILTER_DFA_CACHE: usize = 32 * 1024 * 1024;

use crate::detector::{self, Confidence, ContextRequired, Detector, DetectorError};
use crate::mask::mask;

/// One finding in a chunk of text. It carries the masked sample only, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index of the detector in [`Engine::detectors`].
    pub detector: usize,
    /// Byte offset of the value in the chunk.
    pub start: usize,
    /// Byte offset just past the value.
    pub end: usize,
    /// Confidence after validation and context.
    pub confidence: Confidence,
    /// The value masked by the detector's style.
    pub masked: String,
}

/// Compiled detectors and their prefilter.
#[derive(Debug)]
pub struct Engine {
    detectors: Vec<Detector>,
    /// Every detector's pattern in one automaton: one pass says which detectors can match a chunk,
    /// so the cost of a chunk with nothing in it does not grow with the number of detectors.
    prefilter: RegexSet,
}

impl Engine {
    /// The built-in detectors (`detectors/*.toml`).
    ///
    /// # Errors
    /// A [`DetectorError`] if a built-in file is broken (a test keeps that from shipping).
    pub fn builtin() -> Result<Engine, DetectorError> {
        Engine::new(detector::parse(detector::BUILTIN)?)
    }

    /// An engine over `detectors`.
    ///
    /// # Errors
    /// A [`DetectorError`] if the combined prefilter exceeds the regex size limit.
    pub fn new(detectors: Vec<Detector>) -> Result<Engine, DetectorError> {
        // The combined automaton of forty-odd patterns overflows the lazy DFA's default cache,
        // which then thrashes and falls back to a far slower engine: give it room (it grows only
        // as states are met, so the memory is used only when the text needs it).
        //
        // The prefilter only says which detectors may match; it runs on bytes with ASCII classes
        // (`\d` is [0-9], `\b` an ASCII word boundary). With Unicode classes the combined
        // automaton was enormous, and Unicode word boundaries make the lazy DFA give up on any
        // non-ASCII text and fall back to the PikeVM: 1.6 MB/s per core. An ASCII boundary holds
        // wherever a Unicode one does next to the ASCII characters the patterns match; what the
        // prefilter gives up is digits of other scripts (Arabic-Indic, Devanagari), which the
        // validators, written for ASCII digits, did not accept anyway.
        let prefilter = RegexSetBuilder::new(detectors.iter().map(|d| d.pattern.as_str()))
            .unicode(false)
            .dfa_size_limit(PREFILTER_DFA_CACHE)
            .build()
            .map_err(|e| DetectorError {
                file: "(all detectors)".into(),
                message: format!("prefilter: {e}"),
            })?;
        Ok(Engine {
            detectors,
            prefilter,
        })
    }

    /// The detectors, in file order.
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// The findings in `text` at or above `min`, one per span, in text order. `field` is
    /// structured context for the whole chunk (a CSV column header, a JSON key path): when it
    /// names a detector's type, it counts as a context keyword for every value in the chunk.
    pub fn scan(&self, text: &str, field: Option<&str>, min: Confidence) -> Vec<Match> {
        let mut candidates = Vec::new();
        let field = field.map(str::to_lowercase);
        for i in self.prefilter.matches(text.as_bytes()).iter() {
            let d = &self.detectors[i];
            for caps in d.pattern.captures_iter(text) {
                let Some(m) = caps.name("value").or_else(|| caps.get(0)) else {
                    continue;
                };
                if let Some(found) = self.judge(i, text, m.start(), m.end(), field.as_deref())
                    && found.confidence >= min
                {
                    candidates.push(found);
                }
            }
        }
        resolve(candidates)
    }

    /// Validation, exclusions, entropy and context for one pattern match.
    fn judge(
        &self,
        i: usize,
        text: &str,
        start: usize,
        end: usize,
        field: Option<&str>,
    ) -> Option<Match> {
        let d = &self.detectors[i];
        let value = &text[start..end];
        let mut confidence = d.confidence;
        if let Some(validate) = d.validator {
            if !validate(value) {
                return None;
            }
            confidence = confidence.raised();
        }
        if !d.exclusions.is_empty() && d.exclusions.contains(&detector::normalize(value)) {
            return None;
        }
        if d.exclusion_patterns.iter().any(|p| p.is_match(value)) {
            return None;
        }
        if d.min_entropy.is_some_and(|e| detector::entropy(value) < e) {
            return None;
        }
        if numeric_noise(text, start, end, field) {
            return None;
        }
        let in_context = field.is_some_and(|f| has_keyword(f, &d.context))
            || has_keyword(&window(text, start, end, d.window), &d.context);
        let required = match d.context_required {
            ContextRequired::Never => false,
            ContextRequired::Always => true,
            ContextRequired::IfUnseparated => value.chars().all(|c| c.is_ascii_alphanumeric()),
        };
        if required && !in_context {
            return None;
        }
        if in_context {
            confidence = confidence.raised();
        }
        Some(Match {
            detector: i,
            start,
            end,
            confidence,
            masked: mask(value, d.mask),
        })
    }
}

/// Words that name a time value: a 13-digit number next to one is a millisecond timestamp.
const TIME_WORDS: &[&str] = &[
    "ts",
    "time",
    "timestamp",
    "epoch",
    "millis",
    "ms",
    "created",
    "updated",
    "modified",
    "at",
    "date",
    "when",
    "expires",
    "exp",
    "iat",
];

/// Whether a numeric value (digits and separators, no letters) is one of the numbers that pass
/// checksums by accident and are no identifier, whatever the detector:
/// - all one digit, or a sequential run (`123456789`, `9876543210`) of six digits or more;
/// - a digit group of a UUID or hex digest (`550e8400-e29b-41d4-a716-446655440000`);
/// - a millisecond Unix timestamp (13 digits, `15…`–`19…`, i.e. 2017–2033) named as a time by
///   its surroundings or its field.
fn numeric_noise(text: &str, start: usize, end: usize, field: Option<&str>) -> bool {
    let value = &text[start..end];
    if value.chars().any(char::is_alphabetic) {
        return false;
    }
    let d: Vec<u8> = value
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    if d.len() >= 6 {
        let step = |k: u8| d.windows(2).all(|w| w[1] == (w[0] + k) % 10);
        if step(0) || step(1) || step(9) {
            return true;
        }
    }
    if inside_hex_token(text, start, end) {
        return true;
    }
    if d.len() == 13 && value.len() == 13 && d[0] == 1 && d[1] >= 5 {
        let words: Vec<String> = TIME_WORDS.iter().map(|w| (*w).to_string()).collect();
        return field.is_some_and(|f| has_keyword(f, &words))
            || has_keyword(&window(text, start, end, 24), &words);
    }
    false
}

/// Whether `start..end` is part of a longer run of hex digits and dashes that holds a hex letter
/// and at least 32 hex digits: a UUID (RFC 9562) or a digest, whose digit groups are no number.
fn inside_hex_token(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let part = |b: u8| b.is_ascii_hexdigit() || b == b'-';
    let mut a = start;
    while a > 0 && part(bytes[a - 1]) {
        a -= 1;
    }
    let mut b = end;
    while b < bytes.len() && part(bytes[b]) {
        b += 1;
    }
    if a == start && b == end {
        return false;
    }
    let token = &bytes[a..b];
    token.iter().filter(|c| c.is_ascii_hexdigit()).count() >= 32
        && token.iter().any(|c| matches!(c, b'a'..=b'f' | b'A'..=b'F'))
}

/// The text within `chars` characters either side of `start..end`, lower case.
fn window(text: &str, start: usize, end: usize, chars: usize) -> String {
    let before: String = text[..start].chars().rev().take(chars).collect();
    let before: String = before.chars().rev().collect();
    let after: String = text[end..].chars().take(chars).collect();
    format!("{before} {after}").to_lowercase()
}

/// Whether `haystack` (lower case) holds one of `keywords` as a whole word: `ssn` in
/// `customer.ssn` or `SSN:` but not in `lessnumber`. Underscores and dots separate words, so a
/// column `card_number` names `card`.
fn has_keyword(haystack: &str, keywords: &[String]) -> bool {
    keywords.iter().any(|k| {
        haystack.match_indices(k.as_str()).any(|(at, _)| {
            let before = haystack[..at].chars().next_back();
            let after = haystack[at + k.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// One finding per span: the best candidate (highest confidence, then longest, then earliest) wins
/// every span it overlaps; the result is in text order.
fn resolve(mut candidates: Vec<Match>) -> Vec<Match> {
    candidates.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.start.cmp(&b.start))
            .then(a.detector.cmp(&b.detector))
    });
    let mut kept: Vec<Match> = Vec::with_capacity(candidates.len());
    for c in candidates {
        if !kept.iter().any(|k| c.start < k.end && k.start < c.end) {
            kept.push(c);
        }
    }
    kept.sort_by_key(|m| m.start);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        Engine::builtin().expect("built-in detectors parse")
    }

    fn ids(e: &Engine, text: &str, field: Option<&str>) -> Vec<(String, Confidence)> {
        e.scan(text, field, Confidence::Low)
            .iter()
            .map(|m| (e.detectors()[m.detector].id.clone(), m.confidence))
            .collect()
    }

    /// Every detector's positive examples are found by it and its negatives are not.
    #[test]
    fn every_detector_runs_its_examples() {
        let e = engine();
        let mut failures = Vec::new();
        for (i, d) in e.detectors().iter().enumerate() {
            assert!(
                !d.examples.positive.is_empty() && !d.examples.negative.is_empty(),
                "{} needs positive and negative examples",
                d.id
            );
            for ex in &d.examples.positive {
                if !e
                    .scan(ex, None, Confidence::Low)
                    .iter()
                    .any(|m| m.detector == i)
                {
                    failures.push(format!("{}: positive not found: {ex}", d.id));
                }
            }
            for ex in &d.examples.negative {
                if e.scan(ex, None, Confidence::Low)
                    .iter()
                    .any(|m| m.detector == i)
                {
                    failures.push(format!("{}: negative found: {ex}", d.id));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn at_least_forty_detectors_with_labels_from_categories() {
        use crate::detector::{Category, Label};
        let e = engine();
        assert!(e.detectors().len() >= 40, "{}", e.detectors().len());
        for d in e.detectors() {
            let expected = match d.category {
                Category::Payment | Category::Health | Category::Credential => Label::Restricted,
                Category::Personal => Label::Confidential,
                Category::Network => Label::Internal,
            };
            assert_eq!(d.label, expected, "{}", d.id);
        }
    }

    #[test]
    fn field_context_raises_confidence() {
        let e = engine();
        let bare = ids(&e, "jane.doe@corp.io", None);
        let named = ids(&e, "jane.doe@corp.io", Some("$.customer.email"));
        assert_eq!(bare, vec![("email-address".into(), Confidence::Medium)]);
        assert_eq!(named, vec![("email-address".into(), Confidence::High)]);
        // A bare nine-digit SSN needs context: a column named `ssn` gives it.
        assert!(ids(&e, "536221234", None).is_empty());
        assert_eq!(
            ids(&e, "536221234", Some("ssn")),
            vec![("us-ssn".into(), Confidence::High)]
        );
    }

    #[test]
    fn overlap_resolves_to_best_detector() {
        let e = engine();
        // A Luhn-valid card whose last twelve digits are also a Verhoeff-valid Aadhaar number:
        // both detectors match, the card (high) wins the span.
        let aadhaar = e
            .detectors()
            .iter()
            .position(|d| d.id == "in-aadhaar")
            .expect("aadhaar detector");
        let alone = e.scan("4714 3523 3978 6539", None, Confidence::Low);
        let both = alone.iter().any(|m| m.detector == aadhaar);
        assert!(!both, "one span, one finding: {alone:?}");
        assert_eq!(
            ids(&e, "paid with 4714 3523 3978 6539 today", None),
            vec![("credit-card-number".into(), Confidence::High)]
        );
        assert_eq!(
            ids(&e, "3523 3978 6539", None),
            vec![("in-aadhaar".into(), Confidence::Medium)],
            "the Aadhaar part alone is found, so the test above shows an overlap resolved"
        );
    }

    #[test]
    fn resolve_prefers_confidence_then_length() {
        let m = |detector, start, end, confidence| Match {
            detector,
            start,
            end,
            confidence,
            masked: String::new(),
        };
        let kept = resolve(vec![
            m(0, 0, 10, Confidence::Medium),
            m(1, 2, 8, Confidence::High),
            m(2, 7, 20, Confidence::High),
            m(3, 30, 40, Confidence::Low),
            m(4, 30, 42, Confidence::Low),
        ]);
        let got: Vec<usize> = kept.iter().map(|k| k.detector).collect();
        // 2 (high, longest) beats 1 (high, overlapping), which beats 0; 4 is longer than 3.
        assert_eq!(got, vec![2, 4]);
    }

    #[test]
    fn prefilter_skips_detectors_that_cannot_match() {
        let e = engine();
        let text = "nothing to see here, just words";
        assert!(e.prefilter.matches(text.as_bytes()).iter().next().is_none());
    }

    /// An engine with one loose detector, so the engine-wide exclusions are what drops a value
    /// (the built-in detectors' validators would drop most of these values on their own).
    fn loose(pattern: &str, validator: &str) -> Engine {
        let toml = format!(
            "[[detector]]\nid = \"n\"\nname = \"n\"\ncategory = \"personal\"\nlabel = \"confidential\"\npattern = '{pattern}'\n{validator}\nconfidence = \"low\"\nmask = {{ style = \"ends\", start = 0, end = 2 }}\n"
        );
        Engine::new(detector::parse(&[("t.toml", &toml)]).expect("parses")).expect("engine")
    }

    #[test]
    fn uuid_and_digest_digit_groups_are_not_numbers() {
        let e = loose(r"\b\d{12}\b", "");
        assert_eq!(e.scan("ref 446655440000", None, Confidence::Low).len(), 1);
        assert!(
            e.scan(
                "id 550e8400-e29b-41d4-a716-446655440000",
                None,
                Confidence::Low
            )
            .is_empty()
        );
        assert!(
            e.scan(
                "sha 9f86d081-884c7d659a2feaa0c55ad015-446655440000",
                None,
                Confidence::Low
            )
            .is_empty()
        );
        // Dashes and digits only (no hex letter): a number with separators, still reported.
        assert_eq!(e.scan("x-446655440000-1", None, Confidence::Low).len(), 1);
    }

    #[test]
    fn sequential_and_same_digit_runs_are_dropped() {
        let e = loose(r"\b\d{9,10}\b", "");
        assert_eq!(e.scan("ref 536221234", None, Confidence::Low).len(), 1);
        for run in [
            "123456789",
            "1234567890",
            "987654321",
            "8901234567",
            "555555555",
        ] {
            assert!(e.scan(run, None, Confidence::Low).is_empty(), "{run}");
        }
    }

    #[test]
    fn millisecond_timestamps_passing_luhn_are_dropped() {
        let e = loose(r"\b\d{13}\b", "validator = \"luhn\"");
        // 1600000000006 passes Luhn: alone it is reported, named as a time it is not.
        assert_eq!(e.scan("ref 1600000000006", None, Confidence::Low).len(), 1);
        assert!(e.scan("ts=1600000000006", None, Confidence::Low).is_empty());
        assert!(
            e.scan("1600000000006", Some("$.event.created_at"), Confidence::Low)
                .is_empty()
        );
        // Outside the 2017–2033 range it is no timestamp of today's logs.
        assert_eq!(e.scan("ts=4600000000003", None, Confidence::Low).len(), 1);
    }

    #[test]
    fn min_confidence_filters() {
        let e = engine();
        assert!(
            e.scan("host 10.1.2.3 up", None, Confidence::High)
                .is_empty()
        );
        assert_eq!(e.scan("host 10.1.2.3 up", None, Confidence::Low).len(), 1);
    }
}
