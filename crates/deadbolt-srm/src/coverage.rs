//! The responsibility map of one stack: the matrix (layers × services, owner in each cell) and
//! the customer's duty checklist with how each duty is evidenced and, given a scan, its verdict.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde::Serialize;

use crate::catalog::{Catalog, Evidence, Owner, Service};
use crate::stack::{Attestation, Stack};

/// Where the list of services came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServicesFrom {
    /// Declared in the stack file.
    StackFile,
    /// Inferred from the resource types of the infrastructure code found.
    Inferred,
}

/// A scan's result, as far as duties are concerned: findings per rule ID.
#[derive(Clone, Debug, Default)]
pub struct ScanResult {
    /// Unsuppressed findings per rule ID.
    pub findings: BTreeMap<String, usize>,
    /// Suppressed findings per rule ID.
    pub suppressed: BTreeMap<String, usize>,
}

impl ScanResult {
    /// Reads the findings of a `deadbolt scan --format json` report.
    ///
    /// # Errors
    /// A message when the text is not such a report (not JSON, or no `schema_version` 1).
    pub fn from_json(text: &str) -> Result<ScanResult, String> {
        let json: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        if json["schema_version"] != 1 {
            return Err("not a `deadbolt scan --format json` report (schema_version 1)".into());
        }
        let mut result = ScanResult::default();
        for (list, into) in [
            ("findings", &mut result.findings),
            ("suppressed", &mut result.suppressed),
        ] {
            for f in json[list].as_array().into_iter().flatten() {
                if let Some(id) = f["rule_id"].as_str() {
                    *into.entry(id.to_string()).or_default() += 1;
                }
            }
        }
        Ok(result)
    }
}

/// One cell of the matrix.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixCell {
    /// The service ID.
    pub service: String,
    /// Who owns the layer for this service.
    pub owner: Owner,
    /// Set when the owner comes from a per-cloud exception.
    pub exception: Option<String>,
}

/// One row of the matrix: a layer across the stack's services.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixRow {
    /// The layer ID.
    pub layer: String,
    /// Its name.
    pub name: String,
    /// One cell per service, in the stack's order.
    pub cells: Vec<MatrixCell>,
}

/// A duty's status for this stack.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DutyStatus {
    /// Checked by rules; no scan result was given.
    Automated,
    /// Checked by rules; the scan found nothing against them.
    Passing {
        /// Findings suppressed with a reason.
        suppressed: usize,
    },
    /// Checked by rules; the scan found problems.
    Failing {
        /// Unsuppressed findings of the duty's rules.
        findings: usize,
    },
    /// Attested, and the attestation has not lapsed.
    Attested {
        /// Who.
        by: String,
        /// When.
        date: Date,
        /// Until when (`None`: no expiry).
        expires: Option<Date>,
    },
    /// Attested, but the attestation lapsed.
    Expired {
        /// Who.
        by: String,
        /// When it lapsed.
        expired: Date,
    },
    /// Neither checked nor attested.
    Gap,
}

impl DutyStatus {
    /// Whether the duty counts as covered (checked by deadbolt, or validly attested).
    pub fn covered(&self) -> bool {
        matches!(
            self,
            DutyStatus::Automated
                | DutyStatus::Passing { .. }
                | DutyStatus::Failing { .. }
                | DutyStatus::Attested { .. }
        )
    }

    /// Whether the duty is met as far as deadbolt knows (passing, or validly attested).
    pub fn met(&self) -> bool {
        matches!(
            self,
            DutyStatus::Passing { .. } | DutyStatus::Attested { .. }
        )
    }
}

/// One line of the customer's checklist.
#[derive(Clone, Debug, Serialize)]
pub struct DutyLine {
    /// The duty ID.
    pub id: String,
    /// The layer ID.
    pub layer: String,
    /// What to do.
    pub title: String,
    /// Why it matters.
    pub why: String,
    /// How it is evidenced for this stack: `automated` only when a rule that checks it applies to
    /// one of the stack's services (otherwise a person has to attest it).
    pub evidence: Evidence,
    /// The rules that check it on this stack's services.
    pub rules: Vec<String>,
    /// The stack's services that bring this duty.
    pub services: Vec<String>,
    /// Those of `services` that no rule of an automated duty can judge (they need attesting).
    pub unchecked: Vec<String>,
    /// Its status.
    #[serde(flatten)]
    pub status: DutyStatus,
}

/// The responsibility map of a stack.
#[derive(Clone, Debug, Serialize)]
pub struct Map {
    /// The stack's name.
    pub name: Option<String>,
    /// Where the services came from.
    pub services_from: ServicesFrom,
    /// The services, in order.
    pub services: Vec<Service>,
    /// Layers × services.
    pub matrix: Vec<MatrixRow>,
    /// The customer's duties, by layer then ID.
    pub duties: Vec<DutyLine>,
    /// Whether a scan result was given.
    pub scanned: bool,
    /// Share of duties covered (automated or validly attested), 0–1.
    pub coverage: f64,
    /// Share of duties met (passing, or validly attested), 0–1; `None` without a scan result.
    pub met: Option<f64>,
}

/// Builds the map for `services` (catalog IDs, in order), with the stack's attestations, as of
/// `today`, with an optional scan result.
///
/// `rule_applies(rule_id, service)` says whether a rule can judge a service's resources (an AWS
/// rule judges AWS services, not an Azure storage account): a duty counts as automated for the
/// stack only through rules that apply to one of the services that bring it; otherwise it is
/// judged like an attested duty.
pub fn map(
    catalog: &Catalog,
    stack: Option<&Stack>,
    services: &[&Service],
    services_from: ServicesFrom,
    scan: Option<&ScanResult>,
    today: Date,
    rule_applies: &dyn Fn(&str, &Service) -> bool,
) -> Map {
    let matrix = catalog
        .layers
        .iter()
        .map(|layer| MatrixRow {
            layer: layer.id.clone(),
            name: layer.name.clone(),
            cells: services
                .iter()
                .map(|s| {
                    let general = catalog.cell(s.model, &layer.id);
                    let exception =
                        general.and_then(|c| c.exceptions.iter().find(|e| e.cloud == s.cloud));
                    MatrixCell {
                        service: s.id.clone(),
                        owner: exception
                            .map(|e| e.owner)
                            .or(general.map(|c| c.owner))
                            .unwrap_or(Owner::Customer),
                        exception: exception.map(|e| e.note.clone()),
                    }
                })
                .collect(),
        })
        .collect();

    let mut wanted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for s in services {
        for d in &s.duties {
            wanted.entry(d).or_default().insert(&s.id);
        }
    }
    let attestations: Vec<&Attestation> =
        stack.map_or(Vec::new(), |s| s.attestations.iter().collect());
    let layer_order = |id: &str| catalog.layers.iter().position(|l| l.id == id);
    let mut duties: Vec<DutyLine> = wanted
        .into_iter()
        .filter_map(|(id, by)| {
            let duty = catalog.duty(id)?;
            let rules: Vec<String> = duty
                .rules
                .iter()
                .filter(|r| {
                    services
                        .iter()
                        .any(|s| by.contains(s.id.as_str()) && rule_applies(r, s))
                })
                .cloned()
                .collect();
            // Services that bring an automated duty none of whose rules can judge them (an Azure
            // storage account under an encryption duty checked only by AWS rules).
            let unchecked: Vec<String> = if duty.evidence == Evidence::Automated {
                by.iter()
                    .filter(|id| {
                        services
                            .iter()
                            .any(|s| s.id == **id && !duty.rules.iter().any(|r| rule_applies(r, s)))
                    })
                    .map(|id| id.to_string())
                    .collect()
            } else {
                Vec::new()
            };
            let evidence = match duty.evidence {
                Evidence::Automated if rules.is_empty() => Evidence::Attested,
                other => other,
            };
            let status = status(evidence, &rules, id, &attestations, scan, today);
            Some(DutyLine {
                id: duty.id.clone(),
                layer: duty.layer.clone(),
                title: duty.title.clone(),
                why: duty.why.clone(),
                evidence,
                rules,
                services: by.into_iter().map(str::to_string).collect(),
                unchecked,
                status,
            })
        })
        .collect();
    duties.sort_by(|a, b| (layer_order(&a.layer), &a.id).cmp(&(layer_order(&b.layer), &b.id)));
    let total = duties.len().max(1) as f64;
    let covered = duties.iter().filter(|d| d.status.covered()).count() as f64;
    let met = duties.iter().filter(|d| d.status.met()).count() as f64;
    Map {
        name: stack.and_then(|s| s.name.clone()),
        services_from,
        services: services.iter().map(|s| (*s).clone()).collect(),
        matrix,
        coverage: if duties.is_empty() {
            0.0
        } else {
            covered / total
        },
        met: scan.map(|_| if duties.is_empty() { 0.0 } else { met / total }),
        duties,
        scanned: scan.is_some(),
    }
}

fn status(
    evidence: Evidence,
    rules: &[String],
    id: &str,
    attestations: &[&Attestation],
    scan: Option<&ScanResult>,
    today: Date,
) -> DutyStatus {
    // An attestation counts for any duty: a team may attest what deadbolt cannot check yet. The
    // latest one decides.
    let latest = attestations
        .iter()
        .filter(|a| a.duty.value == id)
        .max_by_key(|a| a.date);
    if evidence == Evidence::Automated {
        return match scan {
            None => DutyStatus::Automated,
            Some(scan) => {
                let count = |m: &BTreeMap<String, usize>| {
                    rules
                        .iter()
                        .map(|r| m.get(r).copied().unwrap_or(0))
                        .sum::<usize>()
                };
                match count(&scan.findings) {
                    0 => DutyStatus::Passing {
                        suppressed: count(&scan.suppressed),
                    },
                    findings => DutyStatus::Failing { findings },
                }
            }
        };
    }
    match latest {
        Some(a) => match a.expires {
            Some(expires) if expires < today => DutyStatus::Expired {
                by: a.by.clone(),
                expired: expires,
            },
            _ => DutyStatus::Attested {
                by: a.by.clone(),
                date: a.date,
                expires: a.expires,
            },
        },
        None => DutyStatus::Gap,
    }
}
