//! Alerts: what a responder gets when a detection fires.

use std::sync::Arc;

use serde::Serialize;

use crate::detection::Detection;
use crate::event::Header;
use crate::read::Position;
use crate::sigma::Severity;

/// One alert.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    /// The detection's stable ID (`CT-ATT-003`; a user rule's Sigma `id` or title).
    pub detection: String,
    /// The detection's title.
    pub title: String,
    /// Severity (Sigma `level`).
    pub severity: Severity,
    /// MITRE ATT&CK technique IDs (`T1562.008`).
    pub techniques: Vec<String>,
    /// The responsibility layer of the duty concerned (`config_logging_monitoring`).
    pub layer: Option<String>,
    /// The duty concerned, from the responsibility catalog (`LOG-AUDIT-TRAIL`).
    pub duty: Option<String>,
    /// CIS AWS Foundations Benchmark v3.0.0 section (`4.5`).
    pub cis: Option<String>,
    /// When: the `eventTime` of the first record behind the alert (ISO 8601, UTC).
    pub time: Option<String>,
    /// The `eventTime` of the last record behind the alert (differs for correlations).
    pub last_time: Option<String>,
    /// The account (`recipientAccountId`).
    pub account: Option<String>,
    /// The region (`awsRegion`).
    pub region: Option<String>,
    /// Who.
    pub principal: Principal,
    /// `sourceIPAddress`.
    pub source_ip: Option<String>,
    /// `userAgent`.
    pub user_agent: Option<String>,
    /// `eventSource` of the record that raised the alert (`iam.amazonaws.com`).
    pub event_source: Option<String>,
    /// `eventName` of the record that raised the alert.
    pub event_name: Option<String>,
    /// `eventID`s of the records behind the alert (at most 20, the latest).
    pub event_ids: Vec<String>,
    /// How many records are behind the alert.
    pub records: u64,
    /// Why, when it takes more than one record to say (`12 distinct requestParameters.secretId
    /// within 5m`).
    pub explanation: Option<String>,
    /// What to do next.
    pub next: Option<String>,
    /// The rule's author (Sigma `author`), carried as the Detection Rule License requires.
    pub author: Option<String>,
    /// The rule file the detection came from.
    pub rule_file: Arc<str>,
    /// The log file and position of the record that raised the alert.
    pub file: Arc<str>,
    /// Where in that file.
    pub position: Position,
}

impl Alert {
    /// An alert of `detection` on one record (`header`, at `file` and `position`): who, where and
    /// when from the record, the rest from the detection. Evidence (`event_ids`, `records`) and
    /// `explanation` are the caller's to fill.
    pub fn new(
        detection: &Detection,
        header: &Header<'_>,
        file: Arc<str>,
        position: Position,
    ) -> Alert {
        let owned = |v: Option<&str>| v.map(str::to_string);
        let time = owned(header.event_time.as_deref());
        Alert {
            detection: detection.meta.id.clone(),
            title: detection.rule.title.clone(),
            severity: detection.rule.level,
            techniques: detection.rule.techniques(),
            layer: detection.meta.layer.clone(),
            duty: detection.meta.duty.clone(),
            cis: detection.meta.cis.clone(),
            last_time: time.clone(),
            time,
            account: owned(header.account()),
            region: owned(header.aws_region.as_deref()),
            principal: Principal::of(header),
            source_ip: owned(header.source_ip_address.as_deref()),
            user_agent: owned(header.user_agent.as_deref()),
            event_source: owned(header.event_source.as_deref()),
            event_name: owned(header.event_name.as_deref()),
            event_ids: Vec::new(),
            records: 0,
            explanation: None,
            next: detection.meta.next.clone(),
            author: detection.rule.author.clone(),
            rule_file: detection.rule.file.clone(),
            file,
            position,
        }
    }
}

/// The principal behind an alert.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Principal {
    /// The principal's ARN: an assumed role's session issuer (the role), else `userIdentity.arn`.
    pub arn: Option<String>,
    /// `userIdentity.arn` when it differs from `arn` (the assumed-role session).
    pub session_arn: Option<String>,
    /// `userIdentity.type`.
    pub kind: Option<String>,
    /// `userIdentity.accessKeyId` (a key ID, not a secret).
    pub access_key_id: Option<String>,
    /// Whether MFA was used, when the record says.
    pub mfa: Option<bool>,
}

impl Principal {
    /// The principal of a record.
    pub fn of(header: &Header<'_>) -> Principal {
        let id = header.user_identity.as_ref();
        let arn = header.principal().map(str::to_string);
        let session_arn = id
            .and_then(|i| i.arn.as_deref())
            .filter(|a| Some(*a) != arn.as_deref())
            .map(str::to_string);
        Principal {
            arn,
            session_arn,
            kind: id.and_then(|i| i.kind.as_deref()).map(str::to_string),
            access_key_id: id
                .and_then(|i| i.access_key_id.as_deref())
                .map(str::to_string),
            mfa: header.mfa_used(),
        }
    }
}
