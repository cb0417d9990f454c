//! Sigma rules over CloudTrail records: loading, compiling and matching.
//!
//! The language is the Sigma specification (rules v2.0 and correlation rules v2.0, SigmaHQ), for
//! `logsource: {product: aws, service: cloudtrail}`. What is understood is listed in
//! `detections/README.md`; anything else (an unknown modifier, a placeholder, a condition naming
//! a missing selection) is an error that names the file and line, never a rule that silently
//! matches nothing.

mod condition;
mod correlation;
mod matcher;

use std::collections::BTreeSet;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level};
use deadbolt_yaml::{Data, Node, Scalar};
use serde_json::Value;

use crate::event::{Header, HeaderField};

pub(crate) use condition::Condition;
pub use correlation::{Correlation, CorrelationKind, DEFAULT_LATENESS_MS, timespan};
pub(crate) use correlation::{CorrelationState, MAX_EVIDENCE, MAX_GROUP_ENTRIES, duration_text};
pub(crate) use matcher::for_each_leaf;
pub(crate) use matcher::{Anchor, Compare, FieldMatch, Pattern, ValueMatch};

/// A rule's severity: Sigma's `level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// `informational`: worth recording, not worth waking anyone.
    Informational,
    /// `low`.
    Low,
    /// `medium`.
    Medium,
    /// `high`.
    High,
    /// `critical`.
    Critical,
}

impl Severity {
    /// The Sigma spelling (`"high"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    fn parse(text: &str) -> Option<Severity> {
        Some(match text.to_ascii_lowercase().as_str() {
            "informational" => Severity::Informational,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }
}

/// One Sigma rule document: a detection over single records, or a correlation over the matches
/// of other rules.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `title`.
    pub title: String,
    /// `id` (a UUID in Sigma's convention; any string is accepted).
    pub id: Option<String>,
    /// `name`: how correlations refer to this rule.
    pub name: Option<String>,
    /// `author`: carried into every alert (the Detection Rule License requires attribution).
    pub author: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `references`.
    pub references: Vec<String>,
    /// `tags` (`attack.t1562.008`, `attack.defense-evasion`, ...).
    pub tags: Vec<String>,
    /// `falsepositives`.
    pub false_positives: Vec<String>,
    /// `level`; `medium` when absent.
    pub level: Severity,
    /// The file the rule came from, as the user named it, and the line of its document.
    pub file: Arc<str>,
    /// 1-based line where the document starts.
    pub line: u32,
    /// The `deadbolt:` custom attribute, left for the built-in detections to read.
    pub extension: Option<Node>,
    pub(crate) body: Body,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Detection(Detection),
    Correlation(Correlation),
}

/// The compiled `detection:` block of a rule.
#[derive(Debug, Clone)]
pub(crate) struct Detection {
    selections: Vec<Selection>,
    condition: Condition,
    /// What must hold of the record's [`Header`] fields for the condition to hold.
    prefilter: Prefilter,
    /// When the header alone decides the condition: per selection, the header field of each of
    /// its entries (in order, the maps of a list one after the other).
    on_header: Option<Vec<Vec<HeaderField>>>,
}

/// A necessary condition on [`Header`] fields, derived from a rule's condition: if it fails, the
/// rule cannot match, and the record's full tree need not be built for it.
#[derive(Debug, Clone)]
enum Prefilter {
    /// Nothing is known: the rule may match.
    Maybe,
    /// This field entry must hold.
    Field(HeaderField, FieldMatch),
    /// All of these must hold.
    All(Vec<Prefilter>),
    /// One of these must hold.
    Any(Vec<Prefilter>),
}

impl Prefilter {
    fn may_match(&self, header: &Header<'_>) -> bool {
        match self {
            Prefilter::Maybe => true,
            Prefilter::Field(field, m) => m.may_match_text(header.get(*field)),
            Prefilter::All(terms) => terms.iter().all(|t| t.may_match(header)),
            Prefilter::Any(terms) => terms.iter().any(|t| t.may_match(header)),
        }
    }

    fn of_fields(fields: &[FieldMatch]) -> Prefilter {
        let terms: Vec<Prefilter> = fields
            .iter()
            .filter_map(|f| {
                let field = HeaderField::from_path(&f.path.join("."))?;
                Some(Prefilter::Field(field, f.clone()))
            })
            .collect();
        Prefilter::all(terms)
    }

    fn all(terms: Vec<Prefilter>) -> Prefilter {
        let terms: Vec<Prefilter> = terms
            .into_iter()
            .filter(|t| !matches!(t, Prefilter::Maybe))
            .collect();
        if terms.is_empty() {
            Prefilter::Maybe
        } else {
            Prefilter::All(terms)
        }
    }

    fn any(terms: Vec<Prefilter>) -> Prefilter {
        if terms.is_empty() || terms.iter().any(|t| matches!(t, Prefilter::Maybe)) {
            Prefilter::Maybe
        } else {
            Prefilter::Any(terms)
        }
    }

    fn of(condition: &Condition, selections: &[Selection]) -> Prefilter {
        match condition {
            Condition::Selection(i) => match &selections[*i] {
                Selection::AllOf(fields) => Prefilter::of_fields(fields),
                Selection::AnyOf(maps) => {
                    Prefilter::any(maps.iter().map(|m| Prefilter::of_fields(m)).collect())
                }
                Selection::Keywords { .. } => Prefilter::Maybe,
            },
            Condition::And(terms) => {
                Prefilter::all(terms.iter().map(|t| Prefilter::of(t, selections)).collect())
            }
            Condition::Or(terms) => {
                Prefilter::any(terms.iter().map(|t| Prefilter::of(t, selections)).collect())
            }
            // What must hold under a `not` says nothing about what must hold outside it.
            Condition::Not(_) => Prefilter::Maybe,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Selection {
    /// A map: every entry holds.
    AllOf(Vec<FieldMatch>),
    /// A list of maps: one of them holds.
    AnyOf(Vec<Vec<FieldMatch>>),
    /// A list of plain values: one occurs anywhere in the raw record; with `all` (a map whose
    /// only key is `'|all'`), every one does.
    Keywords {
        /// The values, as `contains` matchers.
        words: Vec<ValueMatch>,
        /// Whether every value must occur.
        all: bool,
    },
}

impl Rule {
    /// The ATT&CK technique IDs in the rule's tags, upper-cased (`attack.t1562.008` → `T1562.008`).
    pub fn techniques(&self) -> Vec<String> {
        self.tags
            .iter()
            .filter_map(|t| t.strip_prefix("attack."))
            .filter(|t| {
                t.len() > 1
                    && t.starts_with(['t', 'T'])
                    && t[1..].starts_with(|c: char| c.is_ascii_digit())
            })
            .map(str::to_ascii_uppercase)
            .collect()
    }

    /// The correlation this rule declares, if it is a correlation rule.
    pub fn correlation(&self) -> Option<&Correlation> {
        match &self.body {
            Body::Correlation(c) => Some(c),
            Body::Detection(_) => None,
        }
    }

    /// Whether this is a detection over single records that matches `record` (`raw` is its JSON
    /// text, searched by keyword selections). Correlation rules never match a single record.
    pub fn matches(&self, record: &Value, raw: &str) -> bool {
        match &self.body {
            Body::Detection(d) => d.matches(record, raw),
            Body::Correlation(_) => false,
        }
    }

    /// Whether the rule may match a record with these top-level fields: false only when the
    /// fields alone rule it out (so the record's full tree need not be built for it).
    pub fn may_match(&self, header: &Header<'_>) -> bool {
        match &self.body {
            Body::Detection(d) => d.prefilter.may_match(header),
            Body::Correlation(_) => false,
        }
    }

    /// Whether the rule matches, judged from the record's header alone; `None` when the header
    /// cannot decide it (a field it does not read, a test it cannot answer, or a field that did
    /// not hold plain text), and the full tree must be asked with [`Rule::matches`].
    pub(crate) fn matches_header(&self, header: &Header<'_>) -> Option<bool> {
        match &self.body {
            Body::Detection(d) if header.plain => d
                .on_header
                .as_ref()
                .map(|fields| d.holds_on_header(fields, &d.condition, header)),
            _ => None,
        }
    }

    /// The lower-cased `eventName`s a record must have for this rule to match, when the rule's
    /// condition pins them down; `None` when any record may match. The engine indexes rules by it.
    pub fn event_names(&self) -> Option<BTreeSet<String>> {
        match &self.body {
            Body::Detection(d) => d.event_names(&d.condition),
            Body::Correlation(_) => None,
        }
    }
}

impl Detection {
    /// The named selections, in the order the rule wrote them (the condition refers to them by
    /// index).
    pub(crate) fn selections(&self) -> &[Selection] {
        &self.selections
    }

    /// The condition over the selections.
    pub(crate) fn condition(&self) -> &Condition {
        &self.condition
    }

    fn matches(&self, record: &Value, raw: &str) -> bool {
        self.holds(&self.condition, record, raw)
    }

    fn holds(&self, condition: &Condition, record: &Value, raw: &str) -> bool {
        match condition {
            Condition::Selection(i) => match &self.selections[*i] {
                Selection::AllOf(fields) => fields.iter().all(|f| f.matches(record)),
                Selection::AnyOf(maps) => maps.iter().any(|m| m.iter().all(|f| f.matches(record))),
                Selection::Keywords { words, all } => {
                    let found = |w: &ValueMatch| match w {
                        ValueMatch::Regex(re, pattern) => {
                            keyword_in_values(re, pattern, record, raw)
                        }
                        _ => false,
                    };
                    if *all {
                        words.iter().all(found)
                    } else {
                        words.iter().any(found)
                    }
                }
            },
            Condition::And(terms) => terms.iter().all(|t| self.holds(t, record, raw)),
            Condition::Or(terms) => terms.iter().any(|t| self.holds(t, record, raw)),
            Condition::Not(term) => !self.holds(term, record, raw),
        }
    }

    /// [`Detection::holds`] over header fields. With no `exists` or `fieldref` tests (see
    /// [`header_fields`]), `may_match_text` is exact: it is what the tree's test does with a
    /// string, a null or a missing field.
    fn holds_on_header(
        &self,
        fields: &[Vec<HeaderField>],
        condition: &Condition,
        header: &Header<'_>,
    ) -> bool {
        let entry = |f: &FieldMatch, field: &HeaderField| f.may_match_text(header.get(*field));
        match condition {
            Condition::Selection(i) => match &self.selections[*i] {
                Selection::AllOf(entries) => {
                    entries.iter().zip(&fields[*i]).all(|(f, h)| entry(f, h))
                }
                Selection::AnyOf(maps) => {
                    let mut rest = &fields[*i][..];
                    maps.iter().any(|m| {
                        let (these, after) = rest.split_at(m.len().min(rest.len()));
                        rest = after;
                        m.iter().zip(these).all(|(f, h)| entry(f, h))
                    })
                }
                Selection::Keywords { .. } => false,
            },
            Condition::And(terms) => terms
                .iter()
                .all(|t| self.holds_on_header(fields, t, header)),
            Condition::Or(terms) => terms
                .iter()
                .any(|t| self.holds_on_header(fields, t, header)),
            Condition::Not(term) => !self.holds_on_header(fields, term, header),
        }
    }

    fn event_names(&self, condition: &Condition) -> Option<BTreeSet<String>> {
        match condition {
            Condition::Selection(i) => match &self.selections[*i] {
                Selection::AllOf(fields) => pinned_names(fields),
                Selection::AnyOf(maps) => {
                    let mut all = BTreeSet::new();
                    for map in maps {
                        all.extend(pinned_names(map)?);
                    }
                    Some(all)
                }
                Selection::Keywords { .. } => None,
            },
            Condition::And(terms) => terms
                .iter()
                .filter_map(|t| self.event_names(t))
                .reduce(|a, b| a.intersection(&b).cloned().collect()),
            Condition::Or(terms) => {
                let mut all = BTreeSet::new();
                for t in terms {
                    all.extend(self.event_names(t)?);
                }
                Some(all)
            }
            Condition::Not(_) => None,
        }
    }
}

/// Whether a keyword occurs in one of the record's values: strings, and numbers and booleans as
/// JSON writes them; keys are not searched (Sigma's keywords are a search of the log's text, and
/// a CloudTrail record's keys are the same in every record).
///
/// The raw text is searched first: most records do not hold the keyword anywhere, and then no
/// value does either, provided the value's text appears in the raw text as it is. It may not when
/// JSON escaped a character of it (`\"`, `\/`, `\u00e9`), so a raw miss is final only when the
/// raw text has no escapes or the keyword has no character that JSON escapes (nor a `?`, which
/// stands for one character where the raw text has an escape's several).
fn keyword_in_values(re: &regex::Regex, pattern: &Pattern, record: &Value, raw: &str) -> bool {
    if !re.is_match(raw) {
        let plain = match pattern {
            Pattern::Sigma { value, .. } => value.chars().all(|c| {
                c == ' ' || (c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '/' | '?'))
            }),
            Pattern::Re { .. } => false,
        };
        if plain || !raw.contains('\\') {
            return false;
        }
    }
    any_value(record, &mut |text| re.is_match(text))
}

/// Calls `f` on the text of every scalar value in `value` (not on keys) until it returns true.
fn any_value(value: &Value, f: &mut dyn FnMut(&str) -> bool) -> bool {
    match value {
        Value::String(s) => f(s),
        Value::Number(n) => f(&n.to_string()),
        Value::Bool(b) => f(if *b { "true" } else { "false" }),
        Value::Null => false,
        Value::Array(items) => items.iter().any(|v| any_value(v, f)),
        Value::Object(map) => map.values().any(|v| any_value(v, f)),
    }
}

fn pinned_names(fields: &[FieldMatch]) -> Option<BTreeSet<String>> {
    let field = fields
        .iter()
        .find(|f| f.path.len() == 1 && f.path[0] == "eventName" && !f.all)?;
    field
        .values
        .iter()
        .map(|v| match v {
            ValueMatch::EqAscii(s) | ValueMatch::EqCased(s) => Some(s.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// How many values of one rule file may compile to regular expressions (wildcards, `contains`,
/// `startswith`, `endswith`, `re`, keywords). Each costs tens of KiB; without a budget a 20 MB rule
/// file of `contains` values took 16 GB.
pub const MAX_PATTERNS_PER_FILE: usize = 5_000;

/// How the warning for a rule of another log source begins.
pub const NOT_CLOUDTRAIL: &str =
    "not a rule for CloudTrail (logsource product aws, service cloudtrail)";

/// Reads every Sigma rule document in `text` (one or more YAML documents).
///
/// Rules for another log source are skipped with a warning. Errors (not YAML, a document that is
/// neither a detection nor a correlation, a malformed selection, an unknown modifier) name the
/// file and line; the other documents of the file are still read.
pub fn load(file: &Arc<str>, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<Rule> {
    let docs = match deadbolt_yaml::parse(file, text) {
        Ok(docs) => docs,
        Err(d) => {
            diagnostics.push(d);
            return Vec::new();
        }
    };
    let mut rules = Vec::new();
    let mut budget = MAX_PATTERNS_PER_FILE;
    for doc in &docs {
        if doc.is_null() {
            continue;
        }
        match rule(file, doc, &mut budget) {
            Ok(Some(rule)) => rules.push(rule),
            Ok(None) => diagnostics.push(Diagnostic::at(
                Level::Warning,
                file.clone(),
                doc.span.start.line,
                doc.span.start.column,
                format!("{NOT_CLOUDTRAIL}: skipped"),
            )),
            Err((node, message)) => diagnostics.push(Diagnostic::at(
                Level::Error,
                file.clone(),
                node.span.start.line,
                node.span.start.column,
                message,
            )),
        }
    }
    rules
}

type Failure<'a> = (&'a Node, String);

fn rule<'a>(
    file: &Arc<str>,
    doc: &'a Node,
    budget: &mut usize,
) -> Result<Option<Rule>, Failure<'a>> {
    if doc.as_mapping().is_none() {
        return Err((doc, "a Sigma rule must be a mapping".into()));
    }
    let title = doc
        .get("title")
        .and_then(Node::scalar_text)
        .ok_or((doc, "the rule has no title".to_string()))?
        .into_owned();
    let level = match doc.get("level") {
        None => Severity::Medium,
        Some(node) => node.as_str().and_then(Severity::parse).ok_or((
            node,
            "level must be informational, low, medium, high or critical".to_string(),
        ))?,
    };
    let body = if let Some(correlation) = doc.get("correlation") {
        Body::Correlation(correlation::parse(correlation, doc)?)
    } else if let Some(detection) = doc.get("detection") {
        if !is_cloudtrail(doc.get("logsource")) {
            return Ok(None);
        }
        Body::Detection(self::detection(detection, budget)?)
    } else {
        return Err((
            doc,
            "the document has neither `detection` nor `correlation`".into(),
        ));
    };
    Ok(Some(Rule {
        title,
        id: text(doc, "id"),
        name: text(doc, "name"),
        author: text(doc, "author"),
        description: text(doc, "description"),
        references: texts(doc, "references"),
        tags: texts(doc, "tags"),
        false_positives: texts(doc, "falsepositives"),
        level,
        file: file.clone(),
        line: doc.span.start.line,
        extension: doc.get("deadbolt").cloned(),
        body,
    }))
}

fn text(doc: &Node, key: &str) -> Option<String> {
    doc.get(key)
        .and_then(Node::scalar_text)
        .map(|s| s.trim().to_string())
}

fn texts(doc: &Node, key: &str) -> Vec<String> {
    match doc.get(key) {
        Some(node) => match node.as_sequence() {
            Some(items) => items
                .iter()
                .filter_map(Node::scalar_text)
                .map(|s| s.into_owned())
                .collect(),
            None => node
                .scalar_text()
                .map(|s| vec![s.into_owned()])
                .unwrap_or_default(),
        },
        None => Vec::new(),
    }
}

fn is_cloudtrail(logsource: Option<&Node>) -> bool {
    let Some(logsource) = logsource else {
        return false;
    };
    let is = |key: &str, want: &str| {
        logsource
            .get(key)
            .and_then(Node::as_str)
            .is_some_and(|v| v.eq_ignore_ascii_case(want))
    };
    is("product", "aws") && (logsource.get("service").is_none() || is("service", "cloudtrail"))
}

fn detection<'a>(node: &'a Node, budget: &mut usize) -> Result<Detection, Failure<'a>> {
    let entries = node
        .as_mapping()
        .ok_or((node, "`detection` must be a mapping".to_string()))?;
    let mut names = Vec::new();
    let mut selections = Vec::new();
    let mut condition_node = None;
    for (key, value) in entries {
        let name = key.as_str().unwrap_or_default();
        match name {
            "condition" => condition_node = Some(value),
            "timeframe" => {
                return Err((
                    key,
                    "`timeframe` is deprecated in Sigma: write a correlation rule".into(),
                ));
            }
            _ => {
                names.push(name.to_string());
                selections.push(
                    selection(value, budget)
                        .map_err(|(n, e)| (n, format!("selection {name:?}: {e}")))?,
                );
            }
        }
    }
    let condition_node =
        condition_node.ok_or((node, "`detection` has no condition".to_string()))?;
    let condition = match condition_node.as_sequence() {
        // A list of conditions (an old Sigma form) means any of them.
        Some(items) => {
            let mut terms = Vec::new();
            for item in items {
                terms.push(parse_condition(item, &names)?);
            }
            Condition::Or(terms)
        }
        None => parse_condition(condition_node, &names)?,
    };
    let prefilter = Prefilter::of(&condition, &selections);
    let on_header = header_fields(&condition, &selections);
    Ok(Detection {
        selections,
        condition,
        prefilter,
        on_header,
    })
}

/// The header field of every entry of every selection, when the header decides the condition
/// exactly for records whose header is plain ([`Header`]'s `plain`). Not when an entry names a
/// field the header does not read, tests `exists` (a null is present, a missing field is not: the
/// header has `None` for both) or `fieldref`, or is a keyword. A nested field (`userIdentity.type`)
/// also must not be tested for null nor sit under a `not`: the tree also finds a literal dotted key
/// (`"userIdentity.type"`) when `userIdentity` is missing, where the header reads nothing. In the
/// positive places left that only loses matches the prefilter already ruled out.
fn header_fields(condition: &Condition, selections: &[Selection]) -> Option<Vec<Vec<HeaderField>>> {
    let mut negated = vec![false; selections.len()];
    mark_negated(condition, false, &mut negated);
    selections
        .iter()
        .zip(&negated)
        .map(|(selection, &negated)| {
            let entries: Vec<&FieldMatch> = match selection {
                Selection::AllOf(entries) => entries.iter().collect(),
                Selection::AnyOf(maps) => maps.iter().flatten().collect(),
                Selection::Keywords { .. } => return None,
            };
            entries
                .into_iter()
                .map(|f| {
                    let field = HeaderField::from_path(&f.path.join("."))?;
                    let nested = f.path.len() > 1;
                    let exact = f.values.iter().all(|v| match v {
                        ValueMatch::Exists(_) | ValueMatch::FieldRef(_) => false,
                        ValueMatch::Null => !nested,
                        _ => true,
                    });
                    (exact && !(nested && negated)).then_some(field)
                })
                .collect()
        })
        .collect()
}

/// Marks the selections that appear under a `not`.
fn mark_negated(condition: &Condition, under_not: bool, negated: &mut [bool]) {
    match condition {
        Condition::Selection(i) => {
            if let Some(n) = negated.get_mut(*i) {
                *n |= under_not;
            }
        }
        Condition::And(terms) | Condition::Or(terms) => {
            for t in terms {
                mark_negated(t, under_not, negated);
            }
        }
        Condition::Not(term) => mark_negated(term, true, negated),
    }
}

fn parse_condition<'a>(node: &'a Node, names: &[String]) -> Result<Condition, Failure<'a>> {
    let text = node
        .as_str()
        .ok_or((node, "the condition must be a string".to_string()))?;
    condition::parse(text, names).map_err(|e| (node, e))
}

fn spend(budget: &mut usize, m: &ValueMatch) -> Result<(), String> {
    if matches!(m, ValueMatch::Regex(..)) {
        if *budget == 0 {
            return Err(format!(
                "more than {MAX_PATTERNS_PER_FILE} pattern values (wildcards, contains, re, keywords) in one rule file"
            ));
        }
        *budget -= 1;
    }
    Ok(())
}

fn selection<'a>(node: &'a Node, budget: &mut usize) -> Result<Selection, Failure<'a>> {
    let empty = match &node.data {
        Data::Mapping(entries) => entries.is_empty(),
        Data::Sequence(items) => items.is_empty(),
        Data::Scalar(Scalar::Null) => true,
        Data::Scalar(_) => false,
    };
    if empty {
        // An empty map would match every record and an empty list none: both are mistakes.
        return Err((node, "is empty".into()));
    }
    match &node.data {
        // Sigma's keyword form with a modifier: `'|all': [a, b]`, every keyword must occur.
        Data::Mapping(entries) if entries.iter().any(|(k, _)| is_bare_modifier(k)) => {
            let [(key, value)] = entries.as_slice() else {
                let (key, _) = entries
                    .iter()
                    .find(|(k, _)| is_bare_modifier(k))
                    .unwrap_or(&entries[0]);
                return Err((
                    key,
                    "a keyword map ('|all') must be the selection's only entry: put fields in another selection".into(),
                ));
            };
            if key.as_str() != Some("|all") {
                return Err((
                    key,
                    format!(
                        "keywords take only the `all` modifier ('|all'), not {:?}",
                        key.as_str().unwrap_or_default()
                    ),
                ));
            }
            let items = match value.as_sequence() {
                Some(items) if !items.is_empty() => items,
                Some(_) => return Err((value, "'|all' has an empty list".into())),
                None => std::slice::from_ref(value),
            };
            Ok(Selection::Keywords {
                words: keywords(items, budget)?,
                all: true,
            })
        }
        Data::Mapping(entries) => Ok(Selection::AllOf(field_matches(entries, budget)?)),
        Data::Sequence(items)
            if items.iter().all(|i| i.as_mapping().is_some()) && !items.is_empty() =>
        {
            let mut maps = Vec::new();
            for item in items {
                maps.push(field_matches(
                    item.as_mapping().unwrap_or_default(),
                    budget,
                )?);
            }
            Ok(Selection::AnyOf(maps))
        }
        Data::Sequence(items) => Ok(Selection::Keywords {
            words: keywords(items, budget)?,
            all: false,
        }),
        Data::Scalar(_) => {
            let word = node.scalar_text().unwrap_or_default();
            Ok(Selection::Keywords {
                words: vec![
                    matcher::string_matcher(&word, Anchor::Contains, false)
                        .map_err(|e| (node, e))?,
                ],
                all: false,
            })
        }
    }
}

/// A key with no field name, only modifiers (`'|all'`).
fn is_bare_modifier(key: &Node) -> bool {
    key.as_str().is_some_and(|k| k.starts_with('|'))
}

fn keywords<'a>(items: &'a [Node], budget: &mut usize) -> Result<Vec<ValueMatch>, Failure<'a>> {
    let mut words = Vec::new();
    for item in items {
        let word = item
            .scalar_text()
            .ok_or((item, "a keyword list holds plain values only".to_string()))?;
        let m = matcher::string_matcher(&word, Anchor::Contains, false).map_err(|e| (item, e))?;
        spend(budget, &m).map_err(|e| (item, e))?;
        words.push(m);
    }
    Ok(words)
}

fn field_matches<'a>(
    entries: &'a [(Node, Node)],
    budget: &mut usize,
) -> Result<Vec<FieldMatch>, Failure<'a>> {
    let mut out = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        let spec = key
            .scalar_text()
            .ok_or((key, "a field name must be a string".to_string()))?;
        out.push(field_match(&spec, value, budget).map_err(|e| (key, e))?);
    }
    Ok(out)
}

#[derive(Default)]
struct Modifiers {
    anchor: Option<Anchor>,
    all: bool,
    cased: bool,
    re: Option<String>,
    cidr: bool,
    exists: bool,
    fieldref: bool,
    compare: Option<Compare>,
}

fn field_match(spec: &str, value: &Node, budget: &mut usize) -> Result<FieldMatch, String> {
    let mut parts = spec.split('|');
    let field = parts.next().unwrap_or_default().trim();
    if field.is_empty() {
        return Err(format!("{spec:?} names no field"));
    }
    let mut m = Modifiers::default();
    for modifier in parts {
        match modifier {
            "contains" => m.anchor = Some(Anchor::Contains),
            "startswith" => m.anchor = Some(Anchor::StartsWith),
            "endswith" => m.anchor = Some(Anchor::EndsWith),
            "all" => m.all = true,
            "cased" => m.cased = true,
            "re" => m.re = Some(String::new()),
            "i" | "m" | "s" if m.re.is_some() => m.re.get_or_insert_default().push_str(modifier),
            "cidr" => m.cidr = true,
            "exists" => m.exists = true,
            "fieldref" => m.fieldref = true,
            "gt" => m.compare = Some(Compare::Gt),
            "gte" => m.compare = Some(Compare::Gte),
            "lt" => m.compare = Some(Compare::Lt),
            "lte" => m.compare = Some(Compare::Lte),
            other => return Err(format!("modifier {other:?} (in {spec:?}) is not supported")),
        }
    }
    let nodes: Vec<&Node> = match value.as_sequence() {
        Some(items) => items.iter().collect(),
        None => vec![value],
    };
    let mut values = Vec::with_capacity(nodes.len());
    for node in nodes {
        let v = value_match(&m, node)?;
        spend(budget, &v)?;
        values.push(v);
    }
    if values.is_empty() {
        return Err(format!("{spec:?} has an empty list of values"));
    }
    Ok(FieldMatch {
        path: field.split('.').map(String::from).collect(),
        values,
        all: m.all,
    })
}

fn value_match(m: &Modifiers, node: &Node) -> Result<ValueMatch, String> {
    let scalar = node
        .as_scalar()
        .ok_or_else(|| "a field's value must be a scalar or a list of scalars".to_string())?;
    if m.exists {
        return match scalar {
            Scalar::Bool(b) => Ok(ValueMatch::Exists(*b)),
            _ => Err("`exists` takes true or false".into()),
        };
    }
    if matches!(scalar, Scalar::Null) {
        return Ok(ValueMatch::Null);
    }
    let text = node.scalar_text().unwrap_or_default();
    if let Some(op) = m.compare {
        return text
            .trim()
            .parse::<f64>()
            .map(|n| ValueMatch::Number(op, n))
            .map_err(|_| format!("{text:?} is not a number"));
    }
    if m.fieldref {
        return Ok(ValueMatch::FieldRef(
            text.split('.').map(String::from).collect(),
        ));
    }
    if m.cidr {
        return matcher::cidr(&text);
    }
    if let Some(flags) = &m.re {
        return matcher::regex_matcher(&text, flags);
    }
    matcher::string_matcher(&text, m.anchor.unwrap_or(Anchor::Exact), m.cased)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Rule {
        let mut diags = Vec::new();
        let mut rules = load(&Arc::from("t.yml"), text, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        rules.remove(0)
    }

    const HEAD: &str = "title: t\nlogsource: {product: aws, service: cloudtrail}\n";

    #[test]
    fn selections_and_condition() {
        let rule = one(&format!(
            "{HEAD}detection:\n  selection:\n    eventSource: iam.amazonaws.com\n    eventName: [CreateAccessKey, CreateLoginProfile]\n  same_user:\n    requestParameters.userName|fieldref: userIdentity.userName\n  condition: selection and not same_user\nlevel: high\n"
        ));
        let other = json!({"eventSource": "iam.amazonaws.com", "eventName": "CreateAccessKey",
            "requestParameters": {"userName": "mallory"}, "userIdentity": {"userName": "alice"}});
        let own = json!({"eventSource": "iam.amazonaws.com", "eventName": "createaccesskey",
            "requestParameters": {"userName": "alice"}, "userIdentity": {"userName": "alice"}});
        assert!(rule.matches(&other, ""));
        assert!(!rule.matches(&own, ""));
        assert_eq!(rule.level, Severity::High);
        assert_eq!(
            rule.event_names().unwrap().into_iter().collect::<Vec<_>>(),
            ["createaccesskey", "createloginprofile"]
        );
    }

    /// Whether `rule` matches the record whose JSON text is `raw`.
    fn on(rule: &Rule, raw: &str) -> bool {
        rule.matches(&serde_json::from_str(raw).unwrap(), raw)
    }

    #[test]
    fn the_header_decides_rules_over_its_fields_when_they_are_plain_text() {
        use crate::event::CheckedHeader;
        fn header(text: &str) -> Header<'_> {
            serde_json::from_str::<CheckedHeader>(text).unwrap().0
        }
        let rule = one(&format!(
            "{HEAD}detection:\n  user:\n    userIdentity.type: IAMUser\n  aws:\n    - sourceIPAddress|endswith: .amazonaws.com\n    - vpcEndpointId: null\n  condition: user and not aws\n"
        ));
        let texts = [
            r#"{"userIdentity":{"type":"IAMUser"},"sourceIPAddress":"203.0.113.1","vpcEndpointId":"vpce-1"}"#,
            r#"{"userIdentity":{"type":"IAMUser"},"sourceIPAddress":"s3.amazonaws.com","vpcEndpointId":"vpce-1"}"#,
            r#"{"userIdentity":{"type":"Root"},"sourceIPAddress":"203.0.113.1","vpcEndpointId":"vpce-1"}"#,
            r#"{"userIdentity":{"type":"IAMUser"},"sourceIPAddress":"203.0.113.1"}"#,
        ];
        for text in texts {
            let tree: Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                rule.matches_header(&header(text)),
                Some(rule.matches(&tree, text)),
                "{text}"
            );
        }
        // A list where the header reads text: the tree decides (it reads each element).
        let text = r#"{"userIdentity":{"type":"IAMUser"},"sourceIPAddress":["s3.amazonaws.com"],"vpcEndpointId":"v"}"#;
        assert_eq!(rule.matches_header(&header(text)), None);
        assert!(!rule.matches(&serde_json::from_str(text).unwrap(), text));
        // A nested field under a `not`, or a field the header does not read: never the header.
        for detection in [
            "  a:\n    eventName: X\n  b:\n    userIdentity.type: Root\n  condition: a and not b\n",
            "  a:\n    eventName: X\n    requestParameters.name: y\n  condition: a\n",
            "  a:\n    eventName: X\n    userIdentity.invokedBy: null\n  condition: a\n",
        ] {
            let rule = one(&format!("{HEAD}detection:\n{detection}"));
            assert_eq!(
                rule.matches_header(&header(r#"{"eventName":"X"}"#)),
                None,
                "{detection}"
            );
        }
    }

    #[test]
    fn keywords_search_the_values_of_the_record() {
        let rule = one(&format!(
            "{HEAD}detection:\n  words: [stratus-red-team]\n  condition: words\n"
        ));
        assert!(on(&rule, r#"{"userAgent":"Stratus-Red-Team_1"}"#));
        assert!(on(&rule, r#"{"a":{"b":["x","aws-stratus-red-team"]}}"#));
        assert!(!on(&rule, r#"{"userAgent":"aws-cli"}"#));
        assert!(rule.event_names().is_none());
        // Keys are not values.
        assert!(!on(&rule, r#"{"stratus-red-team":"x"}"#));
        // A wildcard does not reach from one value into the next.
        let rule = one(&format!(
            "{HEAD}detection:\n  words: ['leave-org*role']\n  condition: words\n"
        ));
        assert!(on(&rule, r#"{"a":"stratus-leave-org-role"}"#));
        assert!(!on(&rule, r#"{"a":"leave-org","b":"role"}"#));
        // Numbers and booleans as JSON writes them.
        let rule = one(&format!(
            "{HEAD}detection:\n  words: ['3389', 'false']\n  condition: words\n"
        ));
        assert!(on(&rule, r#"{"toPort":3389}"#));
        assert!(on(&rule, r#"{"readOnly":false}"#));
        assert!(!on(&rule, r#"{"false":null}"#));
        // A value JSON escaped is found by what it says, not by its escapes.
        for (word, raw) in [
            (r#"'say "hi"'"#, r#"{"a":"they say \"hi\" here"}"#),
            ("'a/b'", r#"{"a":"x a\/b y"}"#),
            ("'café'", r#"{"a":"le caf\u00e9"}"#),
            ("'dom\\user'", r#"{"a":"dom\\user"}"#),
            ("'a?c'", r#"{"a":"a\"c"}"#),
        ] {
            let rule = one(&format!(
                "{HEAD}detection:\n  words: [{word}]\n  condition: words\n"
            ));
            assert!(on(&rule, raw), "{word} in {raw}");
        }
    }

    #[test]
    fn all_keywords_must_each_occur() {
        let rule = one(&format!(
            "{HEAD}detection:\n  words:\n    '|all':\n      - stratus\n      - GetSecretValue\n  condition: words\n"
        ));
        assert!(on(
            &rule,
            r#"{"eventName":"GetSecretValue","userAgent":"stratus-red-team"}"#
        ));
        assert!(!on(&rule, r#"{"eventName":"GetSecretValue"}"#));
        assert!(!on(&rule, r#"{"userAgent":"stratus-red-team"}"#));
        // One value is a list of one.
        let rule = one(&format!(
            "{HEAD}detection:\n  words: {{'|all': stratus}}\n  condition: words\n"
        ));
        assert!(on(&rule, r#"{"userAgent":"Stratus"}"#));
        for (bad, says) in [
            ("{'|all': [a], eventName: x}", "only entry"),
            ("{'|contains': [a]}", "only the `all` modifier"),
            ("{'|all': []}", "empty list"),
            ("{'|all': [{a: b}]}", "plain values"),
        ] {
            let mut diags = Vec::new();
            let text = format!("{HEAD}detection:\n  words: {bad}\n  condition: words\n");
            assert!(
                load(&Arc::from("t.yml"), &text, &mut diags).is_empty(),
                "{bad}"
            );
            assert_eq!(diags.len(), 1, "{bad}: {diags:?}");
            assert_eq!(diags[0].line, 4, "{bad}");
            assert!(diags[0].message.contains(says), "{bad}: {:?}", diags[0]);
        }
    }

    #[test]
    fn other_log_sources_are_skipped_and_errors_have_lines() {
        let mut diags = Vec::new();
        let text = "title: w\nlogsource: {product: windows}\ndetection: {s: {EventID: 1}, condition: s}\n---\ntitle: bad\nlogsource: {product: aws}\ndetection:\n  s:\n    a|base64: x\n  condition: s\n";
        let rules = load(&Arc::from("t.yml"), text, &mut diags);
        assert!(rules.is_empty());
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].level, Level::Warning);
        assert_eq!(diags[1].line, 9);
        assert!(diags[1].message.contains("base64"), "{}", diags[1].message);
    }

    #[test]
    fn empty_selections_and_pattern_floods_are_errors() {
        for sel in ["sel:", "sel: {}", "sel: []"] {
            let mut diags = Vec::new();
            let text = format!("{HEAD}detection:\n  {sel}\n  condition: sel\n");
            assert!(
                load(&Arc::from("t.yml"), &text, &mut diags).is_empty(),
                "{sel}"
            );
            assert!(diags[0].message.contains("empty"), "{sel}: {:?}", diags[0]);
        }
        let values: String = (0..MAX_PATTERNS_PER_FILE + 1)
            .map(|i| format!("      - v{i}\n"))
            .collect();
        let text = format!(
            "{HEAD}detection:\n  sel:\n    userAgent|contains:\n{values}  condition: sel\n"
        );
        let mut diags = Vec::new();
        assert!(load(&Arc::from("t.yml"), &text, &mut diags).is_empty());
        assert!(
            diags[0].message.contains("pattern values"),
            "{:?}",
            diags[0]
        );
    }

    #[test]
    fn techniques_come_from_tags() {
        let rule = one(&format!(
            "{HEAD}tags: [attack.defense-evasion, attack.t1562.008]\ndetection: {{s: {{eventName: StopLogging}}, condition: s}}\n"
        ));
        assert_eq!(rule.techniques(), ["T1562.008"]);
    }
}
