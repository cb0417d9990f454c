//! Data-aware severity: an exposure finding on a bucket that holds restricted or confidential
//! data (per a `deadbolt classify` inventory, `deadbolt scan --data-inventory`) is raised, and its
//! message names the data classes.
//!
//! - **Restricted** data (payment card numbers, health data, credentials) raises an exposure
//!   finding to critical; **confidential** data (personal data) raises it one level (low → medium,
//!   medium → high, high → critical).
//! - Exposure rules are those that let people outside the account read the data: public ACLs and
//!   policies, and missing Block Public Access ([`EXPOSURE_RULES`]).
//! - Buckets are matched by name: an inventory entry `s3://NAME/KEY` belongs to the bucket whose
//!   name is NAME in the model (a live bucket, or a Terraform or CloudFormation bucket whose name is
//!   known). A bucket whose name is unknown before deployment cannot be matched.

use std::collections::{BTreeMap, HashMap};

use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Model, Severity};

use crate::engine::Evaluation;
use crate::finding::Escalation;

/// The rules whose findings mean a bucket's objects can be read from outside the account.
pub const EXPOSURE_RULES: &[&str] = &[
    "AWS-S3-001",
    "AWS-S3-002",
    "AWS-S3-003",
    "AWS-S3-004",
    "AWS-S3-005",
    "AWS-S3-006",
    "AWS-S3-007",
];

/// What one bucket holds, from a data inventory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeldData {
    /// Objects classified restricted, per data class name (`payment card number` → objects).
    pub restricted: BTreeMap<String, u64>,
    /// Objects classified confidential, per data class name.
    pub confidential: BTreeMap<String, u64>,
}

/// Buckets and the sensitive data found in them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DataInventory {
    buckets: HashMap<String, HeldData>,
}

/// The sensitivity of one data class in an inventory entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitivity {
    /// Payment, health data and credentials.
    Restricted,
    /// Personal data.
    Confidential,
}

impl DataInventory {
    /// An empty inventory.
    pub fn new() -> Self {
        DataInventory::default()
    }

    /// Records that an object of `bucket` holds data of class `class` (a detector's name) with
    /// this sensitivity.
    pub fn add(&mut self, bucket: &str, class: &str, sensitivity: Sensitivity) {
        let held = self.buckets.entry(bucket.to_string()).or_default();
        let counts = match sensitivity {
            Sensitivity::Restricted => &mut held.restricted,
            Sensitivity::Confidential => &mut held.confidential,
        };
        *counts.entry(class.to_string()).or_default() += 1;
    }

    /// What `bucket` holds, if the inventory names it.
    pub fn bucket(&self, bucket: &str) -> Option<&HeldData> {
        self.buckets.get(bucket)
    }

    /// The number of buckets named.
    pub fn len(&self) -> usize {
        self.buckets.len()
    }

    /// `true` when no bucket is named.
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty()
    }
}

/// Raises the exposure findings of `evaluation` on buckets `inventory` says hold restricted or
/// confidential data (see the module documentation). Returns how many findings were raised.
pub fn escalate_exposure(
    evaluation: &mut Evaluation,
    model: &Model,
    inventory: &DataInventory,
) -> usize {
    let by_address: HashMap<&str, &HeldData> = model
        .all::<Bucket>()
        .filter_map(|b| {
            let name = b.name.known()?;
            Some((b.meta.address.as_str(), inventory.bucket(name)?))
        })
        .collect();
    let mut raised = 0;
    for finding in evaluation
        .findings
        .iter_mut()
        .chain(evaluation.suppressed.iter_mut())
    {
        if !EXPOSURE_RULES.contains(&finding.rule.id) {
            continue;
        }
        let Some(held) = by_address.get(finding.address.as_str()) else {
            continue;
        };
        let from = finding.rule.severity;
        let (severity, classes, label) = if !held.restricted.is_empty() {
            (Severity::Critical, &held.restricted, "restricted")
        } else if !held.confidential.is_empty() {
            (one_up(from), &held.confidential, "confidential")
        } else {
            continue;
        };
        let listed: Vec<String> = classes
            .iter()
            .map(|(class, objects)| {
                let s = if *objects == 1 { "" } else { "s" };
                format!("{class} ({objects} object{s})")
            })
            .collect();
        let reason = format!("the bucket holds {label} data: {}", listed.join(", "));
        finding.message = format!("{}; {reason}", finding.message);
        finding.escalation = Some(Escalation {
            severity: severity.max(from),
            from,
            reason,
        });
        raised += 1;
    }
    raised
}

fn one_up(severity: Severity) -> Severity {
    match severity {
        Severity::Info => Severity::Low,
        Severity::Low => Severity::Medium,
        Severity::Medium => Severity::High,
        Severity::High | Severity::Critical => Severity::Critical,
    }
}
