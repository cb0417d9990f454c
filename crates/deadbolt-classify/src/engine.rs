//! The matching engine: a chunk of text (a CSV field, a JSON string) or a block of many lines is
//! searched once for every detector that can match it, then each candidate is validated, checked
//! against exclusions and context, overlaps are resolved and values masked.
//!
//! A block of lines ([`Engine::scan_lines`], [`Engine::scan_fields`]) gives the same findings as
//! scanning each line on its own ([`Engine::scan`]) at a fraction of the per-line cost (a prefilter
//! pass and regex set-up per line, per detector). On text dense with values, what remains is
//! mostly the validators (phone numbers against libphonenumber's metadata) and the gate pass.

use regex::bytes::{RegexSet, RegexSetBuilder};
use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA, OverlappingState};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::{Input, MatchKind, meta};
use regex_syntax::hir::{self, Class, ClassBytesRange, ClassUnicodeRange, Hir, HirKind, Look};

/// Lazy DFA cache of the prefilter, bytes: see [`Engine::new`].
const PREFILTER_DFA_CACHE: usize = 8 * 1024 * 1024;

/// Lazy DFA cache of the block gate, bytes. The gate holds
/// all detectors in one automaton and meets many states in text dense with numbers; with the
/// default (2 MiB) it kept clearing its cache. The memory is taken only as states are met.
const BLOCK_DFA_CACHE: usize = 16 * 1024 * 1024;

/// Lazy DFA cache of each detector's line pattern, bytes: one pattern meets few states, and there
/// are forty-odd of them per thread.
const LINE_DFA_CACHE: usize = 2 * 1024 * 1024;

use crate::detector::{self, Confidence, ContextRequired, Detector, DetectorError, fold};
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
    /// Whether the detector's own context (a keyword nearby, or the field's name) was found:
    /// between two overlapping findings of equal confidence, the one named by its context wins.
    pub in_context: bool,
}

/// One finding in a block of lines ([`Engine::scan_lines`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineMatch {
    /// 0-based index of the line in the block.
    pub line: usize,
    /// The finding; its offsets are in the block.
    pub found: Match,
}

/// A detector's pattern as it runs over a block of lines: `\n` taken out of every class and
/// literal, `^` and `$` at line edges, ASCII classes. Over the lines of an ASCII block it finds
/// exactly what the detector's own pattern finds in each line alone (see [`line_hir`]).
#[derive(Debug)]
struct LinePattern {
    regex: meta::Regex,
    /// Index of the `value` capture group, when the pattern has one.
    value: Option<usize>,
}

/// Makes a gate cache for [`Engine::gate_caches`].
type GateCache = Box<dyn Fn() -> DfaCache + Send + Sync>;

/// Compiled detectors and their prefilters.
#[derive(Debug)]
pub struct Engine {
    detectors: Vec<Detector>,
    /// Every detector's pattern in one automaton: one pass says which detectors can match a chunk,
    /// so the cost of a chunk with nothing in it does not grow with the number of detectors.
    prefilter: RegexSet,
    /// The line pattern of every detector that can report a value without context, in one lazy
    /// DFA reporting all matches of all patterns (overlapping, `MatchKind::All`): one pass over a
    /// block says which of them match on which lines, so only those lines are searched again by
    /// the detector's own line pattern.
    gate: DFA,
    /// Per gate pattern, its detector.
    gated: Vec<usize>,
    /// The detectors that report nothing without context, found by their keywords rather than
    /// their patterns: see [`KeywordGate`].
    keyed: KeywordGate,
    /// The gate's lazy DFA caches, one per thread at a time: a cache made per block would build
    /// the same states again for every block.
    gate_caches: Pool<DfaCache, GateCache>,
    /// Per detector, its line pattern.
    lines: Vec<LinePattern>,
    /// Per detector, its context keywords.
    context: Vec<Keywords>,
    /// [`TIME_WORDS`].
    time_words: Keywords,
}

impl Engine {
    /// The built-in detectors (`detectors/*.toml`).
    ///
    /// # Errors
    /// A [`DetectorError`] if a built-in file is broken (a test keeps that from shipping).
    pub fn builtin() -> Result<Engine, DetectorError> {
        Engine::new(detector::parse(detector::BUILTIN)?)
    }

    /// The built-in detectors named by `select`: each entry is a detector ID or the start of IDs
    /// (`us-` selects every US identifier). For measuring and for narrow scans.
    ///
    /// # Errors
    /// A [`DetectorError`] naming an entry that selects no detector, with the known IDs.
    pub fn builtin_selected(select: &[String]) -> Result<Engine, DetectorError> {
        let all = detector::parse(detector::BUILTIN)?;
        for s in select {
            if !all.iter().any(|d| d.id.starts_with(s.as_str())) {
                let ids: Vec<&str> = all.iter().map(|d| d.id.as_str()).collect();
                return Err(DetectorError {
                    file: "(selection)".into(),
                    message: format!("`{s}` names no detector; known: {}", ids.join(", ")),
                });
            }
        }
        Engine::new(
            all.into_iter()
                .filter(|d| select.iter().any(|s| d.id.starts_with(s.as_str())))
                .collect(),
        )
    }

    /// An engine over `detectors`.
    ///
    /// # Errors
    /// A [`DetectorError`] if the combined prefilter exceeds the regex size limit.
    pub fn new(detectors: Vec<Detector>) -> Result<Engine, DetectorError> {
        let all_err = |what: &str, e: String| DetectorError {
            file: "(all detectors)".into(),
            message: format!("{what}: {e}"),
        };
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
            .map_err(|e| all_err("prefilter", e.to_string()))?;
        let mut hirs = Vec::with_capacity(detectors.len());
        let mut gated = Vec::with_capacity(detectors.len());
        let mut lines = Vec::with_capacity(detectors.len());
        for d in &detectors {
            let err = |e: String| DetectorError {
                file: "(all detectors)".into(),
                message: format!("detector `{}`: line pattern: {e}", d.id),
            };
            // The same ASCII reading of the pattern as the prefilter's.
            let parsed = regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(d.pattern.as_str())
                .map_err(|e| err(e.to_string()))?;
            let hir = line_hir(&parsed);
            let regex = meta::Builder::new()
                .configure(
                    meta::Config::new()
                        .utf8_empty(false)
                        .hybrid_cache_capacity(LINE_DFA_CACHE),
                )
                .build_from_hir(&hir)
                .map_err(|e| err(e.to_string()))?;
            let value = regex
                .group_info()
                .to_index(regex_automata::PatternID::ZERO, "value");
            lines.push(LinePattern { regex, value });
            if d.context_required != ContextRequired::Always {
                gated.push(lines.len() - 1);
                hirs.push(hir);
            }
        }
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .utf8(false)
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(&hirs)
            .map_err(|e| all_err("block gate", e.to_string()))?;
        let gate = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(BLOCK_DFA_CACHE)
                    // Never give up on the cache: a search that clears it often is slower, not
                    // wrong, and a gate that gave up would have to search every line again.
                    .minimum_cache_clear_count(None),
            )
            .build_from_nfa(nfa)
            .map_err(|e| all_err("block gate", e.to_string()))?;
        let for_cache = gate.clone();
        let gate_caches: Pool<DfaCache, GateCache> =
            Pool::new(Box::new(move || DfaCache::new(&for_cache)));
        Ok(Engine {
            prefilter,
            gate,
            gated,
            keyed: KeywordGate::new(&detectors).map_err(|e| all_err("keyword gate", e))?,
            gate_caches,
            lines,
            context: detectors
                .iter()
                .map(|d| Keywords::new(&d.context))
                .collect(),
            time_words: Keywords::new(TIME_WORDS),
            detectors,
        })
    }

    /// The detectors, in file order.
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// `text` with every value any detector finds in it (at any confidence) replaced by its
    /// masked form, and control characters replaced by `?`: for text a report shows beside a
    /// finding, such as a column name or a JSON key path, which may itself be a card number or an
    /// email address (a map keyed by customer).
    pub fn mask_all(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for m in self.scan(text, None, Confidence::Low) {
            if m.start < at {
                continue;
            }
            out.push_str(&text[at..m.start]);
            out.push_str(&m.masked);
            at = m.end;
        }
        out.push_str(&text[at..]);
        if out.chars().any(char::is_control) {
            out = out
                .chars()
                .map(|c| if c.is_control() { '?' } else { c })
                .collect();
        }
        out
    }

    /// Whether some detector's pattern matches in `text`: when none does, [`Engine::scan`] finds
    /// nothing there, whatever the field. One pass of the prefilter; for short texts that are
    /// mostly not data (JSON keys), cheaper than gathering them for a block scan.
    pub fn may_match(&self, text: &str) -> bool {
        self.prefilter.is_match(text.as_bytes())
    }

    /// The findings in `text` at or above `min`, one per span, in text order. `field` is
    /// structured context for the whole chunk (a CSV column header, a JSON key path): when it
    /// names a detector's type, it counts as a context keyword for every value in the chunk.
    pub fn scan(&self, text: &str, field: Option<&str>, min: Confidence) -> Vec<Match> {
        let mut candidates = Vec::new();
        let field = field.map(field_context);
        for i in self.prefilter.matches(text.as_bytes()).iter() {
            self.scan_one(i, text, 0, field.as_deref(), min, &mut candidates);
        }
        resolve(candidates)
    }

    /// Detector `i` over `text` (its own haystack, as [`Engine::scan`] sees it): the candidates
    /// at or above `min`, their offsets moved by `base`.
    fn scan_one(
        &self,
        i: usize,
        text: &str,
        base: usize,
        field: Option<&str>,
        min: Confidence,
        out: &mut Vec<Match>,
    ) {
        let pattern = &self.detectors[i].pattern;
        let mut at = 0;
        while let Some(caps) = pattern.captures_at(text, at) {
            let (Some(whole), Some(m)) = (caps.get(0), caps.name("value").or_else(|| caps.get(0)))
            else {
                break;
            };
            // As in a block: after a candidate that fails, a detector that searches inside it
            // goes on from its second character.
            at = match self.judge(i, text, m.start(), m.end(), field, min) {
                Some(mut found) => {
                    found.start += base;
                    found.end += base;
                    out.push(found);
                    whole.end().max(whole.start() + 1)
                }
                None if self.detectors[i].search_inside_rejected => whole.start() + 1,
                None => whole.end().max(whole.start() + 1),
            };
            while at < text.len() && !text.is_char_boundary(at) {
                at += 1;
            }
            if at > text.len() {
                break;
            }
        }
    }

    /// The findings in a block of lines (separated by `\n`; the text after the last `\n` is a line
    /// too): exactly what [`Engine::scan`] finds in each line on its own with no field, with
    /// offsets in the block, in block order.
    ///
    /// One pass of the gate over the block says which detectors match on which lines; each such
    /// detector then searches only those lines (runs of them at once), and validation and context
    /// run on its matches only, with the line as their text: the context window ends at the line
    /// as it does when lines are scanned one by one.
    pub fn scan_lines(&self, block: &str, min: Confidence) -> Vec<LineMatch> {
        self.scan_fields(block, |_| None, min)
    }

    /// [`Engine::scan_lines`] where each line is a separate value with its own structured
    /// context, `field(line)` (a CSV column header): exactly what [`Engine::scan`] finds in each
    /// line with its field.
    pub fn scan_fields<'f>(
        &self,
        block: &str,
        field: impl Fn(usize) -> Option<&'f str>,
        min: Confidence,
    ) -> Vec<LineMatch> {
        let named = &field;
        let field = |l: usize| named(l).map(field_context);
        let bytes = block.as_bytes();
        let starts: Vec<usize> = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
            .collect();
        let line_end = |l: usize| starts.get(l + 1).map_or(bytes.len(), |&s| s - 1);
        let ascii = bytes.is_ascii();
        let mut flagged = self.gate(bytes, &starts);
        self.keyed
            .flag(block, &starts, ascii, named, &self.context, &mut flagged);
        let mut candidates: Vec<Match> = Vec::new();
        for (i, lines) in flagged.iter().enumerate() {
            let pattern = &self.lines[i];
            let mut caps: Option<Captures> = None;
            let mut k = 0;
            while k < lines.len() {
                let first = lines[k] as usize;
                // The line patterns give the detector's matches on ASCII lines only: on other
                // text the detector's Unicode classes and word boundaries differ from ASCII ones,
                // and its own pattern runs on the line alone, as a line-by-line scan does.
                if !ascii && !line_is_ascii(bytes, starts[first], line_end(first)) {
                    let (a, b) = (starts[first], line_end(first));
                    let f = field(first);
                    self.scan_one(i, &block[a..b], a, f.as_deref(), min, &mut candidates);
                    k += 1;
                    continue;
                }
                // Consecutive flagged ASCII lines are searched as one run: no match crosses a
                // line, so a run gives the same matches as its lines one by one.
                let mut last = first;
                while k + 1 < lines.len()
                    && lines[k + 1] as usize == last + 1
                    && (ascii || line_is_ascii(bytes, starts[last + 1], line_end(last + 1)))
                {
                    k += 1;
                    last += 1;
                }
                k += 1;
                let input = Input::new(bytes).range(starts[first]..line_end(last));
                let mut judge = |start: usize, end: usize| {
                    let l = starts.partition_point(|&s| s <= start) - 1;
                    let (a, b) = (starts[l], line_end(l));
                    let f = field(l);
                    let found = self.judge(i, &block[a..b], start - a, end - a, f.as_deref(), min);
                    found.map(|mut found| {
                        found.start += a;
                        found.end += a;
                        candidates.push(found);
                    })
                };
                let inside = self.detectors[i].search_inside_rejected;
                // Reuse one set of slots: `search_captures` resets them.
                let caps = caps.get_or_insert_with(|| pattern.regex.create_captures());
                let mut at = input;
                loop {
                    pattern.regex.search_captures(&at, caps);
                    let Some(whole) = caps.get_match() else {
                        break;
                    };
                    let span = pattern
                        .value
                        .and_then(|g| caps.get_group(g))
                        .unwrap_or(whole.span());
                    // After a candidate that fails, a detector that searches inside it goes on
                    // from its second byte (these lines are ASCII). No line pattern matches the
                    // empty string, but never loop on one.
                    let next = match judge(span.start, span.end) {
                        None if inside => whole.start() + 1,
                        _ => whole.end().max(whole.start() + 1),
                    };
                    if next > at.end() {
                        break;
                    }
                    at.set_start(next);
                }
            }
        }
        let lines_of = |m: &Match| starts.partition_point(|&s| s <= m.start) - 1;
        resolve_clusters(candidates)
            .into_iter()
            .map(|found| LineMatch {
                line: lines_of(&found),
                found,
            })
            .collect()
    }

    /// Per detector, the sorted lines of `bytes` (starting at `starts`) on which its line
    /// pattern matches, from one overlapping pass of the gate; empty for the keyed detectors.
    fn gate(&self, bytes: &[u8], starts: &[usize]) -> Vec<Vec<u32>> {
        let n = self.detectors.len();
        let mut flagged: Vec<Vec<u32>> = vec![Vec::new(); n];
        if self.gated.is_empty() {
            return flagged;
        }
        let mut cache = self.gate_caches.get();
        let mut state = OverlappingState::start();
        let input = Input::new(bytes);
        let mut line = 0usize;
        loop {
            if self
                .gate
                .try_search_overlapping_fwd(&mut cache, &input, &mut state)
                .is_err()
            {
                // Cannot happen with this configuration (no quit bytes, never gives up); if it
                // did, every line is searched by every detector, which is slower, not wrong.
                let all: Vec<u32> = (0..starts.len() as u32).collect();
                for &i in &self.gated {
                    flagged[i] = all.clone();
                }
                return flagged;
            }
            let Some(hm) = state.get_match() else {
                break;
            };
            // A match of a line pattern holds at least one byte of its line and ends there.
            let last = hm.offset().saturating_sub(1);
            while line + 1 < starts.len() && starts[line + 1] <= last {
                line += 1;
            }
            let l = line as u32;
            let v = &mut flagged[self.gated[hm.pattern().as_usize()]];
            if v.last() != Some(&l) {
                v.push(l);
            }
        }
        flagged
    }
    /// Validation, exclusions, entropy and context for one pattern match.
    fn judge(
        &self,
        i: usize,
        text: &str,
        start: usize,
        end: usize,
        field: Option<&str>,
        min: Confidence,
    ) -> Option<Match> {
        // The checks that drop a value are independent of one another, so the cheap ones go
        // first and the validator last: some validators cost far more than the rest (phone
        // numbers are parsed against libphonenumber's metadata for up to ten regions), and a
        // national phone number without context, or a value that could not reach `min`, never
        // needs it. The confidence is the same in any order.
        let d = &self.detectors[i];
        let value = &text[start..end];
        if !d.exclusions.is_empty() && d.exclusions.contains(&detector::normalize(value)) {
            return None;
        }
        if d.exclusion_patterns.iter().any(|p| p.is_match(value)) {
            return None;
        }
        if !d.exclusions_before.is_empty() {
            // The last bytes before the value, back to its line's start at most: bounded, so a long
            // text costs no more per value than a short one.
            let mut from = start.saturating_sub(detector::BEFORE_WINDOW);
            while !text.is_char_boundary(from) {
                from += 1;
            }
            if let Some(i) = text[from..start].rfind('\n') {
                from += i + 1;
            }
            if d.exclusions_before
                .iter()
                .any(|p| p.is_match(&text[from..start]))
            {
                return None;
            }
        }
        if d.min_entropy.is_some_and(|e| detector::entropy(value) < e) {
            return None;
        }
        if numeric_noise(text, start, end, field, &self.time_words) {
            return None;
        }
        let context = &self.context[i];
        let in_context = field.is_some_and(|f| context.in_text(f))
            || context.in_text(&window(text, start, end, d.window));
        let required = match d.context_required {
            ContextRequired::Never => false,
            ContextRequired::Always => true,
            ContextRequired::IfUnseparated => value.chars().all(|c| c.is_ascii_alphanumeric()),
        };
        if required && !in_context {
            return None;
        }
        let mut confidence = d.confidence;
        if d.validator.is_some() {
            confidence = confidence.raised();
        }
        if in_context {
            confidence = confidence.raised();
        }
        if confidence < min {
            return None;
        }
        if d.validator.is_some_and(|validate| !validate(value)) {
            return None;
        }
        Some(Match {
            detector: i,
            start,
            end,
            confidence,
            masked: mask(value, d.mask),
            in_context,
        })
    }
}

/// Fields whose answer [`KeywordGate::flag`] keeps: more columns than a table usually has.
const KNOWN_FIELDS: usize = 64;

/// Finds the lines on which a detector that reports nothing without context (`context_required =
/// "always"`: a date of birth, a routing number, a bare passport number) could report a value:
/// those holding one of its keywords, and those whose field (column header, key path) names it.
/// Such detectors stay out of the gate, whose automaton they would swell with patterns that match
/// everywhere (every date in a log is a date-of-birth candidate), and a pass for their keywords
/// costs far less than one for their patterns.
///
/// The lines it gives are a superset of those where [`Engine::judge`] finds the context: a keyword
/// in a line's context window lies in the text before the value or in the text after it (see
/// [`window`]), so it is in the line.
#[derive(Debug)]
struct KeywordGate {
    /// The keyed detectors (indexes into [`Engine::detectors`]).
    detectors: Vec<usize>,
    /// Every keyed detector's keywords in one searcher, ASCII case-insensitive.
    searcher: Option<aho_corasick::AhoCorasick>,
    /// Per searcher pattern, the keyed detectors it is a keyword of.
    owners: Vec<Vec<usize>>,
    /// Keyed detectors with an empty keyword: any line may hold their context.
    everywhere: Vec<usize>,
}

impl KeywordGate {
    fn new(detectors: &[Detector]) -> Result<KeywordGate, String> {
        let mut words: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut everywhere = Vec::new();
        let mut keyed = Vec::new();
        for (i, d) in detectors.iter().enumerate() {
            if d.context_required != ContextRequired::Always {
                continue;
            }
            keyed.push(i);
            for k in &d.context {
                let word = fold(k);
                if word.is_empty() {
                    everywhere.push(i);
                    continue;
                }
                match words.iter().position(|s| *s == word) {
                    Some(at) if owners[at].contains(&i) => {}
                    Some(at) => owners[at].push(i),
                    None => {
                        words.push(word.to_string());
                        owners.push(vec![i]);
                    }
                }
            }
        }
        let searcher = if words.is_empty() {
            None
        } else {
            Some(
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&words)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(KeywordGate {
            detectors: keyed,
            searcher,
            owners,
            everywhere,
        })
    }

    /// The keyed detectors `field` names (exactly as [`Engine::judge`] asks): the searcher says
    /// which keywords it holds, so the exact test runs only for their detectors.
    fn named_by(&self, field: &str, context: &[Keywords]) -> Vec<usize> {
        let mut named: Vec<usize> = self.everywhere.clone();
        let Some(searcher) = &self.searcher else {
            return named;
        };
        let lower = field_context(field);
        // Most fields name nothing: one plain search says so.
        if searcher.find(lower.as_ref()).is_none() {
            return named;
        }
        for m in searcher.find_overlapping_iter(lower.as_ref()) {
            for &i in &self.owners[m.pattern().as_usize()] {
                if !named.contains(&i) && context[i].in_text(&lower) {
                    named.push(i);
                }
            }
        }
        named
    }

    /// Adds to `flagged` (per detector, lines) the lines of `block` (starting at `starts`) where
    /// each keyed detector may find its context, sorted; `field(line)` is a line's structured
    /// context, `context` the detectors' keywords.
    fn flag<'f>(
        &self,
        block: &str,
        starts: &[usize],
        ascii: bool,
        field: impl Fn(usize) -> Option<&'f str>,
        context: &[Keywords],
        flagged: &mut [Vec<u32>],
    ) {
        if self.detectors.is_empty() {
            return;
        }
        let line_of = |at: usize| (starts.partition_point(|&s| s <= at) - 1) as u32;
        if let Some(searcher) = &self.searcher {
            // Keywords are rare: a plain search (with the searcher's literal prefilter) finds the
            // next line holding one, and only that line is searched for all of them, overlapping
            // (`addr` inside `address`, which may belong to other detectors).
            let mut at = 0;
            while let Some(m) = searcher.find(aho_corasick::Input::new(block).range(at..)) {
                let l = line_of(m.start());
                let (a, b) = (
                    starts[l as usize],
                    starts.get(l as usize + 1).map_or(block.len(), |&s| s - 1),
                );
                for m in searcher.find_overlapping_iter(&block[a..b]) {
                    for &i in &self.owners[m.pattern().as_usize()] {
                        if flagged[i].last() != Some(&l) {
                            flagged[i].push(l);
                        }
                    }
                }
                at = b;
                if at >= block.len() {
                    break;
                }
            }
            // A keyword may appear only once a non-ASCII line is folded as the context window
            // is (`TÉLÉPHONE` to `telephone`, the Kelvin sign to `k`).
            if !ascii {
                for (l, &a) in starts.iter().enumerate() {
                    let b = starts.get(l + 1).map_or(block.len(), |&s| s - 1);
                    if block[a..b].is_ascii() {
                        continue;
                    }
                    let lower = fold(&block[a..b]);
                    for m in searcher.find_overlapping_iter(lower.as_ref()) {
                        for &i in &self.owners[m.pattern().as_usize()] {
                            flagged[i].push(l as u32);
                        }
                    }
                }
            }
        }
        // The fields of a CSV column share their header (one string): the answers for the last
        // few headers are kept, so a block of rows asks once per column.
        let mut known: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut next = 0;
        for l in 0..starts.len() {
            let Some(f) = field(l) else {
                continue;
            };
            let at = match known.iter().position(|(g, _)| std::ptr::eq(*g, f)) {
                Some(at) => at,
                None if known.len() < KNOWN_FIELDS => {
                    known.push((f, self.named_by(f, context)));
                    known.len() - 1
                }
                None => {
                    next = (next + 1) % KNOWN_FIELDS;
                    known[next] = (f, self.named_by(f, context));
                    next
                }
            };
            for &i in &known[at].1 {
                flagged[i].push(l as u32);
            }
        }
        for &i in &self.everywhere {
            flagged[i] = (0..starts.len() as u32).collect();
        }
        for &i in &self.detectors {
            flagged[i].sort_unstable();
            flagged[i].dedup();
        }
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
fn numeric_noise(
    text: &str,
    start: usize,
    end: usize,
    field: Option<&str>,
    time_words: &Keywords,
) -> bool {
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
        return field.is_some_and(|f| time_words.in_text(f))
            || time_words.in_text(&window(text, start, end, 24));
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

/// The text within `chars` characters either side of `start..end`, joined by a newline, lower
/// case: sliced in place and lowered in one buffer, since it is made for every candidate.
fn window(text: &str, start: usize, end: usize, chars: usize) -> String {
    let from = match chars {
        0 => start,
        n => text[..start]
            .char_indices()
            .rev()
            .nth(n - 1)
            .map_or(0, |(i, _)| i),
    };
    let to = text[end..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| end + i);
    let mut out = String::with_capacity(start - from + 1 + to - end);
    out.push_str(&text[from..start]);
    // Not a space: a keyword of two words must not be made of the word before the value and the
    // word after it (`social <value> security`), and no keyword holds a newline.
    out.push('\n');
    out.push_str(&text[end..to]);
    fold(&out).into_owned()
}

/// A field name (column header, key path) as context is matched against: in lower case, and,
/// after a newline, once more with its words split the way names are written
/// (`dateOfBirth`, `drivers_license`, `nhs-number` become `date of birth`, `drivers license`,
/// `nhs number`), so that keywords written as words name fields written as identifiers. Borrowed
/// when the name is lower case and has no such joins.
fn field_context(field: &str) -> std::borrow::Cow<'_, str> {
    let joined = |b: &[u8], i: usize| {
        matches!(b[i], b'_' | b'-')
            || (i > 0 && b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
    };
    let bytes = field.as_bytes();
    if !(0..bytes.len()).any(|i| joined(bytes, i)) {
        return fold(field);
    }
    let mut split = String::with_capacity(field.len() + 8);
    for (i, c) in field.char_indices() {
        if c.is_ascii() && joined(bytes, i) {
            split.push(' ');
            if c == '_' || c == '-' {
                continue;
            }
        }
        split.push(c);
    }
    std::borrow::Cow::Owned(format!("{}\n{}", fold(field), fold(&split)))
}

/// Keywords looked for as whole words, each with its substring searcher made once rather than at
/// every candidate.
#[derive(Debug)]
struct Keywords(Vec<memchr::memmem::Finder<'static>>);

impl Keywords {
    fn new(words: &[impl AsRef<str>]) -> Keywords {
        Keywords(
            words
                .iter()
                .map(|w| memchr::memmem::Finder::new(fold(w.as_ref()).as_bytes()).into_owned())
                .collect(),
        )
    }

    /// Whether `haystack` (lower case) holds one of the keywords as a whole word: `ssn` in
    /// `customer.ssn` or `SSN:` but not in `lessnumber`. Underscores and dots separate words, so
    /// a column `card_number` names `card`. Occurrences are taken as `str::match_indices` takes
    /// them (left to right, not overlapping).
    fn in_text(&self, haystack: &str) -> bool {
        self.0.iter().any(|f| {
            let k = f.needle();
            if k.is_empty() {
                // Every boundary between characters: not a byte offset memmem would give.
                return haystack
                    .match_indices("")
                    .any(|(at, _)| whole_word(haystack, at, at));
            }
            // A match of a whole UTF-8 keyword starts and ends on character boundaries.
            f.find_iter(haystack.as_bytes())
                .any(|at| whole_word(haystack, at, at + k.len()))
        })
    }
}

/// Whether `haystack[start..end]` has no letter or digit right before or after it.
fn whole_word(haystack: &str, start: usize, end: usize) -> bool {
    let before = haystack[..start].chars().next_back();
    let after = haystack[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// One finding per span: the best candidate (highest confidence, then found by its own context,
/// then longest, then earliest) wins every span it overlaps; the result is in text order. Context
/// decides before length: `CNPJ 38863674000192` is a CNPJ, though its 14 digits pass as a Diners
/// card too.
fn resolve(mut candidates: Vec<Match>) -> Vec<Match> {
    candidates.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then(b.in_context.cmp(&a.in_context))
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

/// [`resolve`] over candidates that may be many (a block's): only candidates that overlap, directly
/// or through others, compete, so each such cluster is resolved on its own, in text order. The
/// result is the same as one `resolve` over all of them, without its quadratic cost.
fn resolve_clusters(mut candidates: Vec<Match>) -> Vec<Match> {
    candidates.sort_by_key(|m| (m.start, m.end));
    let mut out = Vec::with_capacity(candidates.len());
    let mut cluster: Vec<Match> = Vec::new();
    let mut reach = 0;
    for c in candidates {
        if !cluster.is_empty() && c.start >= reach {
            out.extend(resolve(std::mem::take(&mut cluster)));
        }
        reach = if cluster.is_empty() {
            c.end
        } else {
            reach.max(c.end)
        };
        cluster.push(c);
    }
    out.extend(resolve(cluster));
    out
}

/// Whether `bytes[a..b]` is ASCII.
fn line_is_ascii(bytes: &[u8], a: usize, b: usize) -> bool {
    bytes[a..b].is_ascii()
}

/// `hir` as it runs over a block of lines: no class or literal matches `\n` (so no match crosses
/// a line) and `^`/`$` match at line edges. On a haystack without `\n` it matches exactly what
/// `hir` does; in a block, a line's matches are those of the line alone, because the look-arounds
/// (`\b`, `^`, `$`) at a line's edge see a `\n`, which they treat as they treat the haystack's
/// edge.
fn line_hir(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(hir::Literal(bytes)) => {
            if bytes.contains(&b'\n') {
                Hir::fail()
            } else {
                hir.clone()
            }
        }
        HirKind::Class(Class::Unicode(c)) => {
            let mut c = c.clone();
            c.difference(&hir::ClassUnicode::new([ClassUnicodeRange::new(
                '\n', '\n',
            )]));
            Hir::class(Class::Unicode(c))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut c = c.clone();
            c.difference(&hir::ClassBytes::new([ClassBytesRange::new(b'\n', b'\n')]));
            Hir::class(Class::Bytes(c))
        }
        HirKind::Look(look) => Hir::look(match look {
            Look::Start => Look::StartLF,
            Look::End => Look::EndLF,
            other => *other,
        }),
        HirKind::Repetition(r) => Hir::repetition(hir::Repetition {
            sub: Box::new(line_hir(&r.sub)),
            ..r.clone()
        }),
        HirKind::Capture(c) => Hir::capture(hir::Capture {
            sub: Box::new(line_hir(&c.sub)),
            ..c.clone()
        }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(line_hir).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(line_hir).collect()),
    }
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

    /// What `scan_lines` must return: `scan` of each line alone, moved to block offsets.
    fn line_by_line(e: &Engine, block: &str, min: Confidence) -> Vec<LineMatch> {
        let mut out = Vec::new();
        let mut at = 0;
        for (line, text) in block.split('\n').enumerate() {
            for mut found in e.scan(text, None, min) {
                found.start += at;
                found.end += at;
                out.push(LineMatch { line, found });
            }
            at += text.len() + 1;
        }
        out
    }

    /// Lines that exercise the block scan: every example, examples side by side, with non-ASCII
    /// neighbours (Unicode word boundaries and digits differ from ASCII ones), keywords on the line
    /// before, anchors at line edges, CR line ends.
    fn tricky_lines(e: &Engine) -> Vec<String> {
        let mut lines = Vec::new();
        let examples: Vec<&String> = e
            .detectors()
            .iter()
            .flat_map(|d| d.examples.positive.iter().chain(&d.examples.negative))
            .collect();
        for (k, ex) in examples.iter().enumerate() {
            let next = examples[(k + 7) % examples.len()];
            lines.push((*ex).clone());
            lines.push(format!("{ex} {next}"));
            lines.push(format!("é{ex}é"));
            lines.push(format!("Chloé: {ex}"));
            lines.push(format!("{ex}\r"));
            lines.push(String::new());
            lines.push(format!("  {ex}  ,{ex}"));
        }
        lines.extend(
            [
                "ssn",
                "536221234",
                "password: hunter2secret",
                "x=AKIAUJZDE8GXD6NCF10E",
                "٤١١١١١١١١١١١١١١١ ４１１１",
                "card 4111 1111 1111 1111 and 4714 3523 3978 6539 then 3523 3978 6539",
                "ts=1600000000006 1600000000006",
                "id 550e8400-e29b-41d4-a716-446655440000",
            ]
            .map(String::from),
        );
        lines
    }

    /// The block scan finds exactly what scanning each line alone finds, ASCII or not.
    #[test]
    fn scan_lines_equals_scanning_each_line() {
        let e = engine();
        let lines = tricky_lines(&e);
        for min in [Confidence::Low, Confidence::High] {
            // One block of everything, and small blocks at every alignment.
            let all = lines.join("\n");
            let got = e.scan_lines(&all, min);
            assert!(got.len() > 100, "the lines hold findings: {}", got.len());
            assert_eq!(got, line_by_line(&e, &all, min));
            for size in [1, 2, 3, 5] {
                for window in lines.chunks(size) {
                    let block = window.join("\n");
                    assert_eq!(
                        e.scan_lines(&block, min),
                        line_by_line(&e, &block, min),
                        "{block:?}"
                    );
                }
            }
            let ascii: Vec<&String> = lines.iter().filter(|l| l.is_ascii()).collect();
            let block = ascii
                .iter()
                .map(|l| l.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            assert_eq!(e.scan_lines(&block, min), line_by_line(&e, &block, min));
        }
    }

    /// With a field per line, the block scan finds what scanning each line with its field finds:
    /// the detectors that need context are searched only on lines holding one of their keywords
    /// or under a field naming them, and that must lose nothing.
    #[test]
    fn scan_fields_equals_scanning_each_field() {
        let e = engine();
        let mut fields: Vec<String> = vec!["col1".into(), "created_at".into(), "Notes".into()];
        for d in e.detectors() {
            if d.context_required == ContextRequired::Always {
                fields.extend(
                    d.context
                        .iter()
                        .map(|k| format!("$.customer.{}", k.to_uppercase())),
                );
            }
        }
        let mut lines = tricky_lines(&e);
        // Values of the keyed detectors with a keyword of another detector, of their own, in upper
        // case, and split around the value (`social <value> security` is no keyword).
        for d in e.detectors() {
            if d.context_required != ContextRequired::Always {
                continue;
            }
            for (k, ex) in d.examples.positive.iter().enumerate() {
                let key = &d.context[k % d.context.len()];
                lines.push(format!("{}: {ex}", key.to_uppercase()));
                lines.push(format!("{ex} ({key})"));
                lines.push(format!("ZIP {ex}"));
                if let Some((a, b)) = key.split_once(' ') {
                    lines.push(format!("{a} {ex} {b}"));
                }
            }
        }
        let block = lines.join("\n");
        let field = |l: usize| Some(fields[l % fields.len()].as_str()).filter(|_| l % 4 != 3);
        for min in [Confidence::Low, Confidence::High] {
            let mut want = Vec::new();
            let mut at = 0;
            for (line, text) in block.split('\n').enumerate() {
                for mut found in e.scan(text, field(line), min) {
                    found.start += at;
                    found.end += at;
                    want.push(LineMatch { line, found });
                }
                at += text.len() + 1;
            }
            let got = e.scan_fields(&block, field, min);
            let keyed = got
                .iter()
                .filter(|m| {
                    e.detectors()[m.found.detector].context_required == ContextRequired::Always
                })
                .count();
            assert!(keyed > 50, "keyed detectors report: {keyed}");
            assert_eq!(got, want);
        }
    }

    /// A keyword on the line before does not count (the window ends at the line), as when lines
    /// were scanned one by one; on the same line it does.
    #[test]
    fn context_window_stays_on_its_line() {
        let e = engine();
        let ssn = |block: &str| {
            e.scan_lines(block, Confidence::Low)
                .iter()
                .filter(|m| e.detectors()[m.found.detector].id == "us-ssn")
                .count()
        };
        assert_eq!(ssn("ssn 536221234"), 1);
        assert_eq!(ssn("ssn\n536221234"), 0);
    }

    #[test]
    fn line_patterns_never_match_across_lines() {
        let e = engine();
        // `\s` would take the newline: `password:` on one line and its value on the next.
        let block = "password:\n  hunter2secret";
        assert!(e.scan_lines(block, Confidence::Low).is_empty());
        assert_eq!(
            e.scan(block, None, Confidence::Low).len(),
            1,
            "a field is one text"
        );
        // Both lines flagged, so they are searched as one run: a match crossing the line end
        // would show here.
        let block = "pwd=abcdefgh password:\n  hunter2secret";
        assert_eq!(e.scan_lines(block, Confidence::Low).len(), 1);
        assert_eq!(
            e.scan_lines(block, Confidence::Low),
            line_by_line(&e, block, Confidence::Low)
        );
    }

    /// The sliced window and the prebuilt keyword searchers answer as the plain versions did:
    /// characters collected each side, and `str::match_indices` per keyword.
    #[test]
    fn window_and_keywords_as_plain_versions() {
        fn plain_window(text: &str, start: usize, end: usize, chars: usize) -> String {
            let before: String = text[..start].chars().rev().take(chars).collect();
            let before: String = before.chars().rev().collect();
            let after: String = text[end..].chars().take(chars).collect();
            fold(&format!("{before}\n{after}")).into_owned()
        }
        fn plain_keyword(haystack: &str, keywords: &[&str]) -> bool {
            keywords.iter().any(|k| {
                let k = fold(k);
                haystack
                    .match_indices(k.as_ref())
                    .any(|(at, _)| whole_word(haystack, at, at + k.len()))
            })
        }
        let texts = [
            "Call SSN: 536-22-1234 now",
            "Chloé Ünal, tel. +33 6 12 34 56 78 (mobile)",
            "x",
            "soc sec soc sec 1 social security",
            "aaa a a a ss#ss# ÉÉÉ ssn",
        ];
        let words: &[&str] = &[
            "ssn",
            "soc sec",
            "social security",
            "a a",
            "ss#",
            "tel",
            "é",
            "",
        ];
        let keywords = Keywords::new(words);
        for text in texts {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (k, &start) in bounds.iter().enumerate() {
                for &end in &bounds[k..] {
                    for chars in [0, 1, 3, 40] {
                        let w = window(text, start, end, chars);
                        assert_eq!(w, plain_window(text, start, end, chars));
                        for n in 0..words.len() {
                            let some = Keywords::new(&words[n..=n]);
                            assert_eq!(some.in_text(&w), plain_keyword(&w, &words[n..=n]), "{w:?}");
                        }
                        assert_eq!(keywords.in_text(&w), plain_keyword(&w, words));
                    }
                }
            }
        }
    }

    #[test]
    fn resolve_clusters_equals_resolve() {
        let m = |detector, start, end, confidence| Match {
            detector,
            start,
            end,
            confidence,
            masked: String::new(),
            in_context: false,
        };
        let mut all = Vec::new();
        // Chains of overlaps of every shape, and lone spans.
        for k in 0..200usize {
            let c = [Confidence::Low, Confidence::Medium, Confidence::High][k % 3];
            let s = (k * 7) % 300;
            all.push(m(k % 5, s, s + 1 + (k * 13) % 17, c));
        }
        assert_eq!(resolve_clusters(all.clone()), resolve(all));
    }

    #[test]
    fn builtin_selected_by_id_and_prefix() {
        let e =
            Engine::builtin_selected(&["us-".into(), "email-address".into()]).expect("selection");
        assert!(e.detectors().len() >= 5);
        assert!(
            e.detectors()
                .iter()
                .all(|d| d.id.starts_with("us-") || d.id == "email-address")
        );
        let err = Engine::builtin_selected(&["nope".into()]).expect_err("unknown");
        assert!(err.message.contains("names no detector"), "{err}");
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

    /// Fields written as identifiers name the keywords written as words; the plain lower-case
    /// name still counts (`date_of_birth` is itself a keyword).
    #[test]
    fn camel_case_and_snake_case_fields_name_their_type() {
        let e = engine();
        for field in [
            "dateOfBirth",
            "DateOfBirth",
            "date_of_birth",
            "customer.date-of-birth",
        ] {
            assert_eq!(
                ids(&e, "1984-03-12", Some(field)),
                vec![("date-of-birth".into(), Confidence::High)],
                "{field}"
            );
        }
        for field in ["phoneNumber", "mobilePhone", "$.contact.phoneNumber"] {
            assert_eq!(
                ids(&e, "(415) 555-2671", Some(field)),
                vec![("phone-number-national".into(), Confidence::High)],
                "{field}"
            );
        }
        assert_eq!(
            ids(&e, "943 476 5919", Some("nhsNumber")),
            vec![("uk-nhs-number".into(), Confidence::High)]
        );
        assert_eq!(
            field_context("dateOfBirth"),
            "dateofbirth\ndate of birth",
            "both spellings, apart"
        );
        assert_eq!(field_context("email"), "email");
        for field in ["created", "notes", "updatedAt", "sku_code"] {
            assert!(ids(&e, "1984-03-12", Some(field)).is_empty(), "{field}");
        }
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
        let alone = e.scan("aadhaar card 4714 3523 3978 6539", None, Confidence::Low);
        let both = alone.iter().any(|m| m.detector == aadhaar);
        assert!(!both, "one span, one finding: {alone:?}");
        assert_eq!(
            ids(&e, "aadhaar card 4714 3523 3978 6539 today", None),
            vec![("credit-card-number".into(), Confidence::High)]
        );
        assert_eq!(
            ids(&e, "aadhaar card 3523 3978 6539", None),
            vec![("in-aadhaar".into(), Confidence::High)],
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
            in_context: false,
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
        assert!(!e.may_match(text));
        assert!(e.may_match("card 4111 1111 1111 1111"));
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
