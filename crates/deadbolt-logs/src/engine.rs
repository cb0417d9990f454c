//! The detection engine: records in, alerts out, one pass, state bounded by the correlation
//! windows.
//!
//! Each record's top-level fields are read first ([`Header`]); the full tree is built only when a
//! detection could match, which the rule index decides by `eventName` (most records match
//! nothing), and the header alone cannot decide it (rules and correlations over header fields only,
//! such as who called from where, need no tree). Correlations keep per-group windows
//! ([`crate::sigma::CorrelationState`]).

use std::collections::HashMap;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level};
use serde::Serialize;
use serde_json::Value;

use crate::alert::Alert;
use crate::detection::Detection;
use crate::event::{CheckedHeader, Header, HeaderField, parse_time};
use crate::read::Record;
use crate::sigma::{CorrelationKind, CorrelationState};

/// How many problems with single records one file reports before it only counts them.
const RECORD_DIAGNOSTICS_PER_FILE: u32 = 20;

/// Alerts of one detection for the same principal and API within this long of each other are one
/// alert with a record count: a responder acts once on a burst of 50 `AccessDenied`s, not 50
/// times. One hour, in milliseconds.
pub const MERGE_WINDOW_MS: i64 = 3_600_000;

/// A compiled set of detections.
#[derive(Debug)]
pub struct Engine {
    detections: Vec<Detection>,
    /// Lower-cased `eventName` → the single-record detections that can match it. Looked up for
    /// every record: foldhash rather than SipHash (no keys here come from the input).
    by_event_name: HashMap<String, Vec<usize>, foldhash::fast::RandomState>,
    /// Single-record detections that can match any `eventName`.
    unindexed: Vec<usize>,
    /// Per detection: the correlations that count its matches, and which of their `rules` it is.
    counted_by: Vec<Vec<(usize, usize)>>,
    /// Per detection: whether its matches raise alerts of their own.
    alerts_itself: Vec<bool>,
    /// Per detection: a correlation's group-by and counted fields, when all are header fields.
    header_keys: Vec<Option<HeaderKeys>>,
}

/// A correlation's fields as header fields.
#[derive(Debug)]
struct HeaderKeys {
    /// Per rule the correlation counts (in its `rules` order), the group-by fields it reads
    /// (`aliases` give each rule its own).
    group_by: Vec<Vec<HeaderField>>,
    /// The counted field of a `value_count`, and whether it is nested (`userIdentity.type`).
    value: Option<(HeaderField, bool)>,
}

impl HeaderKeys {
    fn of(detection: &Detection) -> Option<HeaderKeys> {
        let correlation = detection.rule.correlation()?;
        let group_by = (0..correlation.rules.len())
            .map(|member| {
                (0..correlation.group_by.len())
                    .map(|entry| HeaderField::from_path(correlation.group_field(member, entry)))
                    .collect::<Option<Vec<_>>>()
            })
            .collect::<Option<Vec<_>>>()?;
        let value = match &correlation.kind {
            CorrelationKind::EventCount
            | CorrelationKind::Temporal
            | CorrelationKind::TemporalOrdered => None,
            CorrelationKind::ValueCount(f) => Some((HeaderField::from_path(f)?, f.contains('.'))),
        };
        Some(HeaderKeys { group_by, value })
    }

    /// Whether the header gives the same group and values as the tree would. The group is read
    /// as `first_text` reads it, which follows real keys only; the counted values as `all_texts`
    /// does, which also finds a literal dotted key when a nested field's parent is missing, so a
    /// nested field the header lacks is left to the tree.
    fn decide(&self, header: &Header<'_>) -> bool {
        header.plain
            && self
                .value
                .is_none_or(|(field, nested)| !nested || header.get(field).is_some())
    }
}

/// Which records to consider.
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    /// Skip records before this time (milliseconds since the epoch).
    pub since_ms: Option<i64>,
    /// Skip records at or after this time.
    pub until_ms: Option<i64>,
    /// How much older than the newest match of its group a correlation's match may be and still
    /// count, in milliseconds (a correlation with a longer timespan uses that); `None` is
    /// [`crate::sigma::DEFAULT_LATENESS_MS`]. Within it the order of the records does not
    /// matter; the state kept grows with it.
    pub lateness_ms: Option<i64>,
}

/// Counts of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Records read.
    pub records: u64,
    /// Records that were CloudTrail events and in the time window: what the detections saw.
    pub events: u64,
    /// CloudTrail Insights records (AWS's own anomaly summaries), counted and not analysed.
    pub insights: u64,
    /// Records outside `--since`/`--until`.
    pub outside_window: u64,
    /// Records that are not CloudTrail events (no `eventName`, or not an object).
    pub not_events: u64,
    /// Records whose full tree was built because a detection could match.
    pub full_reads: u64,
    /// Events without a valid `eventTime`: reviewed by the single-record detections, but no time
    /// window applies to them and correlations and the baseline leave them out.
    pub untimed: u64,
}

impl Engine {
    /// Compiles `detections`. A correlation naming a rule that is not there is a diagnostic and is
    /// dropped; the rest compile.
    pub fn new(detections: Vec<Detection>, diagnostics: &mut Vec<Diagnostic>) -> Engine {
        // Correlations name the rules they count by `name` or `id`; both must be unique, or a
        // user's rule could silently take the place of a built-in correlation's base rule.
        let mut names: HashMap<&str, usize> = HashMap::new();
        for (i, d) in detections.iter().enumerate() {
            for key in [d.rule.name.as_deref(), d.rule.id.as_deref()]
                .into_iter()
                .flatten()
            {
                if let Some(&first) = names.get(key) {
                    if first != i {
                        diagnostics.push(Diagnostic::at(
                            Level::Error,
                            d.rule.file.clone(),
                            d.rule.line,
                            1,
                            format!(
                                "{key:?} already names a rule in {}:{}; correlations keep the first",
                                detections[first].rule.file, detections[first].rule.line
                            ),
                        ));
                    }
                    continue;
                }
                names.insert(key, i);
            }
        }
        let mut counted_by = vec![Vec::new(); detections.len()];
        let mut alerts_itself = vec![true; detections.len()];
        let mut dropped = vec![false; detections.len()];
        for (ci, d) in detections.iter().enumerate() {
            let Some(correlation) = d.rule.correlation() else {
                continue;
            };
            for (member, name) in correlation.rules.iter().enumerate() {
                match names.get(name.as_str()) {
                    Some(&base) if detections[base].rule.correlation().is_none() => {
                        counted_by[base].push((ci, member));
                        if !correlation.generate {
                            alerts_itself[base] = false;
                        }
                    }
                    _ => {
                        diagnostics.push(Diagnostic::at(
                            Level::Error,
                            d.rule.file.clone(),
                            d.rule.line,
                            1,
                            format!("the correlation counts {name:?}, which is not a detection rule's name here"),
                        ));
                        dropped[ci] = true;
                    }
                }
            }
        }
        for list in &mut counted_by {
            list.retain(|(ci, _)| !dropped[*ci]);
        }
        let mut by_event_name: HashMap<String, Vec<usize>, foldhash::fast::RandomState> =
            HashMap::default();
        let mut unindexed = Vec::new();
        for (i, d) in detections.iter().enumerate() {
            if d.rule.correlation().is_some() {
                continue;
            }
            match d.rule.event_names() {
                Some(names) => {
                    for name in names {
                        by_event_name.entry(name).or_default().push(i);
                    }
                }
                None => unindexed.push(i),
            }
        }
        let header_keys = detections.iter().map(HeaderKeys::of).collect();
        Engine {
            detections,
            by_event_name,
            unindexed,
            counted_by,
            alerts_itself,
            header_keys,
        }
    }

    /// The detections, in load order.
    pub fn detections(&self) -> &[Detection] {
        &self.detections
    }

    /// The detections that raise alerts: every correlation, and every single-record rule that is
    /// not only counted by a correlation.
    pub fn alerting(&self) -> impl Iterator<Item = &Detection> {
        self.detections
            .iter()
            .enumerate()
            .filter(|(i, _)| self.alerts_itself[*i])
            .map(|(_, d)| d)
    }

    /// Starts a run over a stream of records.
    pub fn session(&self, window: Window) -> Session<'_> {
        Session {
            engine: self,
            window,
            states: (0..self.detections.len())
                .map(|_| {
                    CorrelationState::new(
                        window
                            .lateness_ms
                            .unwrap_or(crate::sigma::DEFAULT_LATENESS_MS),
                    )
                })
                .collect(),
            alerts: Vec::new(),
            stats: Stats::default(),
            candidates: Vec::new(),
            decided: Vec::new(),
            lowered: String::new(),
            file_problems: (None, 0),
            open: HashMap::new(),
        }
    }
}

/// One run of an [`Engine`] over a stream of records.
#[derive(Debug)]
pub struct Session<'e> {
    engine: &'e Engine,
    window: Window,
    states: Vec<CorrelationState>,
    alerts: Vec<Alert>,
    stats: Stats,
    candidates: Vec<usize>,
    /// Per candidate: whether it matches, when the header decides it.
    decided: Vec<Option<bool>>,
    /// The record's `eventName`, lower-cased (reused).
    lowered: String,
    file_problems: (Option<Arc<str>>, u32),
    /// (detection, principal, event name) → (index in `alerts`, time of its latest record), for
    /// merging single-record alerts.
    open: HashMap<(usize, String, String), (usize, i64)>,
}

/// A record that passed the session's filters, for other consumers (the baseline) to see too.
pub struct Event<'r> {
    /// The record.
    pub record: &'r Record<'r>,
    /// Its top-level fields.
    pub header: &'r Header<'r>,
    /// Its `eventTime` in milliseconds since the epoch, when it has a valid one.
    pub time_ms: Option<i64>,
}

impl Session<'_> {
    /// Runs the detections on one record, and hands it to `also` when it is a CloudTrail event in
    /// the time window. A record that is not valid JSON or not an event is a diagnostic (the first
    /// 20 per file; the rest are counted in [`Stats::not_events`]).
    pub fn record(
        &mut self,
        record: &Record<'_>,
        diagnostics: &mut Vec<Diagnostic>,
        also: &mut dyn FnMut(&Event<'_>),
    ) {
        self.stats.records += 1;
        let parsed: Header;
        let header: &Header = match record.header {
            Some(h) => h,
            None => match serde_json::from_str::<CheckedHeader>(record.json) {
                Ok(CheckedHeader(h)) => {
                    parsed = h;
                    &parsed
                }
                Err(e) => {
                    self.stats.not_events += 1;
                    self.problem(
                        Level::Error,
                        record,
                        format!("record not read: {e}"),
                        diagnostics,
                    );
                    return;
                }
            },
        };
        if header.is_insight() {
            self.stats.insights += 1;
            return;
        }
        if !header.is_event() {
            self.stats.not_events += 1;
            self.problem(
                Level::Warning,
                record,
                "not a CloudTrail event (no eventName or eventSource)".into(),
                diagnostics,
            );
            return;
        }
        let time_ms = header.event_time.as_deref().and_then(parse_time);
        if time_ms.is_none() {
            self.stats.untimed += 1;
        }
        if let Some(t) = time_ms
            && (self.window.since_ms.is_some_and(|s| t < s)
                || self.window.until_ms.is_some_and(|u| t >= u))
        {
            self.stats.outside_window += 1;
            return;
        }
        self.stats.events += 1;
        also(&Event {
            record,
            header,
            time_ms,
        });
        self.candidates.clear();
        if let Some(name) = header.event_name.as_deref() {
            // Lowered into a buffer kept across records: CloudTrail's names are mixed-case, and
            // a new string per record was a measurable share of the allocations.
            self.lowered.clear();
            self.lowered.push_str(name);
            self.lowered.make_ascii_lowercase();
            if let Some(list) = self.engine.by_event_name.get(self.lowered.as_str()) {
                self.candidates.extend_from_slice(list);
            }
        }
        self.candidates.extend_from_slice(&self.engine.unindexed);
        let detections = &self.engine.detections;
        self.candidates
            .retain(|&i| detections[i].rule.may_match(header));
        if self.candidates.is_empty() {
            return;
        }
        // The header decides what it can; the tree is built when anything is left, before any
        // alert, so a record whose tree does not read raises nothing, as before.
        let engine = self.engine;
        self.decided.clear();
        let mut need_tree = false;
        for &i in &self.candidates {
            let decided = detections[i].rule.matches_header(header);
            need_tree |= match decided {
                None => true,
                Some(true) => engine.counted_by[i].iter().any(|&(ci, _)| {
                    !engine.header_keys[ci]
                        .as_ref()
                        .is_some_and(|k| k.decide(header))
                }),
                Some(false) => false,
            };
            self.decided.push(decided);
        }
        // The header was read leniently (values it skips are not checked for depth, number range
        // or lone surrogates): a record the header says matches, whose tree would not build,
        // still gets the tree's error and none of its alerts, as when every candidate built the
        // tree. A record nothing matches raises nothing either way, and is not read again, as a
        // record no detection can match never is.
        need_tree = need_tree
            || (self.decided.contains(&Some(true))
                && serde_json::from_str::<Strict>(record.json).is_err());
        let tree: Option<Value> = if need_tree {
            match serde_json::from_str(record.json) {
                Ok(v) => {
                    self.stats.full_reads += 1;
                    Some(v)
                }
                Err(e) => {
                    self.problem(
                        Level::Error,
                        record,
                        format!("record not analysed: {e}"),
                        diagnostics,
                    );
                    return;
                }
            }
        } else {
            None
        };
        let candidates = std::mem::take(&mut self.candidates);
        let decided = std::mem::take(&mut self.decided);
        for (&i, decided) in candidates.iter().zip(&decided) {
            let rule = &engine.detections[i].rule;
            let matched = match decided {
                Some(m) => *m,
                None => tree.as_ref().is_some_and(|t| rule.matches(t, record.json)),
            };
            if !matched {
                continue;
            }
            if engine.alerts_itself[i] {
                self.single_record_alert(i, record, header, time_ms);
            }
            for &(ci, member) in &engine.counted_by[i] {
                self.correlate(ci, member, tree.as_ref(), record, header, time_ms);
            }
        }
        self.candidates = candidates;
        self.decided = decided;
    }

    fn single_record_alert(
        &mut self,
        i: usize,
        record: &Record<'_>,
        header: &Header<'_>,
        time_ms: Option<i64>,
    ) {
        let event_id = header.event_id.as_deref().unwrap_or_default();
        // The source address is part of the key: two people on one shared role from two places
        // are two alerts, not one that shows only the first.
        let key = (
            i,
            format!(
                "{}\u{1f}{}",
                header.principal().unwrap_or_default(),
                header.source_ip_address.as_deref().unwrap_or_default()
            ),
            header.event_name.as_deref().unwrap_or_default().to_string(),
        );
        if let Some(t) = time_ms
            && let Some((at, last)) = self.open.get_mut(&key)
            && (t - *last).abs() <= MERGE_WINDOW_MS
        {
            let alert = &mut self.alerts[*at];
            alert.records += 1;
            if alert.event_ids.len() < crate::sigma::MAX_EVIDENCE {
                alert.event_ids.push(event_id.to_string());
            }
            if t > *last {
                *last = t;
                alert.last_time = header.event_time.as_deref().map(str::to_string);
            }
            return;
        }
        let mut alert = self.alert(&self.engine.detections[i], record, header);
        alert.event_ids = vec![event_id.to_string()];
        alert.records = 1;
        if let Some(t) = time_ms {
            self.open.insert(key, (self.alerts.len(), t));
        }
        self.alerts.push(alert);
    }

    fn correlate(
        &mut self,
        ci: usize,
        member: usize,
        tree: Option<&Value>,
        record: &Record<'_>,
        header: &Header<'_>,
        time_ms: Option<i64>,
    ) {
        let detection = &self.engine.detections[ci];
        let Some(correlation) = detection.rule.correlation() else {
            return;
        };
        let Some(time_ms) = time_ms else {
            return;
        };
        // Read from the header when it gives what the tree would (`HeaderKeys::decide`); the
        // tree is there whenever it does not.
        let keys = self.engine.header_keys[ci]
            .as_ref()
            .filter(|k| k.decide(header));
        let mut group = String::new();
        for entry in 0..correlation.group_by.len() {
            match (keys, tree) {
                (Some(k), _) => {
                    group.push_str(header.get(k.group_by[member][entry]).unwrap_or_default());
                }
                (None, Some(tree)) => {
                    let field = correlation.group_field(member, entry);
                    group.push_str(&first_text(tree, field).unwrap_or_default());
                }
                (None, None) => {}
            }
            group.push('\u{1f}');
        }
        let values = match &correlation.kind {
            CorrelationKind::EventCount
            | CorrelationKind::Temporal
            | CorrelationKind::TemporalOrdered => Vec::new(),
            // Every element of a list counts, as matching treats a list as any of its elements:
            // one GetParameters call naming ten parameters reads ten values.
            CorrelationKind::ValueCount(field) => {
                let values = match (keys.and_then(|k| k.value), tree) {
                    (Some((f, _)), _) => header.get(f).map(String::from).into_iter().collect(),
                    (None, Some(tree)) => all_texts(tree, field),
                    (None, None) => Vec::new(),
                };
                if values.is_empty() {
                    // A record without the counted field adds no value.
                    return;
                }
                values
            }
        };
        let event_id = header.event_id.as_deref().unwrap_or_default();
        let key = (ci, group.clone(), String::new());
        let Some((window, count)) = self.states[ci].observe(
            correlation,
            group,
            member,
            time_ms,
            values,
            event_id,
            header.event_time.as_deref().unwrap_or_default(),
        ) else {
            return;
        };
        // A burst that goes on re-fires the correlation each time the window fills again: that
        // is the same alert growing, not a new one.
        if let Some((at, last)) = self.open.get_mut(&key)
            && time_ms - *last <= MERGE_WINDOW_MS
        {
            *last = time_ms;
            let alert = &mut self.alerts[*at];
            alert.records += window.matched;
            alert.last_time = header.event_time.as_deref().map(str::to_string);
            for id in window.event_ids {
                if alert.event_ids.len() < crate::sigma::MAX_EVIDENCE {
                    alert.event_ids.push(id);
                }
            }
            return;
        }
        let mut alert = self.alert(detection, record, header);
        alert.explanation = Some(correlation.explain(count));
        alert.records = window.matched;
        alert.event_ids = window.event_ids.into_iter().collect();
        alert.time = window.first_time;
        self.open.insert(key, (self.alerts.len(), time_ms));
        self.alerts.push(alert);
    }

    fn alert(&self, detection: &Detection, record: &Record<'_>, header: &Header<'_>) -> Alert {
        Alert::new(detection, header, record.file.clone(), record.position)
    }

    /// Reports a problem with one record: an error when the record could not be read (the review
    /// is partial), a warning when it is readable but not a CloudTrail event.
    fn problem(
        &mut self,
        level: Level,
        record: &Record<'_>,
        message: String,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        if self.file_problems.0.as_ref() != Some(record.file) {
            self.flush_problems(diagnostics);
            self.file_problems = (Some(record.file.clone()), 0);
        }
        self.file_problems.1 += 1;
        if self.file_problems.1 <= RECORD_DIAGNOSTICS_PER_FILE {
            // Records of a Records array or JSON array are told apart by index; an NDJSON line
            // holds one record, and its line says which.
            let which = if record.position.index > 0 {
                format!("record {}: ", record.position.index)
            } else {
                String::new()
            };
            diagnostics.push(Diagnostic::at(
                level,
                record.file.clone(),
                u32::try_from(record.position.line).unwrap_or(u32::MAX),
                0,
                format!("{which}{message}"),
            ));
        }
    }

    fn flush_problems(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        if let (Some(file), n) = &self.file_problems
            && *n > RECORD_DIAGNOSTICS_PER_FILE
        {
            diagnostics.push(Diagnostic::whole_file(
                Level::Warning,
                file.clone(),
                format!(
                    "{} more problems with records of this file (not listed)",
                    n - RECORD_DIAGNOSTICS_PER_FILE
                ),
            ));
        }
    }

    /// The counts so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Ends the run: the alerts in the order they were raised, and the counts.
    pub fn finish(mut self, diagnostics: &mut Vec<Diagnostic>) -> (Vec<Alert>, Stats) {
        self.flush_problems(diagnostics);
        if self.stats.untimed > 0 {
            diagnostics.push(Diagnostic::whole_file(
                Level::Warning,
                "(input)",
                format!(
                    "{} events have no valid eventTime: the single-record detections reviewed them, but no time window applies to them and correlations and the baseline leave them out",
                    self.stats.untimed
                ),
            ));
        }
        for (i, state) in self.states.iter().enumerate() {
            if state.late > 0 {
                let d = &self.engine.detections[i];
                let reach = self
                    .window
                    .lateness_ms
                    .unwrap_or(crate::sigma::DEFAULT_LATENESS_MS)
                    .max(d.rule.correlation().map_or(0, |c| c.timespan_ms));
                diagnostics.push(Diagnostic::whole_file(
                    Level::Warning,
                    d.rule.file.clone(),
                    format!(
                        "{}: {} matching records were more than {} older than matches of their group read before them and were not counted (the input is far from time order: --max-lateness sets how far it may be)",
                        d.meta.id,
                        state.late,
                        crate::sigma::duration_text(reach),
                    ),
                ));
            }
            if state.dropped > 0 {
                let d = &self.engine.detections[i];
                diagnostics.push(Diagnostic::whole_file(
                    Level::Warning,
                    d.rule.file.clone(),
                    format!(
                        "{}: {} matching records were let go because one group held {} matches without firing; counts near them may be low",
                        d.meta.id,
                        state.dropped,
                        crate::sigma::MAX_GROUP_ENTRIES,
                    ),
                ));
            }
        }
        (self.alerts, self.stats)
    }
}

/// A JSON value checked as strictly as building a [`Value`] checks it, without building it.
struct Strict;

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Strict)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict {
    type Value = Strict;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        while map.next_entry::<Strict, Strict>()?.is_some() {}
        Ok(Strict)
    }
}

/// Every scalar at a dotted path, as text; lists on the way fan out to their elements.
fn all_texts(tree: &Value, path: &str) -> Vec<String> {
    let path: Vec<String> = path.split('.').map(String::from).collect();
    let mut out = Vec::new();
    crate::sigma::for_each_leaf(tree, &path, &mut |leaf| {
        match leaf {
            Value::String(s) => out.push(s.clone()),
            Value::Null | Value::Array(_) => {}
            other => out.push(other.to_string()),
        }
        false
    });
    out
}

/// The first scalar at a dotted path, as text.
fn first_text(tree: &Value, path: &str) -> Option<String> {
    let mut node = tree;
    for key in path.split('.') {
        node = match node {
            Value::Object(map) => map.get(key)?,
            Value::Array(items) => items.first()?.get(key)?,
            _ => return None,
        };
    }
    match node {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        Value::Array(items) => items.first().map(|v| v.to_string()),
        other => Some(other.to_string()),
    }
}
