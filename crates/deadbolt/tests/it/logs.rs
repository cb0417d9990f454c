//! `deadbolt logs`: the Stratus Red Team records end to end, the output formats, user Sigma rules,
//! input forms, time windows and bad input.

use std::io::Write;

use serde_json::Value;

use crate::{deadbolt, repo, tree};

fn stratus() -> String {
    repo()
        .join("../shared/data/cloudtrail-stratus-red-team")
        .display()
        .to_string()
}

fn json_report(args: &[&str]) -> (Option<i32>, Value, String) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = deadbolt(&all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (out.status.code(), report, stderr)
}

fn detections_raised(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .map(|a| a["detection"].as_str().expect("detection").to_string())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip")
}

/// A CloudTrail record of `name` by an IAM user, at `time`.
fn event(name: &str, source: &str, time: &str, id: &str) -> String {
    format!(
        r#"{{"eventVersion":"1.10","eventTime":"{time}","eventSource":"{source}","eventName":"{name}","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.0","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333","accessKeyId":"AKIAEXAMPLEKEYID0000","userName":"mallory"}},"requestParameters":{{"name":"org-trail"}},"responseElements":null,"eventID":"{id}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}"#
    )
}

#[test]
fn stratus_records_raise_alerts_with_who_where_and_what_next() {
    let (code, report, stderr) = json_report(&["logs", &stratus()]);
    assert_eq!(code, Some(1), "alerts exit 1: {stderr}");
    assert_eq!(report["partial"], false);
    assert_eq!(report["summary"]["records"]["events"], 310);
    let alerts = report["alerts"].as_array().expect("alerts");
    assert!(!alerts.is_empty());
    for a in alerts {
        assert!(a["principal"]["arn"].is_string(), "{a}");
        assert!(!a["event_ids"].as_array().expect("ids").is_empty(), "{a}");
        assert!(a["next"].is_string(), "{a}");
        assert!(a["duty"].is_string() && a["layer"].is_string(), "{a}");
        assert!(a["time"].is_string() && a["account"].is_string() && a["region"].is_string());
        assert!(!a["techniques"].as_array().expect("techniques").is_empty());
    }
    let stop = alerts
        .iter()
        .find(|a| a["event_name"] == "StopLogging")
        .expect("the StopLogging record raises an alert");
    assert_eq!(stop["source_ip"], "86.245.153.234");
    assert_eq!(
        stop["principal"]["arn"],
        "arn:aws:iam::143434273843:user/christophe"
    );
    assert_eq!(stop["event_ids"][0], "10163ed2-2253-469d-a5ee-cbc6651f8934");
}

#[test]
fn sarif_validates_and_ocsf_lines_are_detection_findings() {
    let out = deadbolt(&["logs", &stratus(), "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("../shared/schemas/sarif-2.1.0.json"))
            .expect("schema"),
    )
    .expect("schema json");
    let validator = jsonschema::draft4::new(&schema).expect("compile schema");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }

    let out = deadbolt(&["logs", &stratus(), "--format", "ocsf"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = 0;
    for line in text.lines() {
        let f: Value = serde_json::from_str(line).expect("one OCSF object per line");
        assert_eq!(f["class_uid"], 2004);
        assert_eq!(f["type_uid"], 200401);
        assert_eq!(f["category_uid"], 2);
        let sev = f["severity_id"].as_u64().expect("severity_id");
        assert!((1..=5).contains(&sev));
        assert!(f["finding_info"]["analytic"]["uid"].is_string());
        assert!(f["time"].is_i64());
        assert_eq!(f["cloud"]["provider"], "AWS");
        lines += 1;
    }
    assert_eq!(lines, results.len(), "one OCSF finding per alert");
}

#[test]
fn user_sigma_rules_run_and_carry_their_author() {
    let dir = tree(&[
        (
            "rules/trail.yml",
            "title: Trail stopped by a human\nid: 5f0d6a54-2c1e-4c53-9d0a-111111111111\nauthor: Jane Doe\nlevel: critical\nlogsource:\n  product: aws\n  service: cloudtrail\ndetection:\n  selection:\n    eventName|startswith: stop\n    userIdentity.type: IAMUser\n  filter:\n    userAgent|contains: terraform\n  condition: selection and not filter\n",
        ),
        (
            "rules/windows.yml",
            "title: not ours\nlogsource: {product: windows}\ndetection: {s: {EventID: 4624}, condition: s}\n",
        ),
    ]);
    let rules = dir.path().join("rules");
    let (code, report, stderr) = json_report(&[
        "logs",
        &stratus(),
        "--no-builtin",
        "--no-baseline",
        "--rules",
        rules.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        detections_raised(&report),
        ["5f0d6a54-2c1e-4c53-9d0a-111111111111"]
    );
    let alert = &report["alerts"][0];
    assert_eq!(alert["author"], "Jane Doe");
    assert_eq!(alert["severity"], "critical");
    assert_eq!(alert["event_name"], "StopLogging");
    // The Windows rule is skipped with a warning naming its file.
    assert!(
        stderr.contains("windows.yml") && stderr.contains("skipped"),
        "{stderr}"
    );

    let out = deadbolt(&[
        "logs",
        &stratus(),
        "--no-builtin",
        "--rules",
        rules.to_str().expect("utf-8"),
    ]);
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("rule by Jane Doe"), "{human}");
}

#[test]
fn a_broken_user_rule_names_its_file_and_line() {
    let dir = tree(&[(
        "bad.yml",
        "title: bad\nlogsource: {product: aws, service: cloudtrail}\ndetection:\n  selection:\n    eventName|base64offset: x\n  condition: selection\n",
    )]);
    let rule = dir.path().join("bad.yml");
    let out = deadbolt(&[
        "logs",
        &stratus(),
        "--no-builtin",
        "--rules",
        rule.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.yml:5:") && stderr.contains("base64offset"),
        "{stderr}"
    );
}

#[test]
fn delivery_gzip_ndjson_forms_and_the_time_window() {
    let stop = event(
        "StopLogging",
        "cloudtrail.amazonaws.com",
        "2026-11-02T10:00:00Z",
        "e-stop",
    );
    let delete = event(
        "DeleteTrail",
        "cloudtrail.amazonaws.com",
        "2026-11-05T10:00:00Z",
        "e-delete",
    );
    let describe = event(
        "DescribeTrails",
        "cloudtrail.amazonaws.com",
        "2026-11-03T10:00:00Z",
        "e-describe",
    );
    let dir = tree(&[("ndjson/events.ndjson", &format!("{describe}\n{delete}\n"))]);
    let delivery = dir
        .path()
        .join("AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/02");
    std::fs::create_dir_all(&delivery).expect("mkdir");
    std::fs::write(
        delivery.join("111122223333_CloudTrail_eu-west-1_20261102T1000Z_abc.json.gz"),
        gzip(format!(r#"{{"Records":[{stop}]}}"#).as_bytes()),
    )
    .expect("write");
    std::fs::write(
        dir.path()
            .join("AWSLogs/111122223333/CloudTrail-Digest.json.gz"),
        gzip(br#"{"digestStartTime":"2026-11-02T10:00:00Z","logFiles":[]}"#),
    )
    .expect("write");
    let root = dir.path().to_str().expect("utf-8");

    let (code, report, stderr) = json_report(&["logs", root]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(report["summary"]["records"]["events"], 3);
    assert_eq!(report["summary"]["digest_files"], 1);
    let ids: Vec<&str> = report["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .flat_map(|a| {
            a["event_ids"]
                .as_array()
                .expect("ids")
                .iter()
                .filter_map(Value::as_str)
        })
        .collect();
    assert!(
        ids.contains(&"e-stop") && ids.contains(&"e-delete"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"e-describe"));

    let (_, report, _) = json_report(&[
        "logs",
        root,
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-04",
    ]);
    assert_eq!(report["summary"]["records"]["events"], 2);
    assert_eq!(report["summary"]["records"]["outside_window"], 1);
    let ids: Vec<&str> = report["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .flat_map(|a| {
            a["event_ids"]
                .as_array()
                .expect("ids")
                .iter()
                .filter_map(Value::as_str)
        })
        .collect();
    assert!(
        ids.contains(&"e-stop") && !ids.contains(&"e-delete"),
        "{ids:?}"
    );

    // A time without an offset is UTC; an inverted window is a usage error.
    let (_, report, _) = json_report(&["logs", root, "--since", "2026-11-02T10:00:30"]);
    assert_eq!(report["summary"]["records"]["outside_window"], 1);
    let out = deadbolt(&[
        "logs",
        root,
        "--since",
        "2026-11-04",
        "--until",
        "2026-11-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = deadbolt(&["logs", root, "--since", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since"));
}

#[test]
fn since_skips_delivery_files_delivered_before_it_unread() {
    // The records' own times say "in the window", so only the file names can keep them out: a
    // file stamped 23:59 was delivered before 00:00 and is not read with --since of that day,
    // the one stamped 00:00 may hold records of 00:00:xx and is read.
    let stop = event(
        "StopLogging",
        "cloudtrail.amazonaws.com",
        "2026-11-02T00:00:10Z",
        "e-early",
    );
    let late = event(
        "StopLogging",
        "cloudtrail.amazonaws.com",
        "2026-11-02T00:00:20Z",
        "e-on-time",
    );
    let dir = tree(&[
        (
            "111122223333_CloudTrail_eu-west-1_20261101T2359Z_abc.json",
            &format!(r#"{{"Records":[{stop}]}}"#),
        ),
        (
            "111122223333_CloudTrail_eu-west-1_20261102T0000Z_def.json",
            &format!(r#"{{"Records":[{late}]}}"#),
        ),
    ]);
    let root = dir.path().to_str().expect("utf-8");
    let (_, all, _) = json_report(&["logs", root]);
    assert_eq!(all["summary"]["records"]["events"], 2);
    let (_, since, stderr) = json_report(&["logs", root, "--since", "2026-11-02"]);
    assert_eq!(since["summary"]["records"]["events"], 1, "{stderr}");
    assert_eq!(since["summary"]["records"]["outside_window"], 0);
    let text = since["alerts"].to_string();
    assert!(
        text.contains("e-on-time") && !text.contains("e-early"),
        "{text}"
    );

    // Only CloudTrail's own names are delivery names: a stamp in another name says nothing.
    let other = tree(&[(
        "notes_20261101T2359Z_export.json",
        &format!(r#"{{"Records":[{stop}]}}"#),
    )]);
    let (_, report, _) = json_report(&[
        "logs",
        other.path().to_str().expect("utf-8"),
        "--since",
        "2026-11-02",
    ]);
    assert_eq!(report["summary"]["records"]["events"], 1);

    // A daily run with nothing delivered since the last one is not a failure.
    let old = tree(&[(
        "111122223333_CloudTrail_eu-west-1_20261101T2359Z_abc.json",
        &format!(r#"{{"Records":[{stop}]}}"#),
    )]);
    let out = deadbolt(&[
        "logs",
        old.path().to_str().expect("utf-8"),
        "--since",
        "2026-11-02",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("predates --since"));
}

#[test]
fn a_correlation_alert_shows_its_burst_not_older_matches_of_its_group() {
    // Two GetPasswordData calls a day before a burst of five by the same principal: the alert is
    // the burst's, with its time and its five records.
    let call = |time: &str, id: &str, instance: &str| {
        format!(
            r#"{{"eventVersion":"1.08","eventTime":"{time}","eventSource":"ec2.amazonaws.com","eventName":"GetPasswordData","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2","eventID":"{id}","recipientAccountId":"111122223333","requestParameters":{{"instanceId":"{instance}"}},"userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333","userName":"mallory","accessKeyId":"AKIAEXAMPLE"}}}}"#
        )
    };
    let mut lines = vec![
        call("2026-11-28T10:00:00Z", "old-1", "i-0a"),
        call("2026-11-28T15:00:00Z", "old-2", "i-0b"),
    ];
    for i in 0..5 {
        lines.push(call(
            &format!("2026-11-29T10:00:0{i}Z"),
            &format!("burst-{i}"),
            &format!("i-1{i}"),
        ));
    }
    let dir = tree(&[("events.ndjson", &lines.join("\n"))]);
    let (_, report, stderr) = json_report(&["logs", dir.path().to_str().expect("utf-8")]);
    let alerts = report["alerts"].as_array().expect("alerts");
    let burst = alerts
        .iter()
        .find(|a| {
            a["explanation"]
                .as_str()
                .is_some_and(|e| e.contains("distinct"))
        })
        .unwrap_or_else(|| panic!("no correlation alert: {stderr} {alerts:#?}"));
    assert_eq!(burst["time"], "2026-11-29T10:00:00Z", "{burst:#}");
    assert_eq!(burst["records"], 5, "{burst:#}");
    assert!(
        !burst["event_ids"].to_string().contains("old-"),
        "{burst:#}"
    );
}

#[test]
fn bad_input_is_reported_by_file_and_line_and_the_rest_is_reviewed() {
    let stop = event(
        "StopLogging",
        "cloudtrail.amazonaws.com",
        "2026-11-02T10:00:00Z",
        "e-stop",
    );
    let describe = event(
        "DescribeTrails",
        "cloudtrail.amazonaws.com",
        "2026-11-02T10:01:00Z",
        "e-ok",
    );
    let deep = format!(
        r#"{{"eventName":"PutBucketPolicy","eventSource":"s3.amazonaws.com","eventTime":"2026-11-02T10:02:00Z","requestParameters":{}"x"{}}}"#,
        "{\"a\":".repeat(5000),
        "}".repeat(5000)
    );
    // A field of an unexpected type does not keep the record from review.
    let odd = event(
        "StopLogging",
        "cloudtrail.amazonaws.com",
        "2026-11-02T10:03:00Z",
        "e-odd",
    )
    .replace(
        r#""recipientAccountId":"111122223333""#,
        r#""recipientAccountId":111122223333,"readOnly":"false""#,
    );
    let long_line = format!(r#"{{"eventName":"X","pad":"{}"}}"#, "x".repeat(3 << 20));
    let dir = tree(&[
        ("good.json", &format!(r#"{{"Records":[{stop}]}}"#)),
        ("package.json", r#"{"name":"web","version":"1.0.0"}"#),
        (
            "mixed.ndjson",
            &format!(
                "{describe}\n{{\"eventName\":\n{{\"eventVersion\":\"1.10\"}}\n{deep}\n{long_line}\n{describe}\n{odd}\n"
            ),
        ),
        ("notjson.json", "hello world\n"),
    ]);
    let full = gzip(format!(r#"{{"Records":[{stop},{describe}]}}"#).as_bytes());
    // Two gzip members of the same inflated size: both are read.
    let quiet = event(
        "DescribeTrails",
        "cloudtrail.amazonaws.com",
        "2026-11-02T10:00:00Z",
        "e-m1xx",
    );
    let loud = event(
        "StopLogging",
        "cloudtrail.amazonaws.com",
        "2026-11-02T10:00:00Z",
        "e-member2",
    );
    assert_eq!(quiet.len(), loud.len());
    let mut members = gzip(format!("{quiet}\n").as_bytes());
    members.extend(gzip(format!("{loud}\n").as_bytes()));
    std::fs::write(dir.path().join("members.ndjson.gz"), members).expect("write");
    // A broken first line of NDJSON loses that line, not the file.
    std::fs::write(
        dir.path().join("first-broken.ndjson"),
        format!(
            "{{\"eventName\":\n{}\n",
            event(
                "DeleteTrail",
                "cloudtrail.amazonaws.com",
                "2026-11-02T10:00:00Z",
                "e-after-broken"
            )
        ),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("truncated.json.gz"),
        &full[..full.len() / 2],
    )
    .expect("write");
    let root = dir.path().to_str().expect("utf-8");

    let (code, report, stderr) = json_report(&["logs", root, "--max-line-mib", "1"]);
    assert_eq!(
        code,
        Some(1),
        "alerts and input problems exit 1, never a panic: {stderr}"
    );
    assert_eq!(report["partial"], true);
    assert!(
        detections_raised(&report)
            .iter()
            .any(|d| d.starts_with("CT-")),
        "the good file still raises its alert"
    );
    let diags: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {}",
                d["file"].as_str().unwrap_or_default(),
                d["line"],
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let has =
        |file: &str, needle: &str| diags.iter().any(|d| d.contains(file) && d.contains(needle));
    assert!(has("truncated.json.gz", "ends early"), "{diags:#?}");
    assert!(has("package.json", "not a CloudTrail event"), "{diags:#?}");
    assert!(has("notjson.json", "not JSON"), "{diags:#?}");
    assert!(has("mixed.ndjson:2:", "ends early"), "{diags:#?}");
    assert!(
        has("mixed.ndjson:3:", "not a CloudTrail event"),
        "{diags:#?}"
    );
    assert!(has("mixed.ndjson:4:", "recursion limit"), "{diags:#?}");
    assert!(has("mixed.ndjson:5:", "limit"), "{diags:#?}");
    assert!(has("first-broken.ndjson:1:", "ends early"), "{diags:#?}");
    let ids: Vec<&str> = report["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .flat_map(|a| {
            a["event_ids"]
                .as_array()
                .expect("ids")
                .iter()
                .filter_map(Value::as_str)
        })
        .collect();
    assert!(
        ids.contains(&"e-member2"),
        "the second gzip member is read: {ids:?}"
    );
    assert!(
        ids.contains(&"e-odd"),
        "a record with a numeric account ID is reviewed: {ids:?}"
    );
    assert!(has("package.json", "none of its 1 records"), "{diags:#?}");
    assert!(
        ids.contains(&"e-after-broken"),
        "NDJSON after a broken first line is read: {ids:?}"
    );
    // The two good records of mixed.ndjson and the good file were all reviewed.
    assert!(
        report["summary"]["records"]["events"]
            .as_u64()
            .expect("events")
            >= 3
    );
}

#[test]
fn unreachable_s3_urls_and_missing_paths_are_errors() {
    // A closed loopback port: the test never leaves the machine, whichever build runs it.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deadbolt"))
        .args([
            "logs",
            "s3://trail-bucket/AWSLogs/",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env_remove("AWS_PROFILE")
        .output()
        .expect("run deadbolt");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if cfg!(feature = "aws") {
        assert!(stderr.contains("could not list the S3 objects"), "{stderr}");
    } else {
        assert!(stderr.contains("aws s3 sync"), "{stderr}");
    }
    let out = deadbolt(&["logs", "/nonexistent/trail"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn detections_are_listed() {
    let out = deadbolt(&["logs", "--list"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l.starts_with("CT-CIS-01 ")), "{text}");
    assert!(
        text.lines().count() >= 45,
        "the 15 CIS items and the technique detections: {text}"
    );
}

#[test]
fn every_record_is_exported_as_an_ocsf_event() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("events.ocsf.jsonl");
    let out = deadbolt(&[
        "logs",
        &stratus(),
        "--export-ocsf",
        export.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&export).expect("export written");
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(events.len(), 310, "one OCSF event per CloudTrail record");
    let class = |name: &str| {
        events
            .iter()
            .filter(|e| e["api"]["operation"] == name)
            .map(|e| e["type_uid"].as_u64().expect("type_uid"))
            .collect::<Vec<_>>()
    };
    assert_eq!(class("ConsoleLogin"), [300201], "Authentication: Logon");
    assert!(
        class("UpdateLoginProfile").iter().all(|t| *t == 300103),
        "Account Change: Password Change"
    );
    assert!(
        class("StopLogging").iter().all(|t| *t == 600303),
        "API Activity: Update"
    );
    for e in &events {
        let class_uid = e["class_uid"].as_u64().expect("class_uid");
        assert_eq!(e["type_uid"].as_u64().expect("type_uid") / 100, class_uid);
        assert!(e["time"].is_i64() && e["metadata"]["uid"].is_string());
    }
}

/// False-positive control: a generated benign corpus of 100,000 events (routine reads, deploy
/// pipelines, AWS service events, console sign-ins with MFA, apps reading their own secrets, a low
/// rate of AccessDenied) raises only the CIS items for what it truly contains, on exactly the
/// records the generator's manifest counts, and few baseline anomalies. The figures are printed.
#[test]
fn benign_traffic_raises_only_what_it_truly_contains() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("trail");
    let status = std::process::Command::new("python3")
        .arg(repo().join("scripts/gen-cloudtrail.py"))
        .args(["--events", "100000", "--quiet", "--out"])
        .arg(&corpus)
        .status()
        .expect("python3 runs the generator");
    assert!(status.success());
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(corpus.join("manifest.json")).expect("manifest"),
    )
    .expect("json");
    let trail = corpus.join("AWSLogs");
    let (code, report, stderr) = json_report(&["logs", trail.to_str().expect("utf-8")]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(report["partial"], false, "{stderr}");
    assert_eq!(report["summary"]["records"]["events"], 100_000);

    // Which detection fires on which category of routine change the generator planted.
    let expected = [
        ("CT-CIS-01", "access_denied"),
        ("CT-CIS-04", "iam_policy_changes"),
        ("CT-CIS-08", "s3_bucket_policy_changes"),
        ("CT-CIS-10", "security_group_changes"),
    ];
    let mut records: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for a in report["alerts"].as_array().expect("alerts") {
        let entry = records
            .entry(a["detection"].as_str().expect("id").to_string())
            .or_default();
        entry.0 += 1;
        entry.1 += a["records"].as_u64().expect("records");
    }
    println!("benign 100k events: {records:?}");
    for (id, (alerts, _)) in &records {
        assert!(
            id == "CT-ANOM-001" || expected.iter().any(|(e, _)| e == id),
            "{id} fired {alerts} times on benign traffic"
        );
    }
    for (id, category) in expected {
        let planted = manifest["contained"][category]
            .as_u64()
            .expect("manifest count");
        let seen = records.get(id).map(|r| r.1).unwrap_or(0);
        assert_eq!(
            seen, planted,
            "{id}: {seen} records alerted, {planted} {category} planted"
        );
    }
    // The baseline learns 7 of the 30 days; what stays new afterwards is rare.
    let anomalies = records.get("CT-ANOM-001").map(|r| r.0).unwrap_or(0);
    assert!(
        anomalies <= 10,
        "{anomalies} baseline alerts on 23 days of routine traffic"
    );
}

#[cfg(feature = "lake")]
#[test]
fn records_are_exported_as_parquet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = dir.path().join("events.parquet");
    let out = deadbolt(&[
        "logs",
        &stratus(),
        "--export-parquet",
        export.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&export).expect("export written");
    // A Parquet file starts and ends with its magic; the rows are checked in deadbolt-lake.
    assert!(
        bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
        "{} bytes",
        bytes.len()
    );
}

/// A correlation cannot count matches older than newer ones by more than the lateness; the review
/// says so rather than staying silent, and `--max-lateness` stretches it.
#[test]
fn records_out_of_time_order_are_reported() {
    let read = |i: u32, time: &str| {
        format!(
            r#"{{"eventTime":"{time}","eventSource":"secretsmanager.amazonaws.com","eventName":"GetSecretValue","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/m"}},"requestParameters":{{"secretId":"s{i}"}},"eventID":"e{i}"}}"#
        )
    };
    let mut text = read(0, "2026-11-02T12:00:00Z");
    for i in 1..=12 {
        text.push('\n');
        text.push_str(&read(i, &format!("2026-11-02T10:00:{i:02}Z")));
    }
    let dir = tree(&[("newest-first.ndjson", &text)]);
    let (_, report, _) =
        json_report(&["logs", dir.path().to_str().expect("utf-8"), "--no-baseline"]);
    let diags = report["diagnostics"].to_string();
    assert!(
        diags.contains("CT-ATT-005: 12 matching records were more than 1h older"),
        "{diags}"
    );
    assert!(!detections_raised(&report).contains(&"CT-ATT-005".to_string()));
    // Two hours out of order is within a lateness of three: the burst is counted.
    let (_, report, _) = json_report(&[
        "logs",
        dir.path().to_str().expect("utf-8"),
        "--no-baseline",
        "--max-lateness",
        "3h",
    ]);
    assert!(
        detections_raised(&report).contains(&"CT-ATT-005".to_string()),
        "{report}"
    );
    assert!(!report["diagnostics"].to_string().contains("older than"));
}

/// A record whose eventTime is not a time is still reviewed, and the review says what it missed.
#[test]
fn records_without_a_valid_time_are_reviewed_and_reported() {
    let dir = tree(&[(
        "untimed.ndjson",
        &event(
            "StopLogging",
            "cloudtrail.amazonaws.com",
            "yesterday",
            "e-untimed",
        ),
    )]);
    let (code, report, _) = json_report(&["logs", dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, Some(1));
    assert_eq!(report["summary"]["records"]["untimed"], 1);
    assert!(report["alerts"].to_string().contains("e-untimed"));
    assert!(
        report["diagnostics"]
            .to_string()
            .contains("no valid eventTime")
    );
}
