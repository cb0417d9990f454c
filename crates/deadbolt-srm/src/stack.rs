//! The stack file (`deadbolt.yaml`): what an organisation uses and has attested.
//!
//! ```yaml
//! name: Brightside Studio
//! services: [aws-ec2, aws-s3, google-workspace, dropbox]
//! regions: [eu-west-2]
//! data_classes: [pii, credentials]
//! residency:
//!   policy: EU only (GDPR)
//!   allowed_regions: [eu-*]
//! attestations:
//!   - duty: GWS-ENFORCE-2SV
//!     by: Priya Shah, IT lead
//!     date: 2026-10-02
//!     evidence: https://wiki.example.com/it/2sv-rollout
//!     expires: 2027-04-02
//! ```
//!
//! Every problem (an unknown service or duty, a malformed or impossible date, a field of the
//! wrong type, an unknown key) is a [`Diagnostic`] naming the file and line; [`read`] returns them
//! all rather than stopping at the first.

use std::path::Path;
use std::sync::Arc;

use deadbolt_model::{Diagnostic, Level, LineIndex, Position, Span};
use deadbolt_yaml::{Data, Node, Scalar};
use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::Catalog;

/// The classes of data a stack may hold.
pub const DATA_CLASSES: [&str; 5] = ["pii", "phi", "pci", "credentials", "ip"];

/// A value and the 1-based line it is written on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its line in the stack file.
    pub line: u32,
}

/// Where data may live.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Residency {
    /// A label for the policy (`EU only (GDPR)`, `BR (LGPD)`).
    pub policy: Option<String>,
    /// Allowed regions; `*` matches any run of characters (`eu-*`).
    pub allowed_regions: Vec<Located<String>>,
}

/// A person's record that a duty is done.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Attestation {
    /// The duty ID.
    pub duty: Located<String>,
    /// Who attests.
    pub by: String,
    /// When it was done.
    pub date: Date,
    /// A link to the evidence.
    pub evidence: Option<String>,
    /// When the attestation lapses (`None`: never).
    pub expires: Option<Date>,
}

/// A parsed stack file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Stack {
    /// The file, as named.
    pub file: String,
    /// The organisation or system name.
    pub name: Option<String>,
    /// Catalog service IDs in use.
    pub services: Vec<Located<String>>,
    /// Regions in use.
    pub regions: Vec<Located<String>>,
    /// Data classes held (see [`DATA_CLASSES`]).
    pub data_classes: Vec<Located<String>>,
    /// The residency policy, if any.
    pub residency: Option<Residency>,
    /// Attestations.
    pub attestations: Vec<Attestation>,
}

/// The stack file in `dir`: `deadbolt.yaml`, `deadbolt.yml`, or a `deadbolt.toml` that declares
/// `services` (the same file may hold the `[scan]` settings).
pub fn find(dir: &Path) -> Option<std::path::PathBuf> {
    ["deadbolt.yaml", "deadbolt.yml"]
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
        .or_else(|| {
            let toml = dir.join("deadbolt.toml");
            let text = std::fs::read_to_string(&toml).ok()?;
            let table: toml::Table = toml::from_str(&text).ok()?;
            table.contains_key("services").then_some(toml)
        })
}

/// Reads and checks a stack file against the catalog.
///
/// # Errors
/// Every problem as a [`Diagnostic`] with the file and line (the file unreadable, not YAML, an
/// unknown key, service, duty or data class, a malformed date, an expiry before the date).
pub fn read(path: &Path, catalog: &Catalog) -> Result<Stack, Vec<Diagnostic>> {
    let display: Arc<str> = path.display().to_string().into();
    let text = deadbolt_files::read_text(path, &display, "YAML or TOML").map_err(|d| vec![d])?;
    if path.extension().is_some_and(|e| e == "toml") {
        let root = toml_node(&display, &text).map_err(|d| vec![d])?;
        return parse_node(&display, &root, catalog);
    }
    parse(&display, &text, catalog)
}

/// Parses a stack file's text (YAML; see [`read`]).
///
/// # Errors
/// As [`read`].
pub fn parse(file: &Arc<str>, text: &str, catalog: &Catalog) -> Result<Stack, Vec<Diagnostic>> {
    let docs = deadbolt_yaml::parse(file, text).map_err(|d| vec![d])?;
    match docs.first() {
        Some(root) => parse_node(file, root, catalog),
        None => Err(vec![not_a_stack(file)]),
    }
}

/// A TOML document as the same node tree YAML gives, with spans, so both formats are checked by
/// one reader.
fn toml_node(file: &Arc<str>, text: &str) -> Result<Node, Diagnostic> {
    let index = LineIndex::new(text);
    let doc = toml::de::DeTable::parse(text).map_err(|e| {
        let at = e.span().map_or(Position { line: 0, column: 0 }, |r| {
            index.position(text, r.start)
        });
        Diagnostic::at(
            Level::Error,
            file.clone(),
            at.line,
            at.column,
            format!("invalid TOML: {}", e.message()),
        )
    })?;
    let span = |r: std::ops::Range<usize>| Span {
        file: file.clone(),
        start: index.position(text, r.start),
        end: index.position(text, r.end),
    };
    fn convert(
        value: &toml::de::DeValue<'_>,
        at: Span,
        span: &dyn Fn(std::ops::Range<usize>) -> Span,
    ) -> Node {
        use toml::de::DeValue;
        let data = match value {
            DeValue::String(s) => Data::Scalar(Scalar::String(s.to_string())),
            DeValue::Integer(i) => Data::Scalar(Scalar::String(i.as_str().to_string())),
            DeValue::Float(f) => Data::Scalar(Scalar::String(f.as_str().to_string())),
            DeValue::Boolean(b) => Data::Scalar(Scalar::Bool(*b)),
            DeValue::Datetime(d) => Data::Scalar(Scalar::String(d.to_string())),
            DeValue::Array(items) => Data::Sequence(
                items
                    .iter()
                    .map(|i| convert(i.get_ref(), span(i.span()), span))
                    .collect(),
            ),
            DeValue::Table(table) => Data::Mapping(
                table
                    .iter()
                    .map(|(k, v)| {
                        let key = Node {
                            data: Data::Scalar(Scalar::String(k.get_ref().to_string())),
                            tag: None,
                            span: span(k.span()),
                        };
                        (key, convert(v.get_ref(), span(v.span()), span))
                    })
                    .collect(),
            ),
        };
        Node {
            data,
            tag: None,
            span: at,
        }
    }
    let root = toml::de::DeValue::Table(doc.get_ref().clone());
    let mut node = convert(&root, span(doc.span()), &span);
    // `[scan]` is deadbolt scan's configuration, which may share the file.
    if let Data::Mapping(entries) = &mut node.data {
        entries.retain(|(k, _)| k.as_str() != Some("scan"));
    }
    Ok(node)
}

fn parse_node(file: &Arc<str>, root: &Node, catalog: &Catalog) -> Result<Stack, Vec<Diagnostic>> {
    let mut cx = Cx {
        file: file.clone(),
        problems: Vec::new(),
    };
    if root.as_mapping().is_none() {
        return Err(vec![not_a_stack(file)]);
    }
    let mut stack = Stack {
        file: file.to_string(),
        ..Stack::default()
    };
    for (key, value) in root.as_mapping().unwrap_or_default() {
        match key.as_str().unwrap_or_default() {
            "name" => stack.name = cx.string(value, "name"),
            "services" => {
                stack.services = cx.strings(value, "services");
                for s in &stack.services {
                    if catalog.service(&s.value).is_none() {
                        cx.error(
                            s.line,
                            format!(
                                "unknown service `{}` (see `deadbolt srm --list-services`)",
                                s.value
                            ),
                        );
                    }
                }
            }
            "regions" => stack.regions = cx.strings(value, "regions"),
            "data_classes" => {
                stack.data_classes = cx.strings(value, "data_classes");
                for c in &stack.data_classes {
                    if !DATA_CLASSES.contains(&c.value.as_str()) {
                        cx.error(
                            c.line,
                            format!(
                                "unknown data class `{}` (one of: {})",
                                c.value,
                                DATA_CLASSES.join(", ")
                            ),
                        );
                    }
                }
            }
            "residency" => stack.residency = cx.residency(value),
            "attestations" => stack.attestations = cx.attestations(value, catalog),
            other => cx.error(key.span.start.line, format!("unknown key `{other}`")),
        }
    }
    if cx.problems.is_empty() {
        Ok(stack)
    } else {
        Err(cx.problems)
    }
}

fn not_a_stack(file: &Arc<str>) -> Diagnostic {
    Diagnostic::whole_file(
        Level::Error,
        file.clone(),
        "a stack file is a mapping with `services`, and optionally `name`, `regions`, `data_classes`, `residency`, `attestations`",
    )
}

struct Cx {
    file: Arc<str>,
    problems: Vec<Diagnostic>,
}

impl Cx {
    fn error(&mut self, line: u32, message: String) {
        self.problems.push(Diagnostic::at(
            Level::Error,
            self.file.clone(),
            line,
            0,
            message,
        ));
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        match node.scalar_text() {
            Some(text) => Some(text.into_owned()),
            None => {
                self.error(node.span.start.line, format!("`{what}` must be a string"));
                None
            }
        }
    }

    fn strings(&mut self, node: &Node, what: &str) -> Vec<Located<String>> {
        let Some(items) = node.as_sequence() else {
            self.error(node.span.start.line, format!("`{what}` must be a list"));
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                let value = self.string(item, what)?;
                Some(Located {
                    value,
                    line: item.span.start.line,
                })
            })
            .collect()
    }

    fn date(&mut self, node: &Node, what: &str) -> Option<Date> {
        let text = self.string(node, what)?;
        match text.parse::<Date>() {
            Ok(date) => Some(date),
            Err(e) => {
                self.error(
                    node.span.start.line,
                    format!("`{what}` is not a date (YYYY-MM-DD): `{text}`: {e}"),
                );
                None
            }
        }
    }

    fn residency(&mut self, node: &Node) -> Option<Residency> {
        let Some(entries) = node.as_mapping() else {
            self.error(node.span.start.line, "`residency` must be a mapping".into());
            return None;
        };
        let mut residency = Residency::default();
        for (key, value) in entries {
            match key.as_str().unwrap_or_default() {
                "policy" => residency.policy = self.string(value, "residency.policy"),
                "allowed_regions" => {
                    residency.allowed_regions = self.strings(value, "residency.allowed_regions")
                }
                other => self.error(
                    key.span.start.line,
                    format!("unknown key `residency.{other}`"),
                ),
            }
        }
        Some(residency)
    }

    fn attestations(&mut self, node: &Node, catalog: &Catalog) -> Vec<Attestation> {
        let Some(items) = node.as_sequence() else {
            self.error(node.span.start.line, "`attestations` must be a list".into());
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let line = item.span.start.line;
            let Some(entries) = item.as_mapping() else {
                self.error(
                    line,
                    "an attestation is a mapping with `duty`, `by`, `date`".into(),
                );
                continue;
            };
            let (mut duty, mut by, mut date, mut evidence, mut expires) =
                (None, None, None, None, None);
            for (key, value) in entries {
                match key.as_str().unwrap_or_default() {
                    "duty" => {
                        duty = self.string(value, "duty").map(|v| Located {
                            value: v,
                            line: value.span.start.line,
                        })
                    }
                    "by" => by = self.string(value, "by"),
                    "date" => date = self.date(value, "date"),
                    "evidence" => evidence = self.string(value, "evidence"),
                    "expires" => expires = self.date(value, "expires"),
                    other => self.error(
                        key.span.start.line,
                        format!("unknown key `{other}` in an attestation"),
                    ),
                }
            }
            if let Some(d) = &duty
                && catalog.duty(&d.value).is_none()
            {
                self.error(d.line, format!("unknown duty `{}`", d.value));
            }
            if let (Some(date), Some(expires)) = (date, expires)
                && expires < date
            {
                self.error(line, format!("expires {expires} before its date {date}"));
            }
            match (duty, by, date) {
                (Some(duty), Some(by), Some(date)) => out.push(Attestation {
                    duty,
                    by,
                    date,
                    evidence,
                    expires,
                }),
                _ => self.error(line, "an attestation needs `duty`, `by` and `date`".into()),
            }
        }
        out
    }
}

/// Whether `region` is allowed by `patterns` (`*` matches any run of characters).
pub fn region_allowed(region: &str, patterns: &[Located<String>]) -> bool {
    patterns
        .iter()
        .any(|p| deadbolt_model::aws::iam::wildcard_match(&p.value, region))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Duty, Evidence, Service, ServiceModel};

    fn catalog() -> Catalog {
        Catalog {
            layers: Vec::new(),
            cells: Vec::new(),
            sources: Vec::new(),
            duties: vec![Duty {
                id: "GWS-ENFORCE-2SV".into(),
                layer: "identity_access".into(),
                title: "Enforce 2-step verification".into(),
                why: "Passwords alone are phished.".into(),
                evidence: Evidence::Attested,
                rules: Vec::new(),
            }],
            services: vec![Service {
                id: "google-workspace".into(),
                name: "Google Workspace".into(),
                cloud: "google".into(),
                model: ServiceModel::Saas,
                category: "collaboration".into(),
                duties: vec!["GWS-ENFORCE-2SV".into()],
                resource_types: Vec::new(),
            }],
        }
    }

    fn parse_text(text: &str) -> Result<Stack, Vec<Diagnostic>> {
        parse(&"deadbolt.yaml".into(), text, &catalog())
    }

    #[test]
    fn a_valid_stack_file_reads_every_field() {
        let stack = parse_text(
            "name: Studio\nservices: [google-workspace]\nregions: [eu-west-2]\ndata_classes: [pii]\nresidency:\n  policy: EU only\n  allowed_regions: [eu-*]\nattestations:\n  - duty: GWS-ENFORCE-2SV\n    by: Priya\n    date: 2026-10-02\n    expires: 2027-04-02\n    evidence: https://wiki.example.com/2sv\n",
        )
        .expect("valid");
        assert_eq!(stack.name.as_deref(), Some("Studio"));
        assert_eq!(stack.services[0].value, "google-workspace");
        assert_eq!(stack.attestations[0].duty.line, 9);
        assert_eq!(
            stack.attestations[0]
                .expires
                .map(|d| d.to_string())
                .as_deref(),
            Some("2027-04-02")
        );
        let residency = stack.residency.expect("residency");
        assert!(region_allowed("eu-central-1", &residency.allowed_regions));
        assert!(!region_allowed("us-east-1", &residency.allowed_regions));
    }

    #[test]
    fn unknown_ids_and_malformed_dates_name_their_line() {
        let problems = parse_text(
            "services:\n  - google-workspace\n  - gogle-workspace\ndata_classes: [secrets]\nattestations:\n  - duty: GWS-ENFORCE-2SV\n    by: Priya\n    date: 2026-13-02\n  - duty: NOPE\n    by: Sam\n    date: 2026-01-05\n    expires: 2025-01-05\ncolour: blue\n",
        )
        .expect_err("invalid");
        let lines: Vec<(u32, &str)> = problems
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 3 && m.contains("unknown service `gogle-workspace`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 4 && m.contains("unknown data class `secrets`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 8 && m.contains("not a date")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 9 && m.contains("unknown duty `NOPE`")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 9 && m.contains("expires 2025-01-05 before")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 13 && m.contains("unknown key `colour`")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_toml_stack_beside_scan_settings_reads_the_same_with_lines() {
        let file: Arc<str> = "deadbolt.toml".into();
        let text = "name = \"Studio\"\nservices = [\"google-workspace\", \"nope\"]\n\n[[attestations]]\nduty = \"GWS-ENFORCE-2SV\"\nby = \"Priya\"\ndate = 2026-10-02\n\n[scan]\nfail-on = \"high\"\n";
        let root = toml_node(&file, text).expect("parses");
        let problems = parse_node(&file, &root, &catalog()).expect_err("unknown service");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 2);
        assert!(problems[0].message.contains("unknown service `nope`"));
        let fixed = text.replace(", \"nope\"", "");
        let root = toml_node(&file, &fixed).expect("parses");
        let stack = parse_node(&file, &root, &catalog()).expect("valid");
        assert_eq!(stack.attestations[0].date.to_string(), "2026-10-02");
        assert_eq!(stack.attestations[0].duty.line, 5);
        let bad = toml_node(&file, "services = [\n").expect_err("invalid TOML");
        assert!(bad.message.starts_with("invalid TOML"), "{bad}");
    }

    #[test]
    fn not_a_mapping_is_one_clear_error() {
        let problems = parse_text("- google-workspace\n").expect_err("invalid");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("a stack file is a mapping"));
    }
}
