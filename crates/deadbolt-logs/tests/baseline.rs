//! The baseline end to end: 40 steady days of a role through the reader and the engine raise
//! nothing; then, in a daily run against the saved baseline, the Stratus Red Team
//! `secretsmanager-retrieve-secrets` technique replayed as that role raises exactly one
//! CT-ANOM-001 alert that says why.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use deadbolt_logs::baseline::{DETECTION_ID, user_agent_family};
use deadbolt_logs::{Alert, Baseline, BaselineOptions, Engine, Limits, Severity, Window, read_str};
use serde_json::{Value, json};

const ACCOUNT: &str = "903144391865";
const ROLE: &str = "arn:aws:iam::903144391865:role/ci-deployer";
const REGION: &str = "cn-centraleast-1r";
/// 2024-06-01T00:00:00Z: the history's first day.
const START_MS: i64 = 1_717_200_000_000;
const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
const DAYS: i64 = 40;

fn stratus_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cloudtrail-stratus-red-team")
        .join(format!("{name}.json"))
}

fn iso(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).unwrap().to_string()
}

/// The role's `userIdentity` for one session.
fn role_identity(session: &str) -> Value {
    json!({
        "type": "AssumedRole",
        "principalId": "AROAEXAMPLEROLEID:session",
        "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/ci-deployer/{session}"),
        "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEKEY000001",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "arn": ROLE, "accountId": ACCOUNT, "userName": "ci-deployer"},
            "attributes": {"creationDate": "2024-06-01T00:00:00Z", "mfaAuthenticated": "false"}
        }
    })
}

/// One steady day: the deploy job at 06:00 and 18:00 calls the same few APIs from the CI runner.
fn steady_day(day: i64, out: &mut Vec<Value>) {
    for (hour, minute) in [(6, 5), (18, 20)] {
        let at = START_MS + day * DAY_MS + hour * HOUR_MS + minute * 60_000;
        for (i, (source, name)) in [
            ("sts", "GetCallerIdentity"),
            ("s3", "ListBuckets"),
            ("cloudformation", "DescribeStacks"),
            ("cloudformation", "DescribeStackEvents"),
            ("ec2", "DescribeInstances"),
        ]
        .into_iter()
        .enumerate()
        {
            out.push(json!({
                "eventVersion": "1.09",
                "eventTime": iso(at + i as i64 * 7_000),
                "eventSource": format!("{source}.amazonaws.com"),
                "eventName": name,
                "awsRegion": REGION,
                "sourceIPAddress": "198.51.100.23",
                "userAgent": "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off command/deploy",
                "requestParameters": null,
                "responseElements": null,
                "eventID": format!("00000000-0000-4000-8000-{:012x}", out.len()),
                "readOnly": true,
                "eventType": "AwsApiCall",
                "managementEvent": true,
                "recipientAccountId": ACCOUNT,
                "userIdentity": role_identity("deploy"),
            }));
            // Its calls to CloudFormation make CloudFormation call other services for it: AWS's
            // work, not the role's.
            if source == "cloudformation" && name == "DescribeStacks" {
                out.push(json!({
                    "eventTime": iso(at + 3_000),
                    "eventSource": "kms.amazonaws.com",
                    "eventName": "Decrypt",
                    "awsRegion": REGION,
                    "sourceIPAddress": "cloudformation.amazonaws.com",
                    "userAgent": "cloudformation.amazonaws.com",
                    "eventID": format!("00000000-0000-4000-9000-{:012x}", out.len()),
                    "eventType": "AwsApiCall",
                    "recipientAccountId": ACCOUNT,
                    "userIdentity": {
                        "type": "AssumedRole",
                        "arn": format!("arn:aws:sts::{ACCOUNT}:assumed-role/ci-deployer/deploy"),
                        "accountId": ACCOUNT,
                        "invokedBy": "cloudformation.amazonaws.com",
                        "sessionContext": {"sessionIssuer": {"type": "Role", "arn": ROLE}}
                    },
                }));
            }
        }
    }
}

/// Runs NDJSON `lines` through the reader and an engine without detections into `baseline`.
fn run(baseline: &mut Baseline, name: &str, text: &str) {
    let engine = Engine::new(Vec::new(), &mut Vec::new());
    let mut session = engine.session(Window::default());
    let mut diags = Vec::new();
    let mut read_diags = Vec::new();
    let display: Arc<str> = Arc::from(name);
    read_str(
        text,
        &display,
        &Limits::default(),
        &mut |record| session.record(&record, &mut diags, &mut |event| baseline.observe(event)),
        &mut read_diags,
    );
    let (_, stats) = session.finish(&mut diags);
    assert!(
        diags.is_empty() && read_diags.is_empty(),
        "{diags:#?} {read_diags:#?}"
    );
    assert!(stats.events > 0);
}

fn ndjson(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

/// The Stratus technique's records, as the role's, moved to `at` (their spacing kept).
fn stratus_as_role(at: i64) -> (Vec<Value>, Vec<String>) {
    let text = std::fs::read_to_string(stratus_file(
        "aws.credential-access.secretsmanager-retrieve-secrets",
    ))
    .expect("the Stratus Red Team data set in shared/");
    let mut records: Vec<Value> = serde_json::from_str(&text).unwrap();
    let time = |r: &Value| {
        r["eventTime"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_millisecond()
    };
    let first = records.iter().map(time).min().unwrap();
    let mut ids = Vec::new();
    for r in &mut records {
        let t = time(r);
        r["eventTime"] = json!(iso(at + (t - first)));
        r["userIdentity"] = role_identity("stolen");
        ids.push(r["eventID"].as_str().unwrap().to_string());
    }
    (records, ids)
}

#[test]
fn a_stolen_role_retrieving_secrets_raises_one_explained_alert() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("baseline.json");

    // 40 steady days: the first 7 learn, the rest are compared; nothing is unusual.
    let mut history = Vec::new();
    for day in 0..DAYS {
        steady_day(day, &mut history);
    }
    let mut baseline = Baseline::new(BaselineOptions::default()).unwrap();
    run(&mut baseline, "history.json", &ndjson(&history));
    let steady: Vec<Alert> = baseline.finish();
    assert!(steady.is_empty(), "steady days raised {steady:#?}");
    let stats = baseline.stats();
    assert_eq!(stats.identities, 1, "{stats:?}");
    assert_eq!(
        (stats.apis, stats.networks, stats.user_agents, stats.regions),
        (5, 1, 1, 1)
    );
    assert_eq!(stats.events, DAYS as u64 * 10);
    assert_eq!(
        stats.skipped,
        DAYS as u64 * 2,
        "CloudFormation's calls for the role"
    );
    baseline.save(&saved).unwrap();

    // Day 41, the daily run: the usual deploys, and at 12:36 someone with the role's
    // credentials lists and reads the secrets.
    let mut today = Baseline::load(&saved, BaselineOptions::default()).unwrap();
    let mut day = Vec::new();
    steady_day(DAYS, &mut day);
    let attack_at = START_MS + DAYS * DAY_MS + 12 * HOUR_MS + 36 * 60_000;
    let (attack, attack_ids) = stratus_as_role(attack_at);
    assert_eq!(attack.len(), 21);
    assert_eq!(
        user_agent_family(attack[0]["userAgent"].as_str().unwrap()),
        "stratus-red-team"
    );
    run(&mut today, "day-41.json", &ndjson(&day));
    run(
        &mut today,
        "stratus.json",
        &serde_json::to_string_pretty(&attack).unwrap(),
    );
    let alerts = today.finish();
    assert_eq!(alerts.len(), 1, "{alerts:#?}");
    let alert = &alerts[0];
    assert_eq!(alert.detection, DETECTION_ID);
    assert_eq!(alert.title, "Unusual activity for an identity");
    assert_eq!(
        alert.explanation.as_deref(),
        Some(
            "first time this role called secretsmanager:GetSecretValue and secretsmanager:ListSecrets \
             in 40 days of history; first call from network 253.201.144.0/24; first use of user agent \
             family stratus-red-team (score 85)"
        )
    );
    assert_eq!(alert.severity, Severity::Medium);
    assert_eq!(alert.principal.arn.as_deref(), Some(ROLE));
    assert_eq!(
        alert.principal.session_arn.as_deref(),
        Some("arn:aws:sts::903144391865:assumed-role/ci-deployer/stolen")
    );
    assert_eq!(alert.account.as_deref(), Some(ACCOUNT));
    assert_eq!(alert.region.as_deref(), Some(REGION));
    assert_eq!(alert.source_ip.as_deref(), Some("253.201.144.253"));
    // Every record of the technique is behind the alert; it names the first 20.
    assert_eq!(alert.records, 21);
    assert_eq!(alert.event_ids.len(), 20);
    assert!(alert.event_ids.iter().all(|id| attack_ids.contains(id)));
    assert_eq!(alert.time.as_deref(), Some(iso(attack_at).as_str()));
    // The first record of the file raised the first reason.
    assert_eq!(&*alert.file, "stratus.json");
    assert_eq!(alert.position.index, 0);
    assert_eq!(alert.event_name.as_deref(), Some("GetSecretValue"));
    assert_eq!(alert.layer.as_deref(), Some("config_logging_monitoring"));
    assert_eq!(alert.duty.as_deref(), Some("LOG-ALERT-SUSPICIOUS-ACTIVITY"));
    assert!(alert.techniques.iter().any(|t| t.starts_with("T1078")));

    // What was new today is history tomorrow.
    today.save(&saved).unwrap();
    let mut tomorrow = Baseline::load(&saved, BaselineOptions::default()).unwrap();
    let (again, _) = stratus_as_role(attack_at + DAY_MS);
    run(&mut tomorrow, "stratus-again.json", &ndjson(&again));
    assert!(tomorrow.finish().is_empty());
}
