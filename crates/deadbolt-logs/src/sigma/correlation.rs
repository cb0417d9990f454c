//! Sigma correlation rules (`event_count`, `value_count`) and their sliding-window state.

use std::collections::{HashMap, VecDeque};

use deadbolt_yaml::Node;

use super::Failure;

/// How many event IDs an alert keeps as evidence; the count of the rest is kept too.
pub(crate) const MAX_EVIDENCE: usize = 20;

/// A compiled `correlation:` block.
#[derive(Debug, Clone)]
pub struct Correlation {
    /// What is counted.
    pub kind: CorrelationKind,
    /// The `name`s of the rules whose matches are counted.
    pub rules: Vec<String>,
    /// The dotted fields that split the count into groups (`userIdentity.arn`).
    pub group_by: Vec<String>,
    /// The window, in milliseconds.
    pub timespan_ms: i64,
    /// The count must be at least this (`gte`; `gt: n` is kept as `n + 1`, `eq` as both bounds).
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
}

impl Correlation {
    /// Why an alert of this correlation fired, with the count reached: "12 distinct
    /// requestParameters.secretId within 10m by the same userIdentity.arn".
    pub fn explain(&self, count: u64) -> String {
        let ms = self.timespan_ms;
        let span = match ms {
            ms if ms % 86_400_000 == 0 => format!("{}d", ms / 86_400_000),
            ms if ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
            ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
            ms => format!("{}s", ms / 1000),
        };
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
        }
    }
}

pub(crate) fn parse<'a>(node: &'a Node, doc: &'a Node) -> Result<Correlation, Failure<'a>> {
    if let Some(aliases) = node.get("aliases") {
        return Err((
            aliases,
            "correlation `aliases` are not supported: group by the same field name in every rule"
                .into(),
        ));
    }
    let kind_node = node
        .get("type")
        .ok_or((node, "the correlation has no `type`".to_string()))?;
    let condition = node
        .get("condition")
        .ok_or((node, "the correlation has no `condition`".to_string()))?;
    let kind = match kind_node.as_str() {
        Some("event_count") => CorrelationKind::EventCount,
        Some("value_count") => CorrelationKind::ValueCount(
            condition
                .get("field")
                .and_then(Node::as_str)
                .ok_or((
                    condition,
                    "a value_count condition needs `field`".to_string(),
                ))?
                .to_string(),
        ),
        Some(other) => {
            return Err((
                kind_node,
                format!(
                    "correlation type {other:?} is not supported (event_count and value_count are)"
                ),
            ));
        }
        None => return Err((kind_node, "`type` must be a string".into())),
    };
    let rules = strings(node.get("rules"));
    if rules.is_empty() {
        return Err((node, "the correlation names no `rules`".into()));
    }
    let span_node = node
        .get("timespan")
        .ok_or((node, "the correlation has no `timespan`".to_string()))?;
    let timespan_ms = span_node.scalar_text().and_then(|s| timespan(&s)).ok_or((
        span_node,
        "timespan must be a number and a unit: 30s, 5m, 1h, 1d".to_string(),
    ))?;
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
    let bounds = ["gte", "gt", "eq", "lt", "lte"]
        .iter()
        .filter(|k| condition.get(k).is_some())
        .count();
    if bounds > 1 {
        return Err((
            condition,
            "give one bound (gte, gt or eq): ranges are not supported".into(),
        ));
    }
    let (at_least, at_most) = match (count("gte")?, count("gt")?, count("eq")?) {
        (Some(n), None, None) => (n, None),
        (None, Some(n), None) => (n + 1, None),
        (None, None, Some(n)) => (n, Some(n)),
        _ if condition.get("lt").is_some() || condition.get("lte").is_some() => {
            return Err((
                condition,
                "`lt`/`lte` correlations (too few events) need the end of a window, which a stream of logs does not have: use gte, gt or eq".into(),
            ));
        }
        _ => return Err((condition, "the condition needs one of gte, gt or eq".into())),
    };
    Ok(Correlation {
        kind,
        rules,
        group_by: strings(node.get("group-by")),
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
fn timespan(text: &str) -> Option<i64> {
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

/// The sliding-window state of one correlation: per group, what matched within the timespan.
///
/// Records are expected roughly in time order (CloudTrail delivery files are per region and five
/// minutes each). A record older than its group's newest by more than the timespan counts for
/// nothing: it is outside every window that the newer records are in.
#[derive(Debug, Default)]
pub(crate) struct CorrelationState {
    /// Matches that came too late to count (see the type's documentation).
    pub late: u64,
    groups: HashMap<String, Group>,
    inserts: u64,
    newest_ms: i64,
}

/// The window of one group.
#[derive(Debug, Default)]
pub(crate) struct Group {
    /// `event_count`: the times of the matches in the window.
    times: VecDeque<i64>,
    /// `value_count`: each distinct value and the last time it was seen.
    values: HashMap<String, i64>,
    newest_ms: i64,
    /// The latest event IDs, newest last, at most [`MAX_EVIDENCE`].
    pub event_ids: VecDeque<String>,
    /// How many matches were counted in all (the evidence list keeps only the latest).
    pub matched: u64,
    /// The `eventTime` text of the first match counted.
    pub first_time: Option<String>,
}

impl CorrelationState {
    /// Counts one match for `group` at `time_ms` (with the counted field's values for
    /// `value_count`). Returns the group's window when the condition now holds, and starts the
    /// group afresh so one burst raises one alert.
    pub(crate) fn observe(
        &mut self,
        correlation: &Correlation,
        group: String,
        time_ms: i64,
        values: Vec<String>,
        event_id: &str,
        time_text: &str,
    ) -> Option<(Group, u64)> {
        self.inserts += 1;
        self.newest_ms = self.newest_ms.max(time_ms);
        if self.inserts.is_multiple_of(4096) {
            let horizon = self.newest_ms - correlation.timespan_ms;
            self.groups.retain(|_, g| g.newest_ms >= horizon);
        }
        let span = correlation.timespan_ms;
        let entry = self.groups.entry(group);
        let g = entry.or_default();
        g.newest_ms = g.newest_ms.max(time_ms);
        let horizon = g.newest_ms - span;
        if time_ms < horizon {
            self.late += 1;
            return None;
        }
        g.matched += 1;
        if g.first_time.is_none() {
            g.first_time = Some(time_text.to_string());
        }
        if g.event_ids.len() == MAX_EVIDENCE {
            g.event_ids.pop_front();
        }
        g.event_ids.push_back(event_id.to_string());
        let count = match &correlation.kind {
            CorrelationKind::EventCount => {
                let at = g.times.partition_point(|t| *t <= time_ms);
                g.times.insert(at, time_ms);
                while g.times.front().is_some_and(|t| *t < horizon) {
                    g.times.pop_front();
                }
                g.times.len() as u64
            }
            CorrelationKind::ValueCount(_) => {
                for value in values {
                    let seen = g.values.entry(value).or_insert(time_ms);
                    *seen = (*seen).max(time_ms);
                }
                g.values.retain(|_, t| *t >= horizon);
                g.values.len() as u64
            }
        };
        let holds =
            count >= correlation.at_least && correlation.at_most.is_none_or(|most| count <= most);
        if !holds {
            return None;
        }
        let fired = std::mem::take(g);
        g.newest_ms = fired.newest_ms;
        Some((fired, count))
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
            timespan_ms: 300_000,
            at_least,
            at_most: None,
            generate: false,
        }
    }

    #[test]
    fn value_count_counts_distinct_values_in_the_window() {
        let c = correlation(
            CorrelationKind::ValueCount("requestParameters.secretId".into()),
            3,
        );
        let mut state = CorrelationState::default();
        // The same secret many times is one value.
        for i in 0..10 {
            assert!(
                state
                    .observe(&c, "a".into(), i * 1000, vec!["s1".into()], "e", "")
                    .is_none()
            );
        }
        assert!(
            state
                .observe(&c, "a".into(), 11_000, vec!["s2".into()], "e", "")
                .is_none()
        );
        // Another identity does not add to a's count.
        assert!(
            state
                .observe(&c, "b".into(), 11_000, vec!["s3".into()], "e", "")
                .is_none()
        );
        let (group, count) = state
            .observe(&c, "a".into(), 12_000, vec!["s3".into()], "e", "")
            .unwrap();
        assert_eq!(count, 3);
        assert_eq!(group.matched, 12);
        // Fired once: the group starts afresh.
        assert!(
            state
                .observe(&c, "a".into(), 13_000, vec!["s4".into()], "e", "")
                .is_none()
        );
    }

    #[test]
    fn event_count_forgets_what_left_the_window() {
        let c = correlation(CorrelationKind::EventCount, 3);
        let mut state = CorrelationState::default();
        assert!(state.observe(&c, "a".into(), 0, vec![], "e1", "").is_none());
        assert!(
            state
                .observe(&c, "a".into(), 200_000, vec![], "e2", "")
                .is_none()
        );
        // 0 is more than 5 minutes before 400_000: only two in the window.
        assert!(
            state
                .observe(&c, "a".into(), 400_000, vec![], "e3", "")
                .is_none()
        );
        let (group, _) = state
            .observe(&c, "a".into(), 401_000, vec![], "e4", "")
            .unwrap();
        assert_eq!(group.event_ids, ["e1", "e2", "e3", "e4"]);
    }

    #[test]
    fn timespans() {
        assert_eq!(timespan("30s"), Some(30_000));
        assert_eq!(timespan("5m"), Some(300_000));
        assert_eq!(timespan("1d"), Some(86_400_000));
        assert_eq!(timespan("5"), None);
        assert_eq!(timespan("m"), None);
        assert_eq!(timespan("0s"), None);
    }
}
