//! Sigma correlation rules (`event_count`, `value_count`, `temporal`, `temporal_ordered`) and
//! their window state.

use std::collections::{HashMap, HashSet, VecDeque};

use deadbolt_yaml::Node;

use super::Failure;

/// How many event IDs an alert keeps as evidence; the count of the rest is kept too.
pub(crate) const MAX_EVIDENCE: usize = 20;

/// How much older than the newest match of its group a correlation's match may be and still
/// count, unless the caller says otherwise ([`crate::Window::lateness_ms`]): one hour, in
/// milliseconds. A correlation whose timespan is longer uses its timespan.
///
/// CloudTrail writes a delivery file per account and region about every five minutes, and an
/// event can land in a file delivered well after its time; walking a trail's files in delivery
/// order therefore meets records minutes, rarely tens of minutes, older than ones already read.
/// An hour covers that with room to spare, while the state a correlation keeps is what matched in
/// the last hour plus its timespan.
pub const DEFAULT_LATENESS_MS: i64 = 3_600_000;

/// How many matches one group of one correlation keeps; past it the oldest are let go (and
/// counted, see [`CorrelationState::dropped`]). A group's window resets when it fires, so only a
/// group that matches again and again without firing (the same secret read all day by one
/// application) comes near it.
pub(crate) const MAX_GROUP_ENTRIES: usize = 50_000;

/// How many rules one correlation may count, and by how many fields it may group: each rule keeps
/// a field per `group-by` entry, so a hostile rule file of 10,000 of each would hold 10^8.
const MAX_RULES: usize = 100;
const MAX_GROUP_BY: usize = 20;

/// A compiled `correlation:` block.
#[derive(Debug, Clone)]
pub struct Correlation {
    /// What is counted.
    pub kind: CorrelationKind,
    /// The `name`s (or `id`s) of the rules whose matches are counted.
    pub rules: Vec<String>,
    /// The `group-by` entries as written: dotted fields (`userIdentity.arn`) or `aliases` names.
    pub group_by: Vec<String>,
    /// Per rule of [`Correlation::rules`], the dotted field each `group-by` entry reads in that
    /// rule's records (an alias resolves to the rule's own field).
    group_fields: Vec<Vec<String>>,
    /// The window, in milliseconds.
    pub timespan_ms: i64,
    /// The count must be at least this (`gte`; `gt: n` is kept as `n + 1`, `eq` as both bounds).
    /// For `temporal`, the count is of distinct rules, and all of them when no condition is given.
    pub at_least: u64,
    /// `eq`: the count must also be at most this.
    pub at_most: Option<u64>,
    /// `generate`: whether the counted rules also raise alerts of their own.
    pub generate: bool,
}

/// What a correlation counts.
#[derive(Debug, Clone, PartialEq)]
pub enum CorrelationKind {
    /// `event_count`: matching records.
    EventCount,
    /// `value_count`: distinct values of this dotted field among the matching records.
    ValueCount(String),
    /// `temporal`: distinct rules (of `rules`) that matched, in any order.
    Temporal,
    /// `temporal_ordered`: every rule matched, in the order `rules` lists them (a record may
    /// follow the previous one in the same second: CloudTrail times have whole seconds).
    TemporalOrdered,
}

impl Correlation {
    /// The dotted field that `group-by` entry `entry` reads in records matched by rule `member`
    /// (an index into [`Correlation::rules`]).
    pub fn group_field(&self, member: usize, entry: usize) -> &str {
        &self.group_fields[member][entry]
    }

    /// Why an alert of this correlation fired, with the count reached: "12 distinct
    /// requestParameters.secretId within 10m by the same userIdentity.arn".
    pub fn explain(&self, count: u64) -> String {
        let span = duration_text(self.timespan_ms);
        let grouped = if self.group_by.is_empty() {
            String::new()
        } else {
            format!(" by the same {}", self.group_by.join(" and "))
        };
        match &self.kind {
            CorrelationKind::EventCount => {
                format!("{count} matching events within {span}{grouped}")
            }
            CorrelationKind::ValueCount(field) => {
                format!("{count} distinct {field} within {span}{grouped}")
            }
            CorrelationKind::Temporal => format!(
                "{count} of {} within {span}{grouped}",
                self.rules.join(", ")
            ),
            CorrelationKind::TemporalOrdered => format!(
                "{} in this order within {span}{grouped}",
                self.rules.join(", then ")
            ),
        }
    }
}

/// A duration in Sigma's timespan spelling, in the largest unit that divides it: `10m`, `1h`.
pub(crate) fn duration_text(ms: i64) -> String {
    match ms {
        ms if ms != 0 && ms % 86_400_000 == 0 => format!("{}d", ms / 86_400_000),
        ms if ms != 0 && ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
        ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
        ms => format!("{}s", ms / 1000),
    }
}

pub(crate) fn parse<'a>(node: &'a Node, doc: &'a Node) -> Result<Correlation, Failure<'a>> {
    let kind_node = node
        .get("type")
        .ok_or((node, "the correlation has no `type`".to_string()))?;
    let condition = node.get("condition");
    let kind = match kind_node.as_str() {
        Some("event_count") => CorrelationKind::EventCount,
        Some("value_count") => CorrelationKind::ValueCount(
            condition
                .and_then(|c| c.get("field"))
                .and_then(Node::as_str)
                .ok_or((
                    condition.unwrap_or(node),
                    "a value_count condition needs `field`".to_string(),
                ))?
                .to_string(),
        ),
        Some("temporal") => CorrelationKind::Temporal,
        Some("temporal_ordered") => CorrelationKind::TemporalOrdered,
        Some(other) => {
            return Err((
                kind_node,
                format!(
                    "correlation type {other:?} is not supported (event_count, value_count, temporal and temporal_ordered are)"
                ),
            ));
        }
        None => return Err((kind_node, "`type` must be a string".into())),
    };
    let rules = strings(node.get("rules"));
    if rules.is_empty() {
        return Err((node, "the correlation names no `rules`".into()));
    }
    if rules.len() > MAX_RULES {
        return Err((
            node.get("rules").unwrap_or(node),
            format!("a correlation counts at most {MAX_RULES} rules"),
        ));
    }
    let span_node = node
        .get("timespan")
        .ok_or((node, "the correlation has no `timespan`".to_string()))?;
    let timespan_ms = span_node.scalar_text().and_then(|s| timespan(&s)).ok_or((
        span_node,
        "timespan must be a number and a unit: 30s, 5m, 1h, 1d".to_string(),
    ))?;
    let temporal = matches!(
        kind,
        CorrelationKind::Temporal | CorrelationKind::TemporalOrdered
    );
    let (at_least, at_most) = match condition {
        // The specification makes `condition` mandatory, but for the temporal types it is the
        // count of distinct rules, and every rule is what the examples mean without one.
        None if temporal => (rules.len() as u64, None),
        None => return Err((node, "the correlation has no `condition`".to_string())),
        Some(condition) => bounds(condition)?,
    };
    if temporal && at_least as usize > rules.len() {
        return Err((
            condition.unwrap_or(node),
            format!(
                "the condition asks for {at_least} distinct rules, but the correlation names {}",
                rules.len()
            ),
        ));
    }
    if kind == CorrelationKind::TemporalOrdered && (at_least as usize) < rules.len() {
        return Err((
            condition.unwrap_or(node),
            "temporal_ordered needs every rule, in order: leave out `condition` (or give gte with the number of rules)".into(),
        ));
    }
    let group_by = strings(node.get("group-by"));
    if group_by.len() > MAX_GROUP_BY {
        return Err((
            node.get("group-by").unwrap_or(node),
            format!("a correlation groups by at most {MAX_GROUP_BY} fields"),
        ));
    }
    let group_fields = aliases(node, &rules, &group_by)?;
    Ok(Correlation {
        kind,
        rules,
        group_by,
        group_fields,
        timespan_ms,
        at_least: at_least.max(1),
        at_most,
        // Sigma's schema puts `generate` beside `correlation`; pySigma reads it inside. Either.
        generate: node
            .get("generate")
            .or_else(|| doc.get("generate"))
            .and_then(Node::as_bool)
            .unwrap_or(false),
    })
}

fn bounds(condition: &Node) -> Result<(u64, Option<u64>), Failure<'_>> {
    let count = |key: &str| -> Result<Option<u64>, Failure<'_>> {
        match condition.get(key) {
            None => Ok(None),
            Some(n) => n
                .as_i64()
                .and_then(|n| u64::try_from(n).ok())
                .map(Some)
                .ok_or((n, format!("`{key}` must be a non-negative whole number"))),
        }
    };
    let given = ["gte", "gt", "eq", "lt", "lte"]
        .iter()
        .filter(|k| condition.get(k).is_some())
        .count();
    if given > 1 {
        return Err((
            condition,
            "give one bound (gte, gt or eq): ranges are not supported".into(),
        ));
    }
    match (count("gte")?, count("gt")?, count("eq")?) {
        (Some(n), None, None) => Ok((n, None)),
        (None, Some(n), None) => Ok((n.saturating_add(1), None)),
        (None, None, Some(n)) => Ok((n, Some(n))),
        _ if condition.get("lt").is_some() || condition.get("lte").is_some() => Err((
            condition,
            "`lt`/`lte` correlations (too few events) need the end of a window, which a stream of logs does not have: use gte, gt or eq".into(),
        )),
        _ => Err((condition, "the condition needs one of gte, gt or eq".into())),
    }
}

/// Resolves `group-by` through `aliases` (Sigma 2.0: `aliases: {alias: {rule name: field}}`):
/// per rule, the field each `group-by` entry reads. An entry that is not an alias is the same
/// field in every rule.
fn aliases<'a>(
    node: &'a Node,
    rules: &[String],
    group_by: &[String],
) -> Result<Vec<Vec<String>>, Failure<'a>> {
    let mut fields: Vec<Vec<String>> = vec![group_by.to_vec(); rules.len()];
    let Some(aliases) = node.get("aliases") else {
        return Ok(fields);
    };
    let entries = aliases.as_mapping().ok_or((
        aliases,
        "`aliases` must be a mapping of alias names".to_string(),
    ))?;
    for (key, per_rule) in entries {
        let alias = key
            .as_str()
            .ok_or((key, "an alias name must be a string".to_string()))?;
        let Some(entry) = group_by.iter().position(|g| g == alias) else {
            return Err((key, format!("alias {alias:?} is not used in `group-by`")));
        };
        let map = per_rule.as_mapping().ok_or((
            per_rule,
            format!("alias {alias:?} must map each rule's name to a field"),
        ))?;
        let mut given = vec![false; rules.len()];
        for (rule_key, field) in map {
            let rule = rule_key
                .as_str()
                .ok_or((rule_key, "a rule name must be a string".to_string()))?;
            let field = field.as_str().filter(|f| !f.is_empty()).ok_or((
                field,
                format!("alias {alias:?}: the field must be a string"),
            ))?;
            let mut found = false;
            for (member, name) in rules.iter().enumerate() {
                if name == rule {
                    fields[member][entry] = field.to_string();
                    given[member] = true;
                    found = true;
                }
            }
            if !found {
                return Err((
                    rule_key,
                    format!(
                        "alias {alias:?} names {rule:?}, which is not in the correlation's `rules`"
                    ),
                ));
            }
        }
        if let Some(missing) = given.iter().position(|g| !g) {
            return Err((
                key,
                format!(
                    "alias {alias:?} gives no field for rule {:?}",
                    rules[missing]
                ),
            ));
        }
    }
    Ok(fields)
}

fn strings(node: Option<&Node>) -> Vec<String> {
    match node {
        None => Vec::new(),
        Some(n) => match n.as_sequence() {
            Some(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect(),
            None => n.as_str().map(|s| vec![s.to_string()]).unwrap_or_default(),
        },
    }
}

/// `30s`, `5m`, `1h`, `1d`, `2w` in milliseconds.
pub fn timespan(text: &str) -> Option<i64> {
    let text = text.trim();
    let unit_at = text.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = text[..unit_at].parse().ok()?;
    let unit = match &text[unit_at..] {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => return None,
    };
    n.checked_mul(unit).filter(|ms| *ms > 0)
}

/// The window state of one correlation: per group, the matches of the reorder horizon, sorted by
/// time.
///
/// Records need not arrive in time order: each match is put in its place, and every window that
/// holds it is evaluated, so the order of the records within the horizon does not change whether
/// a group fires. A group's horizon is its newest match's time minus the allowed lateness (or the
/// timespan, when longer): per group, so files of other principals or periods read in between do
/// not hurry it. A match older than that is not counted (and counted in
/// [`CorrelationState::late`]); what is older than the horizon minus the timespan is let go,
/// because no window of a countable match reaches it; and a group whose newest match is that far
/// behind the newest match of the whole correlation is let go on a periodic sweep. Memory is
/// therefore what matched within the lateness plus the timespan.
#[derive(Debug)]
pub(crate) struct CorrelationState {
    /// Matches that came too late to count (see the type's documentation).
    pub late: u64,
    /// Matches let go because their group held [`MAX_GROUP_ENTRIES`] already.
    pub dropped: u64,
    lateness_ms: i64,
    groups: HashMap<String, Group>,
    inserts: u64,
    newest_ms: i64,
}

/// One match kept in a group's window.
#[derive(Debug)]
struct Entry {
    time_ms: i64,
    /// Which of the correlation's `rules` matched.
    member: usize,
    /// `value_count`: the counted field's values in the record.
    values: Box<[String]>,
    /// The record's `eventID` and `eventTime` text, the evidence an alert shows.
    event_id: Box<str>,
    time_text: Box<str>,
}

/// The window of one group.
#[derive(Debug, Default)]
pub(crate) struct Group {
    /// The matches, oldest first.
    entries: VecDeque<Entry>,
    /// `value_count`: how many entries hold each value; more distinct values than the condition
    /// needs is the cheap test that lets most inserts skip the window scan.
    value_refs: HashMap<String, u32>,
    /// Per member rule, how many entries it has.
    member_refs: Vec<u32>,
    /// Set when the group fires: the latest event IDs of the matches within a timespan of the
    /// one that fired it, in time order, at most [`MAX_EVIDENCE`].
    pub event_ids: VecDeque<String>,
    /// Set when the group fires: how many matches lie within a timespan of the one that fired it
    /// (the evidence list keeps only the latest).
    pub matched: u64,
    /// Set when the group fires: the `eventTime` text of the earliest of those matches.
    pub first_time: Option<String>,
    newest_ms: i64,
}

impl Group {
    /// Fills the evidence fields from the matches in `[lo, hi]`: the stretch every window holding
    /// the firing match lies in. Older matches the group still holds (within the lateness
    /// horizon) are not this burst's evidence.
    fn set_evidence(&mut self, lo: i64, hi: i64) {
        let in_reach: Vec<&Entry> = self.range(lo, hi).collect();
        let matched = in_reach.len() as u64;
        let first_time = in_reach.first().map(|e| e.time_text.to_string());
        let event_ids = in_reach
            .iter()
            .skip(in_reach.len().saturating_sub(MAX_EVIDENCE))
            .map(|e| e.event_id.to_string())
            .collect();
        (self.matched, self.first_time, self.event_ids) = (matched, first_time, event_ids);
    }

    fn remove_front(&mut self) {
        let Some(entry) = self.entries.pop_front() else {
            return;
        };
        self.member_refs[entry.member] -= 1;
        for value in entry.values {
            if let Some(n) = self.value_refs.get_mut(&value) {
                *n -= 1;
                if *n == 0 {
                    self.value_refs.remove(&value);
                }
            }
        }
    }

    fn evict(&mut self, floor: i64) {
        while self.entries.front().is_some_and(|e| e.time_ms < floor) {
            self.remove_front();
        }
    }

    /// The entries with a time in `[lo, hi]`.
    fn range(&self, lo: i64, hi: i64) -> impl Iterator<Item = &Entry> {
        let from = self.entries.partition_point(|e| e.time_ms < lo);
        self.entries
            .range(from..)
            .take_while(move |e| e.time_ms <= hi)
    }

    /// The count of the window `[end - span, end]`.
    fn count(&self, correlation: &Correlation, end: i64) -> u64 {
        let lo = end - correlation.timespan_ms;
        match &correlation.kind {
            CorrelationKind::EventCount => {
                let from = self.entries.partition_point(|e| e.time_ms < lo);
                let to = self.entries.partition_point(|e| e.time_ms <= end);
                (to - from) as u64
            }
            CorrelationKind::ValueCount(_) => {
                let mut seen: HashSet<&str> = HashSet::new();
                for e in self.range(lo, end) {
                    seen.extend(e.values.iter().map(String::as_str));
                }
                seen.len() as u64
            }
            CorrelationKind::Temporal | CorrelationKind::TemporalOrdered => {
                let mut seen = vec![false; self.member_refs.len()];
                for e in self.range(lo, end) {
                    seen[e.member] = true;
                }
                seen.iter().filter(|s| **s).count() as u64
            }
        }
    }

    /// Whether the rules occur in order, with the first and the last at most a timespan apart,
    /// in a chain that holds the match at `time_ms` (any other chain was found before it).
    fn in_order(&self, span: i64, time_ms: i64) -> bool {
        let entries = &self.entries;
        let members = self.member_refs.len();
        let first = entries.partition_point(|e| e.time_ms < time_ms - span);
        // Per rule, where the search for its next occurrence resumes. The earliest occurrence of
        // each next rule leaves the most room for the rest, and a later start never needs an
        // earlier one, so the positions only move forward: one pass over the window per rule.
        let mut next = vec![first; members];
        for start in entries.range(first..) {
            if start.time_ms > time_ms {
                break;
            }
            if start.member != 0 {
                continue;
            }
            let end = start.time_ms + span;
            let mut at = start.time_ms;
            let mut chained = true;
            for (member, p) in next.iter_mut().enumerate().skip(1) {
                while *p < entries.len()
                    && (entries[*p].time_ms < at || entries[*p].member != member)
                {
                    *p += 1;
                }
                match entries.get(*p) {
                    Some(e) if e.time_ms <= end => at = e.time_ms,
                    _ => {
                        chained = false;
                        break;
                    }
                }
            }
            if chained {
                return true;
            }
        }
        false
    }
}

impl CorrelationState {
    /// An empty state that counts matches up to `lateness_ms` older than the newest one of their
    /// group.
    pub(crate) fn new(lateness_ms: i64) -> CorrelationState {
        CorrelationState {
            late: 0,
            dropped: 0,
            lateness_ms: lateness_ms.max(0),
            groups: HashMap::new(),
            inserts: 0,
            newest_ms: i64::MIN,
        }
    }

    /// Counts one match of rule `member` (an index into the correlation's `rules`) for `group` at
    /// `time_ms` (with the counted field's values for `value_count`). Returns the group's window
    /// and the count reached when a window holding this match now meets the condition, and starts
    /// the group afresh so one burst raises one alert.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn observe(
        &mut self,
        correlation: &Correlation,
        group: String,
        member: usize,
        time_ms: i64,
        values: Vec<String>,
        event_id: &str,
        time_text: &str,
    ) -> Option<(Group, u64)> {
        let span = correlation.timespan_ms;
        let reach = self.lateness_ms.max(span);
        self.newest_ms = self.newest_ms.max(time_ms);
        self.inserts += 1;
        if self.inserts.is_multiple_of(4096) {
            let behind = self.newest_ms.saturating_sub(reach).saturating_sub(span);
            self.groups.retain(|_, g| g.newest_ms >= behind);
        }
        let g = self.groups.entry(group).or_insert_with(|| Group {
            newest_ms: time_ms,
            ..Group::default()
        });
        g.newest_ms = g.newest_ms.max(time_ms);
        let horizon = g.newest_ms.saturating_sub(reach);
        if time_ms < horizon {
            self.late += 1;
            return None;
        }
        // No window of a match at or after the horizon reaches further back than this.
        g.evict(horizon.saturating_sub(span));
        if g.member_refs.len() < correlation.rules.len() {
            g.member_refs.resize(correlation.rules.len(), 0);
        }
        if g.entries.len() >= MAX_GROUP_ENTRIES {
            g.remove_front();
            self.dropped += 1;
        }
        for value in &values {
            *g.value_refs.entry(value.clone()).or_default() += 1;
        }
        g.member_refs[member] += 1;
        let at = g.entries.partition_point(|e| e.time_ms <= time_ms);
        g.entries.insert(
            at,
            Entry {
                time_ms,
                member,
                values: values.into_boxed_slice(),
                event_id: event_id.into(),
                time_text: time_text.into(),
            },
        );
        let count = Self::fired(g, correlation, time_ms)?;
        let mut fired = std::mem::take(g);
        fired.set_evidence(time_ms.saturating_sub(span), time_ms.saturating_add(span));
        // The group starts afresh, but what is late for it stays late.
        g.newest_ms = fired.newest_ms;
        Some((fired, count))
    }

    /// The count of a window holding the match at `time_ms` that meets the condition, if any.
    fn fired(g: &Group, correlation: &Correlation, time_ms: i64) -> Option<u64> {
        let span = correlation.timespan_ms;
        let holds = |count: u64| {
            count >= correlation.at_least && correlation.at_most.is_none_or(|most| count <= most)
        };
        // What the whole group holds bounds every window of it: most inserts stop here.
        let most = match &correlation.kind {
            CorrelationKind::EventCount => g.range(time_ms - span, time_ms + span).count() as u64,
            CorrelationKind::ValueCount(_) => g.value_refs.len() as u64,
            CorrelationKind::Temporal | CorrelationKind::TemporalOrdered => {
                g.member_refs.iter().filter(|n| **n > 0).count() as u64
            }
        };
        if most < correlation.at_least {
            return None;
        }
        // Every window holding `time_ms` lies within a timespan of it on either side: what that
        // stretch holds bounds them too, and spares a newest-first read the scan of each window
        // when a busy group has many values over the horizon but few in any window.
        let near = match &correlation.kind {
            CorrelationKind::EventCount => most,
            CorrelationKind::ValueCount(_) => {
                let mut seen: HashSet<&str> = HashSet::new();
                for e in g.range(time_ms - span, time_ms + span) {
                    seen.extend(e.values.iter().map(String::as_str));
                }
                seen.len() as u64
            }
            CorrelationKind::Temporal | CorrelationKind::TemporalOrdered => {
                let mut seen = vec![false; g.member_refs.len()];
                for e in g.range(time_ms - span, time_ms + span) {
                    seen[e.member] = true;
                }
                seen.iter().filter(|s| **s).count() as u64
            }
        };
        if near < correlation.at_least {
            return None;
        }
        if correlation.kind == CorrelationKind::TemporalOrdered {
            return g
                .in_order(span, time_ms)
                .then_some(correlation.rules.len() as u64);
        }
        // The windows holding `time_ms` are those ending at a match in [time_ms, time_ms + span];
        // a window's count only changes at a match, so these ends are all there is to try.
        let mut last_end = None;
        for e in g.range(time_ms, time_ms + span) {
            if last_end == Some(e.time_ms) {
                continue;
            }
            last_end = Some(e.time_ms);
            let count = g.count(correlation, e.time_ms);
            if holds(count) {
                return Some(count);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn correlation(kind: CorrelationKind, at_least: u64) -> Correlation {
        Correlation {
            kind,
            rules: vec!["r".into()],
            group_by: vec!["userIdentity.arn".into()],
            group_fields: vec![vec!["userIdentity.arn".into()]],
            timespan_ms: 300_000,
            at_least,
            at_most: None,
            generate: false,
        }
    }

    fn temporal(ordered: bool, rules: &[&str]) -> Correlation {
        Correlation {
            kind: if ordered {
                CorrelationKind::TemporalOrdered
            } else {
                CorrelationKind::Temporal
            },
            rules: rules.iter().map(|r| r.to_string()).collect(),
            group_by: Vec::new(),
            group_fields: vec![Vec::new(); rules.len()],
            timespan_ms: 300_000,
            at_least: rules.len() as u64,
            at_most: None,
            generate: false,
        }
    }

    fn state() -> CorrelationState {
        CorrelationState::new(DEFAULT_LATENESS_MS)
    }

    /// Feeds `(member, time)` matches of group "g" in the order given; the times at which the
    /// correlation fired.
    fn fire_times(c: &Correlation, matches: &[(usize, i64)]) -> Vec<i64> {
        let mut state = state();
        matches
            .iter()
            .filter_map(|&(member, t)| {
                state
                    .observe(c, "g".into(), member, t, Vec::new(), "e", "")
                    .map(|_| t)
            })
            .collect()
    }

    #[test]
    fn value_count_counts_distinct_values_in_the_window() {
        let c = correlation(
            CorrelationKind::ValueCount("requestParameters.secretId".into()),
            3,
        );
        let mut state = state();
        // The same secret many times is one value.
        for i in 0..10 {
            assert!(
                state
                    .observe(&c, "a".into(), 0, i * 1000, vec!["s1".into()], "e", "")
                    .is_none()
            );
        }
        assert!(
            state
                .observe(&c, "a".into(), 0, 11_000, vec!["s2".into()], "e", "")
                .is_none()
        );
        // Another identity does not add to a's count.
        assert!(
            state
                .observe(&c, "b".into(), 0, 11_000, vec!["s3".into()], "e", "")
                .is_none()
        );
        let (group, count) = state
            .observe(&c, "a".into(), 0, 12_000, vec!["s3".into()], "e", "")
            .unwrap();
        assert_eq!(count, 3);
        assert_eq!(group.matched, 12);
        // Fired once: the group starts afresh.
        assert!(
            state
                .observe(&c, "a".into(), 0, 13_000, vec!["s4".into()], "e", "")
                .is_none()
        );
    }

    #[test]
    fn event_count_forgets_what_left_the_window() {
        let c = correlation(CorrelationKind::EventCount, 3);
        let mut state = state();
        assert!(
            state
                .observe(&c, "a".into(), 0, 0, vec![], "e1", "")
                .is_none()
        );
        assert!(
            state
                .observe(&c, "a".into(), 0, 200_000, vec![], "e2", "")
                .is_none()
        );
        // 0 is more than 5 minutes before 400_000: only two in the window.
        assert!(
            state
                .observe(&c, "a".into(), 0, 400_000, vec![], "e3", "")
                .is_none()
        );
        let (group, _) = state
            .observe(&c, "a".into(), 0, 401_000, vec![], "e4", "")
            .unwrap();
        // The evidence is the burst: e1 left the window long before it fired.
        assert_eq!(group.event_ids, ["e2", "e3", "e4"]);
        assert_eq!(group.matched, 3);
    }

    #[test]
    fn a_window_fires_whatever_order_its_matches_come_in() {
        let c = correlation(CorrelationKind::EventCount, 3);
        // Three within 5 minutes (100_000..=350_000), the others too far apart to make three.
        let times = [0, 100_000, 200_000, 350_000, 1_000_000, 2_000_000];
        let mut orders = vec![times.to_vec()];
        orders.push(times.iter().rev().copied().collect());
        orders.push(vec![350_000, 0, 2_000_000, 100_000, 1_000_000, 200_000]);
        orders.push(vec![200_000, 2_000_000, 350_000, 1_000_000, 0, 100_000]);
        for order in orders {
            let matches: Vec<(usize, i64)> = order.iter().map(|t| (0, *t)).collect();
            assert_eq!(fire_times(&c, &matches).len(), 1, "{order:?}");
        }
        // Spread out, no order makes three in one window.
        let spread = [0, 400_000, 800_000];
        for order in [spread.to_vec(), spread.iter().rev().copied().collect()] {
            let matches: Vec<(usize, i64)> = order.iter().map(|t| (0, *t)).collect();
            assert!(fire_times(&c, &matches).is_empty(), "{order:?}");
        }
        // value_count the same way: the window around an old match holds newer values.
        let c = correlation(CorrelationKind::ValueCount("v".into()), 3);
        let mut state = state();
        for (t, v) in [(250_000, "c"), (200_000, "b"), (-400_000, "x")] {
            assert!(
                state
                    .observe(&c, "g".into(), 0, t, vec![v.into()], "e", "")
                    .is_none()
            );
        }
        let (_, count) = state
            .observe(&c, "g".into(), 0, 100_000, vec!["a".into()], "e", "")
            .unwrap();
        assert_eq!(count, 3);
    }

    #[test]
    fn matches_beyond_the_lateness_are_counted_as_late_and_memory_is_let_go() {
        let c = correlation(CorrelationKind::EventCount, 3);
        let mut state = CorrelationState::new(600_000);
        assert!(
            state
                .observe(&c, "g".into(), 0, 10_000_000, vec![], "e", "")
                .is_none()
        );
        // Within ten minutes of the newest: counted.
        assert!(
            state
                .observe(&c, "g".into(), 0, 9_500_000, vec![], "e", "")
                .is_none()
        );
        // Beyond: late, and not counted toward the window it would have made.
        for t in [9_000_000, 9_000_001, 9_000_002] {
            assert!(
                state
                    .observe(&c, "g".into(), 0, t, vec![], "e", "")
                    .is_none()
            );
        }
        assert_eq!(state.late, 3);
        // Another group's newer matches do not make this group's late.
        assert!(
            state
                .observe(&c, "other".into(), 0, 50_000_000, vec![], "e", "")
                .is_none()
        );
        // 9_500_000, 9_550_000 and 9_600_000 are three within five minutes.
        for (t, fires) in [(9_600_000, false), (9_550_000, true)] {
            let fired = state.observe(&c, "g".into(), 0, t, vec![], "e", "");
            assert_eq!(fired.is_some(), fires, "{t}");
        }
        assert_eq!(state.late, 3);
        // Groups whose matches all fell behind the horizon are let go on the periodic sweep.
        for i in 0..5000 {
            let _ = state.observe(&c, format!("g{i}"), 0, 10_000_000, vec![], "e", "");
        }
        for i in 0..5000 {
            let _ = state.observe(&c, "h".into(), 0, 20_000_000 + i * 1000, vec![], "e", "");
        }
        assert!(state.groups.len() < 10, "{}", state.groups.len());
    }

    #[test]
    fn a_busy_group_read_newest_first_is_not_quadratic() {
        // 20,000 matches over an hour, newest first; a new value every 6 minutes, so the hour
        // holds 10 values but no 5-minute window more than 2: nothing fires, and no insert may
        // scan every window around it (20,000 x 3,000 windows x 3,000 entries).
        let c = correlation(CorrelationKind::ValueCount("v".into()), 10);
        let mut state = state();
        let started = std::time::Instant::now();
        for i in (0..20_000i64).rev() {
            let t = i * 180;
            let value = format!("v{}", t / 360_000);
            assert!(
                state
                    .observe(&c, "g".into(), 0, t, vec![value], "e", "")
                    .is_none()
            );
        }
        assert_eq!(state.late, 0);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn temporal_needs_every_rule_in_the_window_in_any_order() {
        let c = temporal(false, &["a", "b", "c"]);
        assert_eq!(
            fire_times(&c, &[(2, 0), (0, 10_000), (1, 20_000)]),
            [20_000]
        );
        assert_eq!(
            fire_times(&c, &[(1, 20_000), (2, 0), (0, 10_000)]),
            [10_000]
        );
        // The same rule again does not stand in for another.
        assert!(fire_times(&c, &[(0, 0), (0, 1), (1, 2), (1, 3)]).is_empty());
        // Too far apart.
        assert!(fire_times(&c, &[(0, 0), (1, 200_000), (2, 400_000)]).is_empty());
        // `gte: 2`: any two of the three.
        let mut two = c.clone();
        two.at_least = 2;
        assert_eq!(fire_times(&two, &[(2, 0), (2, 1), (0, 5)]), [5]);
    }

    #[test]
    fn temporal_ordered_needs_the_rules_in_their_order() {
        let c = temporal(true, &["a", "b", "c"]);
        assert_eq!(
            fire_times(&c, &[(0, 0), (1, 10_000), (2, 20_000)]),
            [20_000]
        );
        // The same second counts as in order (CloudTrail times are whole seconds).
        assert_eq!(fire_times(&c, &[(0, 0), (1, 0), (2, 0)]), [0]);
        // Out of order in time: no.
        assert!(fire_times(&c, &[(1, 0), (0, 10_000), (2, 20_000)]).is_empty());
        // In order in time though read out of order: yes.
        assert_eq!(
            fire_times(&c, &[(2, 20_000), (0, 0), (1, 10_000)]),
            [10_000]
        );
        // A later `a` starts a chain an earlier `b` cannot join; a later `b` can.
        assert_eq!(
            fire_times(&c, &[(1, 0), (0, 100_000), (2, 150_000), (1, 120_000)]),
            [120_000]
        );
        // First to last more than the timespan: no.
        assert!(fire_times(&c, &[(0, 0), (1, 10_000), (2, 300_001)]).is_empty());
    }

    /// Whether some window of `span` holds what `c` asks for, by brute force over the whole set.
    fn exists(c: &Correlation, matches: &[(usize, i64)]) -> bool {
        let span = c.timespan_ms;
        let members = c.rules.len();
        match c.kind {
            CorrelationKind::TemporalOrdered => {
                // Every choice of one match per rule, in order, first to last within the span.
                fn chain(
                    ms: &[(usize, i64)],
                    member: usize,
                    n: usize,
                    from: i64,
                    end: i64,
                ) -> bool {
                    if member == n {
                        return true;
                    }
                    ms.iter().any(|&(m, t)| {
                        m == member && t >= from && t <= end && chain(ms, member + 1, n, t, end)
                    })
                }
                matches
                    .iter()
                    .any(|&(m, t)| m == 0 && chain(matches, 1, members, t, t + span))
            }
            _ => matches.iter().any(|&(_, end)| {
                let inside: Vec<&(usize, i64)> = matches
                    .iter()
                    .filter(|(_, t)| *t >= end - span && *t <= end)
                    .collect();
                let count = match c.kind {
                    CorrelationKind::EventCount => inside.len(),
                    _ => {
                        let mut seen: Vec<usize> = inside.iter().map(|(m, _)| *m).collect();
                        seen.sort();
                        seen.dedup();
                        seen.len()
                    }
                };
                count as u64 >= c.at_least
            }),
        }
    }

    #[test]
    fn whether_a_group_fires_does_not_depend_on_order() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut kinds = vec![
            temporal(true, &["a", "b", "c"]),
            temporal(false, &["a", "b", "c"]),
        ];
        let mut counting = temporal(false, &["a", "b", "c"]);
        counting.kind = CorrelationKind::EventCount;
        counting.at_least = 4;
        kinds.push(counting);
        let (mut fired, mut quiet) = (0, 0);
        for case in 0..600 {
            let c = &kinds[case % kinds.len()];
            let n = 3 + next(8) as usize;
            let matches: Vec<(usize, i64)> = (0..n)
                .map(|_| (next(3) as usize, next(60) as i64 * 20_000))
                .collect();
            let expected = exists(c, &matches);
            if expected {
                fired += 1;
            } else {
                quiet += 1;
            }
            let mut order = matches.clone();
            for _ in 0..4 {
                for i in (1..order.len()).rev() {
                    order.swap(i, next(i as u64 + 1) as usize);
                }
                assert_eq!(
                    !fire_times(c, &order).is_empty(),
                    expected,
                    "{:?} {order:?}",
                    c.kind
                );
            }
        }
        // Both outcomes were exercised.
        assert!(fired > 50 && quiet > 50, "{fired} fired, {quiet} quiet");
    }

    #[test]
    fn timespans() {
        assert_eq!(timespan("30s"), Some(30_000));
        assert_eq!(timespan("5m"), Some(300_000));
        assert_eq!(timespan("1d"), Some(86_400_000));
        assert_eq!(timespan("5"), None);
        assert_eq!(timespan("m"), None);
        assert_eq!(timespan("0s"), None);
        assert_eq!(duration_text(3_600_000), "1h");
        assert_eq!(duration_text(90_000), "90s");
    }
}
