//! The collectors against the SDK's own mock (`aws-smithy-mocks`), for what moto, the local AWS
//! mock of the integration test, does not model: the root user's MFA and keys, credential ages,
//! IAM Access Analyzer, and a write reaching the transport.
//!
//! Each test answers the calls of one service collector with raw HTTP bodies as AWS sends them
//! (the collector records bodies, not the SDK's outputs), assembles the snapshot as a collection
//! does, normalises it and runs every rule. Calls no rule answers get the mock HTTP client's
//! HTTP 418, which the collector records as an error answer.

use std::collections::BTreeSet;
use std::sync::Arc;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_iam::config::{Credentials, SharedCredentialsProvider};
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock};
use aws_smithy_runtime_api::client::interceptors::SharedInterceptor;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::display::DisplayErrorContext;
use base64::Engine as _;
use deadbolt_aws_snapshot::calls::{OPERATIONS, is_read_only};
use deadbolt_aws_snapshot::{Account, Snapshot, normalise};
use deadbolt_rules::{Evaluation, Selection, evaluate, registry};
use jiff::{SignedDuration, Timestamp, Unit};

use crate::{Clients, Recorder, Session, services};

const ACCOUNT: &str = "123456789012";
const HOME: &str = "us-east-1";
const ROOT: &str = "arn:aws:iam::123456789012:root";

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

/// The shared configuration of every mocked client: the mock HTTP client, test credentials, the
/// home region.
fn sdk_config() -> SdkConfig {
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(HOME))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::for_tests()))
        .http_client(create_mock_http_client())
        .build()
}

/// Clients whose calls `rules` answer (any rule that matches, as often as it matches); the rest
/// pass through to the mock HTTP client's 418.
fn mocked_clients(recorder: &Recorder, rules: &[&Rule]) -> Arc<Clients> {
    let mut mock = MockResponseInterceptor::new()
        .rule_mode(RuleMode::MatchAny)
        .allow_passthrough();
    for rule in rules {
        mock = mock.with_rule(rule);
    }
    Arc::new(Clients::from_parts(
        sdk_config(),
        recorder.guard(),
        vec![SharedInterceptor::new(mock)],
        HOME,
    ))
}

/// An HTTP 200 answer with `body` of `content_type`.
fn ok(content_type: &'static str, body: &str) -> HttpResponse {
    let mut response = HttpResponse::new(
        StatusCode::try_from(200u16).expect("200 is a status"),
        SdkBody::from(body.to_string()),
    );
    response.headers_mut().insert("Content-Type", content_type);
    response
}

/// An IAM (query protocol) answer of `operation`: `result` inside its `...Result` element.
fn iam_xml(operation: &str, result: &str) -> HttpResponse {
    ok(
        "text/xml",
        &format!(
            r#"<{operation}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <{operation}Result>{result}</{operation}Result>
  <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
</{operation}Response>"#
        ),
    )
}

/// `GetAccountSummary` with the root user's MFA flag and access key flag.
fn account_summary(mfa: u8, root_keys: u8) -> Rule {
    let result = format!(
        "<SummaryMap>\
           <entry><key>Groups</key><value>2</value></entry>\
           <entry><key>InstanceProfiles</key><value>0</value></entry>\
           <entry><key>Users</key><value>4</value></entry>\
           <entry><key>AccountMFAEnabled</key><value>{mfa}</value></entry>\
           <entry><key>AccessKeysPerUserQuota</key><value>2</value></entry>\
           <entry><key>Policies</key><value>3</value></entry>\
           <entry><key>MFADevicesInUse</key><value>1</value></entry>\
           <entry><key>AccountAccessKeysPresent</key><value>{root_keys}</value></entry>\
           <entry><key>Roles</key><value>5</value></entry>\
           <entry><key>MFADevices</key><value>1</value></entry>\
         </SummaryMap>"
    );
    mock!(aws_sdk_iam::Client::get_account_summary)
        .then_http_response(move || iam_xml("GetAccountSummary", &result))
}

/// A virtual MFA device of IAM user `alice`.
const ALICE_DEVICE: &str = "<member>\
    <SerialNumber>arn:aws:iam::123456789012:mfa/alice</SerialNumber>\
    <User><Path>/</Path><UserName>alice</UserName><UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\
      <Arn>arn:aws:iam::123456789012:user/alice</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></User>\
    <EnableDate>2024-01-02T00:00:00Z</EnableDate>\
  </member>";

/// The root user's virtual MFA device, as IAM lists it.
const ROOT_DEVICE: &str = "<member>\
    <SerialNumber>arn:aws:iam::123456789012:mfa/root-account-mfa-device</SerialNumber>\
    <User><UserId>123456789012</UserId><Arn>arn:aws:iam::123456789012:root</Arn>\
      <CreateDate>2020-01-01T00:00:00Z</CreateDate></User>\
    <EnableDate>2020-01-02T00:00:00Z</EnableDate>\
  </member>";

/// `ListVirtualMFADevices` listing `devices`, one page.
fn virtual_mfa_devices(devices: &[&str]) -> Rule {
    let result = format!(
        "<IsTruncated>false</IsTruncated><VirtualMFADevices>{}</VirtualMFADevices>",
        devices.concat()
    );
    mock!(aws_sdk_iam::Client::list_virtual_mfa_devices)
        .then_http_response(move || iam_xml("ListVirtualMFADevices", &result))
}

/// The credential report's columns (AWS IAM User Guide, "Getting credential reports").
const REPORT_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,\
password_last_changed,password_next_rotation,mfa_active,access_key_1_active,\
access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,\
access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,\
access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,\
cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

/// `GenerateCredentialReport` answering COMPLETE and `GetCredentialReport` answering `rows`
/// (CSV lines after the header), generated at `generated`.
fn credential_report(rows: &[String], generated: Timestamp) -> [Rule; 2] {
    let csv = std::iter::once(REPORT_HEADER.to_string())
        .chain(rows.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    let content = base64::engine::general_purpose::STANDARD.encode(csv);
    let result = format!(
        "<Content>{content}</Content><ReportFormat>text/csv</ReportFormat>\
         <GeneratedTime>{generated}</GeneratedTime>"
    );
    [
        mock!(aws_sdk_iam::Client::generate_credential_report).then_http_response(|| {
            iam_xml(
                "GenerateCredentialReport",
                "<State>COMPLETE</State><Description>No report exists. Starting a new report generation task</Description>",
            )
        }),
        mock!(aws_sdk_iam::Client::get_credential_report)
            .then_http_response(move || iam_xml("GetCredentialReport", &result)),
    ]
}

/// A time as the credential report writes it (`2026-01-01T00:00:00+00:00`).
fn report_time(t: Timestamp) -> String {
    t.to_string().replace('Z', "+00:00")
}

/// `days` whole days before `t`.
fn days_before(t: Timestamp, days: i64) -> Timestamp {
    t.checked_sub(SignedDuration::from_hours(24 * days))
        .expect("a time after the epoch")
}

/// The collection time, as [`crate::collect`] sets it: now, to the second, before any call.
fn now() -> Timestamp {
    Timestamp::now()
        .round(Unit::Second)
        .expect("now rounds to the second")
}

/// The scan of one mocked collection.
struct Scan {
    snapshot: Snapshot,
    eval: Evaluation,
    /// Every resource address of the normalised model.
    addresses: BTreeSet<String>,
    /// The operations invoked, as the SDK names them.
    invoked: Vec<(String, String)>,
}

impl Scan {
    /// The snapshot of what `recorder` recorded, normalised and judged by every rule.
    fn of(recorder: &Recorder, collected_at: Timestamp, regions: &[&str]) -> Scan {
        let account = Account {
            id: ACCOUNT.to_string(),
            partition: "aws".to_string(),
            caller_arn: format!("arn:aws:iam::{ACCOUNT}:user/audit"),
        };
        let regions = regions.iter().map(|r| r.to_string()).collect();
        let snapshot = crate::assemble(recorder, &collected_at, account, regions);
        let normalised = normalise(&snapshot, "mock-snapshot.json");
        let eval = evaluate(
            &normalised.model,
            registry::all(),
            &Selection::default(),
            &registry::ids(),
        );
        let addresses = normalised
            .model
            .resources()
            .iter()
            .map(|r| r.meta().address.clone())
            .collect();
        Scan {
            snapshot,
            eval,
            addresses,
            invoked: recorder.invoked(),
        }
    }

    /// The findings of `rule`, as (address, message).
    fn findings(&self, rule: &str) -> Vec<(&str, &str)> {
        self.eval
            .findings
            .iter()
            .filter(|f| f.rule.id == rule)
            .map(|f| (f.address.as_str(), f.message.as_str()))
            .collect()
    }

    /// Asserts that `rule` found `address`; returns the finding's message.
    fn found(&self, rule: &str, address: &str) -> String {
        let messages: Vec<&str> = self
            .findings(rule)
            .into_iter()
            .filter(|(a, _)| *a == address)
            .map(|(_, m)| m)
            .collect();
        assert!(
            !messages.is_empty(),
            "{rule} did not find {address}; its findings: {:#?}; not evaluated: {:#?}",
            self.findings(rule),
            self.not_evaluated(rule),
        );
        messages.join("\n")
    }

    /// Asserts that `rule` judged `address` and it passed: the resource is in the model, with
    /// neither a finding nor an unknown of that rule.
    fn passed(&self, rule: &str, address: &str) {
        assert!(
            self.addresses.contains(address),
            "{address} is not in the model: {:#?}",
            self.addresses
        );
        assert!(
            !self.findings(rule).iter().any(|(a, _)| *a == address),
            "{rule} reported {address}: {:#?}",
            self.findings(rule)
        );
        assert!(
            !self.not_evaluated(rule).iter().any(|(a, _)| a == address),
            "{rule} could not judge {address}: {:#?}",
            self.not_evaluated(rule)
        );
    }

    fn not_evaluated(&self, rule: &str) -> Vec<(String, String)> {
        self.eval
            .not_evaluated
            .iter()
            .filter(|n| n.rule.id == rule)
            .map(|n| (n.address.clone(), n.reason.0.to_string()))
            .collect()
    }

    /// Asserts that every operation invoked is a read deadbolt lists, and that the snapshot's
    /// calls are labelled with exactly the operations the SDK says were invoked.
    fn only_listed_reads(&self) {
        assert!(!self.invoked.is_empty(), "nothing was invoked");
        let mut invoked = BTreeSet::new();
        for (service, operation) in &self.invoked {
            let snapshot_service = snapshot_service(service);
            assert!(
                is_read_only(operation),
                "{service}:{operation} is not a read"
            );
            assert!(
                OPERATIONS
                    .iter()
                    .any(|o| o.service == snapshot_service && o.operation == operation),
                "{service}:{operation} ({snapshot_service}) is not in calls::OPERATIONS"
            );
            invoked.insert((snapshot_service, operation.clone()));
        }
        let labelled: BTreeSet<(String, String)> = self
            .snapshot
            .calls
            .iter()
            .map(|c| (c.service.clone(), c.operation.clone()))
            .chain(
                self.snapshot
                    .problems
                    .iter()
                    .map(|p| (p.service.clone(), p.operation.clone())),
            )
            .collect();
        assert_eq!(labelled, invoked, "the snapshot's labels are not the SDK's");
    }
}

/// A snapshot's service name for the SDK's (`Metadata::service`) name of a service.
fn snapshot_service(sdk: &str) -> String {
    match sdk {
        "Config Service" => "config".to_string(),
        other => other.to_lowercase().replace(' ', ""),
    }
}

/// Collects IAM (global) with `rules` answering.
async fn scan_iam(rules: &[&Rule]) -> Scan {
    let collected_at = now();
    let recorder = Recorder::default();
    let clients = mocked_clients(&recorder, rules);
    let session = Session::new(recorder.clone(), 4);
    services::iam::collect(&session, &clients, HOME).await;
    Scan::of(&recorder, collected_at, &[HOME])
}

// ---------------------------------------------------------------------------------------------
// 1. The root user's MFA
// ---------------------------------------------------------------------------------------------

/// Root MFA on a hardware device: `AccountMFAEnabled` 1 and no `root-account-mfa-device` among
/// the virtual devices. moto's account summary always says 0 and it lists no root device, so
/// against moto AWS-IAM-010 and AWS-IAM-011 can only ever fail.
#[tokio::test]
async fn root_with_hardware_mfa_passes_root_mfa_rules() {
    let summary = account_summary(1, 0);
    let devices = virtual_mfa_devices(&[ALICE_DEVICE]);
    let scan = scan_iam(&[&summary, &devices]).await;
    assert_eq!(summary.num_calls(), 1);
    assert_eq!(devices.num_calls(), 1);
    scan.passed("AWS-IAM-010", ROOT);
    scan.passed("AWS-IAM-011", ROOT);
    scan.only_listed_reads();
}

/// Root without MFA: `AccountMFAEnabled` 0 is AWS-IAM-010 (and AWS-IAM-011: no device at all).
/// The counterpart of the passing case; moto cannot tell the two apart.
#[tokio::test]
async fn root_without_mfa_is_found() {
    let summary = account_summary(0, 0);
    let devices = virtual_mfa_devices(&[ALICE_DEVICE]);
    let scan = scan_iam(&[&summary, &devices]).await;
    let message = scan.found("AWS-IAM-010", ROOT);
    assert!(message.contains("AccountMFAEnabled is 0"), "{message}");
    let message = scan.found("AWS-IAM-011", ROOT);
    assert!(message.contains("no MFA device at all"), "{message}");
    scan.only_listed_reads();
}

/// Root MFA on a virtual device: MFA is on (AWS-IAM-010 passes) but `ListVirtualMFADevices` lists
/// `arn:aws:iam::123456789012:mfa/root-account-mfa-device`, which is AWS-IAM-011. moto never lists
/// a root device.
#[tokio::test]
async fn root_virtual_mfa_is_found() {
    let summary = account_summary(1, 0);
    let devices = virtual_mfa_devices(&[ALICE_DEVICE, ROOT_DEVICE]);
    let scan = scan_iam(&[&summary, &devices]).await;
    scan.passed("AWS-IAM-010", ROOT);
    let message = scan.found("AWS-IAM-011", ROOT);
    assert!(message.contains("virtual"), "{message}");
    scan.only_listed_reads();
}

// ---------------------------------------------------------------------------------------------
// 2. The root user's access keys
// ---------------------------------------------------------------------------------------------

/// The root user's credential report row with its keys: `<root_account>`, key 1 `active`.
fn root_row(key_active: bool, created: Timestamp) -> String {
    let (active, rotated) = if key_active {
        ("true", report_time(days_before(created, -1)))
    } else {
        ("false", "N/A".to_string())
    };
    format!(
        "<root_account>,{ROOT},{},not_supported,{},not_supported,not_supported,true,{active},{rotated},N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
        report_time(created),
        report_time(days_before(created, -2)),
    )
}

/// Root access keys, from either source: `AccountAccessKeysPresent` 1 in the account summary, or
/// (summary 0) the credential report's `<root_account>` row with an active key; with neither the
/// rule passes. moto's report has no root row and its summary no root keys, so AWS-IAM-012 can
/// only pass against it.
#[tokio::test]
async fn root_access_keys_are_found_in_the_summary_or_the_report() {
    let created = Timestamp::from_second(1_577_836_800).expect("2020-01-01");
    let devices = virtual_mfa_devices(&[]);

    // The summary says so; no credential report (it fails).
    let summary = account_summary(1, 1);
    let scan = scan_iam(&[&summary, &devices]).await;
    scan.found("AWS-IAM-012", ROOT);
    scan.only_listed_reads();

    // The summary says none, the report's root row has an active key.
    let summary = account_summary(1, 0);
    let [generate, report] = credential_report(&[root_row(true, created)], now());
    let scan = scan_iam(&[&summary, &devices, &generate, &report]).await;
    assert_eq!(report.num_calls(), 1);
    scan.found("AWS-IAM-012", ROOT);
    scan.only_listed_reads();

    // Neither: no finding.
    let summary = account_summary(1, 0);
    let [generate, report] = credential_report(&[root_row(false, created)], now());
    let scan = scan_iam(&[&summary, &devices, &generate, &report]).await;
    scan.passed("AWS-IAM-012", ROOT);
    scan.only_listed_reads();
}

// ---------------------------------------------------------------------------------------------
// 3. Key age and unused credentials
// ---------------------------------------------------------------------------------------------

/// Credential ages, counted against the snapshot's `collected_at`: `old-key`'s active key was
/// rotated 120 days before collection (AWS-IAM-014) but used 2 days before; `fresh-key`'s active
/// key was rotated 10 days before and its second key, rotated 200 days before, is inactive (no
/// finding); `idle-console` last signed in 60 days before (AWS-IAM-015); `busy-console` 3 days
/// before (no finding). moto has no clock control: its report's dates are all "now".
#[tokio::test]
async fn key_age_and_unused_credentials_are_judged_on_the_right_users() {
    let collected = now();
    let t = |days: i64| report_time(days_before(collected, days));
    let user = |name: &str| format!("arn:aws:iam::{ACCOUNT}:user/{name}");
    let rows = [
        root_row(false, days_before(collected, 2000)),
        format!(
            "old-key,{},{},false,N/A,N/A,N/A,false,true,{},{},us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            user("old-key"),
            t(400),
            t(120),
            t(2)
        ),
        format!(
            "fresh-key,{},{},false,N/A,N/A,N/A,false,true,{},{},eu-west-1,ec2,false,{},N/A,N/A,N/A,false,N/A,false,N/A",
            user("fresh-key"),
            t(400),
            t(10),
            t(1),
            t(200)
        ),
        format!(
            "idle-console,{},{},true,{},{},N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            user("idle-console"),
            t(400),
            t(60),
            t(300)
        ),
        format!(
            "busy-console,{},{},true,{},{},N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
            user("busy-console"),
            t(400),
            t(3),
            t(300)
        ),
    ];
    let summary = account_summary(1, 0);
    let devices = virtual_mfa_devices(&[]);
    let [generate, report] = credential_report(&rows, collected);
    let scan = scan_iam(&[&summary, &devices, &generate, &report]).await;
    assert_eq!(generate.num_calls(), 1, "COMPLETE at the first ask");
    assert_eq!(report.num_calls(), 1);

    // AWS-IAM-014: only old-key, for its key 1 and its 120 days.
    assert_eq!(
        scan.findings("AWS-IAM-014")
            .iter()
            .map(|(a, _)| *a)
            .collect::<Vec<_>>(),
        [user("old-key").as_str()]
    );
    let message = scan.found("AWS-IAM-014", &user("old-key"));
    assert!(
        message.contains("access key 1") && message.contains("120 days"),
        "{message}"
    );
    for name in ["fresh-key", "idle-console", "busy-console"] {
        scan.passed("AWS-IAM-014", &user(name));
    }

    // AWS-IAM-015: only idle-console, for its password and its 60 days.
    assert_eq!(
        scan.findings("AWS-IAM-015")
            .iter()
            .map(|(a, _)| *a)
            .collect::<Vec<_>>(),
        [user("idle-console").as_str()]
    );
    let message = scan.found("AWS-IAM-015", &user("idle-console"));
    assert!(
        message.contains("console password") && message.contains("60 days"),
        "{message}"
    );
    for name in ["old-key", "fresh-key", "busy-console"] {
        scan.passed("AWS-IAM-015", &user(name));
    }
    scan.only_listed_reads();
}

// ---------------------------------------------------------------------------------------------
// 4. IAM Access Analyzer
// ---------------------------------------------------------------------------------------------

/// `ListAnalyzers` listing `analyzers` (name, status) of `region`.
fn analyzers(region: &str, analyzers: &[(&str, &str)]) -> Rule {
    let list: Vec<serde_json::Value> = analyzers
        .iter()
        .map(|(name, status)| {
            serde_json::json!({
                "arn": format!("arn:aws:access-analyzer:{region}:{ACCOUNT}:analyzer/{name}"),
                "name": name,
                "type": "ACCOUNT",
                "createdAt": "2026-01-05T10:00:00Z",
                "lastResourceAnalyzed": format!("arn:aws:s3:::logs-{region}"),
                "lastResourceAnalyzedAt": "2026-01-05T10:05:00Z",
                "tags": {},
                "status": status,
            })
        })
        .collect();
    let body = serde_json::json!({ "analyzers": list }).to_string();
    mock!(aws_sdk_accessanalyzer::Client::list_analyzers)
        .then_http_response(move || ok("application/json", &body))
}

/// Access Analyzer per region: an ACTIVE analyzer in us-east-1 (no AWS-ACCESSANALYZER-001), none
/// in eu-west-1 and only a FAILED one in eu-central-1 (a finding in each). moto does not implement
/// Access Analyzer (HTTP 500), so against it the rule can never judge.
#[tokio::test]
async fn access_analyzer_is_judged_per_region() {
    let collected_at = now();
    let recorder = Recorder::default();
    let session = Session::new(recorder.clone(), 4);
    let regions = [
        ("us-east-1", analyzers("us-east-1", &[("main", "ACTIVE")])),
        ("eu-west-1", analyzers("eu-west-1", &[])),
        (
            "eu-central-1",
            analyzers("eu-central-1", &[("broken", "FAILED")]),
        ),
    ];
    // The request does not name its region: one set of clients per region, one recorder.
    for (region, rule) in &regions {
        let clients = mocked_clients(&recorder, &[rule]);
        services::accessanalyzer::collect(&session, &clients, region).await;
        assert_eq!(rule.num_calls(), 1, "{region}");
    }
    let names: Vec<&str> = regions.iter().map(|(r, _)| *r).collect();
    let scan = Scan::of(&recorder, collected_at, &names);
    scan.passed("AWS-ACCESSANALYZER-001", "aws://us-east-1/accessanalyzer");
    let message = scan.found("AWS-ACCESSANALYZER-001", "aws://eu-west-1/accessanalyzer");
    assert!(message.contains("no analyzer"), "{message}");
    let message = scan.found(
        "AWS-ACCESSANALYZER-001",
        "aws://eu-central-1/accessanalyzer",
    );
    assert!(message.contains("FAILED"), "{message}");
    assert_eq!(scan.findings("AWS-ACCESSANALYZER-001").len(), 2);
    scan.only_listed_reads();
}

// ---------------------------------------------------------------------------------------------
// 5. The read-only guard
// ---------------------------------------------------------------------------------------------

/// A write asked of any client is refused by the guard before it reaches the transport: the mock
/// rule that would answer it is never consulted, while a read through the same clients is. moto
/// would accept the write, so this cannot be tested there without changing its state.
#[tokio::test]
async fn the_guard_refuses_writes_before_the_transport() {
    let recorder = Recorder::default();
    let create_user = mock!(aws_sdk_iam::Client::create_user).then_http_response(|| {
        iam_xml(
            "CreateUser",
            "<User><Path>/</Path><UserName>mallory</UserName><UserId>AIDAEXAMPLE</UserId>\
             <Arn>arn:aws:iam::123456789012:user/mallory</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></User>",
        )
    });
    let put_policy = mock!(aws_sdk_s3::Client::put_bucket_policy)
        .then_http_response(|| ok("application/xml", ""));
    let summary = account_summary(1, 0);
    let clients = mocked_clients(&recorder, &[&create_user, &put_policy, &summary]);

    let refused = clients
        .iam(HOME)
        .create_user()
        .user_name("mallory")
        .send()
        .await
        .expect_err("the guard refuses CreateUser");
    let text = DisplayErrorContext(&refused).to_string();
    assert!(
        text.contains("deadbolt is read-only: IAM:CreateUser was refused"),
        "{text}"
    );
    assert_eq!(create_user.num_calls(), 0, "CreateUser reached the mock");

    let refused = clients
        .s3(HOME)
        .put_bucket_policy()
        .bucket("media")
        .policy(r#"{"Version":"2012-10-17","Statement":[]}"#)
        .send()
        .await
        .expect_err("the guard refuses PutBucketPolicy");
    let text = DisplayErrorContext(&refused).to_string();
    assert!(
        text.contains("deadbolt is read-only: S3:PutBucketPolicy was refused"),
        "{text}"
    );
    assert_eq!(
        put_policy.num_calls(),
        0,
        "PutBucketPolicy reached the mock"
    );

    // A read through the same clients and mock does reach it.
    let read = clients.iam(HOME).get_account_summary().send().await;
    assert!(read.is_ok(), "{read:?}");
    assert_eq!(summary.num_calls(), 1);

    assert_eq!(
        recorder.invoked(),
        [
            ("IAM".to_string(), "CreateUser".to_string()),
            ("S3".to_string(), "PutBucketPolicy".to_string()),
            ("IAM".to_string(), "GetAccountSummary".to_string()),
        ]
    );
}
