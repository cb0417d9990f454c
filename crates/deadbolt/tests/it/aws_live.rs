//! `deadbolt scan --aws` against a real AWS API endpoint: moto's standalone server on a free
//! loopback port, seeded by `scripts/seed-moto.py` with planted misconfigurations and clean
//! counterparts. Between deadbolt and moto sits a recording proxy, so the read-only test reads
//! what went over the wire, not what deadbolt says it did.
//!
//! `scripts/test.sh` installs moto (PyPI `moto[server]`) into `~/.cache/deadbolt/venv-moto` and
//! sets `DEADBOLT_MOTO_PYTHON`; without it these tests fail (they never skip).
//!
//! What moto does not model is covered by the SDK's mock client in `deadbolt-aws`
//! (`src/mock_tests.rs`): the root user's MFA and access keys (moto's account summary is fixed at
//! 0 and its credential report has no root row), key and credential age (no clock control), and
//! IAM Access Analyzer (moto answers HTTP 500, which this test expects as the only partial part).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::repo;

/// The Python of the moto venv (`scripts/test.sh` sets it).
fn moto_python() -> PathBuf {
    let python = std::env::var_os("DEADBOLT_MOTO_PYTHON").map(PathBuf::from).expect(
        "DEADBOLT_MOTO_PYTHON is not set: run the suite with `bash scripts/test.sh`, which installs moto[server] into ~/.cache/deadbolt/venv-moto",
    );
    assert!(
        python.exists(),
        "{} does not exist: `bash scripts/test.sh` installs it",
        python.display()
    );
    python
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A moto server on a free loopback port, stopped (SIGINT, then SIGKILL) when dropped.
struct Moto {
    child: Child,
    port: u16,
}

impl Moto {
    fn start() -> Moto {
        let port = free_port();
        let python = moto_python();
        let child = Command::new(&python)
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            // Without its bundled public AMIs (and their thousands of snapshots) moto's account
            // holds only what the seed script makes.
            .env("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let moto = Moto { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "moto did not listen on {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        moto
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Runs `scripts/seed-moto.py` against this server; what it planted and what it kept clean.
    fn seed(&self) -> Value {
        let out = Command::new(moto_python())
            .arg(repo().join("scripts/seed-moto.py"))
            .args(["--endpoint", &self.url()])
            .output()
            .expect("run seed-moto.py");
        assert!(
            out.status.success(),
            "seed-moto.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("seed-moto.py prints JSON")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        // moto installs its own SIGTERM handler; SIGINT stops it, SIGKILL if it lingers.
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request seen by the proxy.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    /// `X-Amz-Target` (JSON protocols: `Service.Operation`).
    target: Option<String>,
    /// `Action=` of a form body (query protocols).
    action: Option<String>,
}

impl Seen {
    /// The operation as the wire shows it, and whether it is a read: JSON and query protocols
    /// name it; REST protocols (S3, Lambda, GuardDuty, ...) read with GET.
    fn verdict(&self) -> (String, bool) {
        let read_verb = |op: &str| {
            ["List", "Get", "Describe", "Generate"]
                .iter()
                .any(|v| op.starts_with(v))
        };
        if let Some(target) = &self.target {
            let op = target.rsplit('.').next().unwrap_or(target);
            (target.clone(), read_verb(op))
        } else if let Some(action) = &self.action {
            (action.clone(), read_verb(action))
        } else {
            (
                format!("{} {}", self.method, self.path),
                self.method == "GET" || self.method == "HEAD",
            )
        }
    }
}

/// A loopback HTTP/1.1 proxy that records every request and forwards it to `upstream`.
struct Proxy {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Proxy {
    fn start(upstream: u16) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let record = record.clone();
                std::thread::spawn(move || relay(client, upstream, &record));
            }
        });
        Proxy { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("proxy log").clone()
    }
}

/// Serves one client connection and one request on it: the request is recorded, sent upstream on
/// a fresh connection (`Connection: close`), and the whole answer relayed back saying
/// `Connection: close`, so the client opens a new connection for its next request.
fn relay(client: TcpStream, upstream: u16, record: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(client.try_clone().expect("clone client stream"));
    let mut client = client;
    {
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" {
                break;
            }
            head.push(line);
        }
        let Some(request_line) = head.first() else {
            return;
        };
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let header = |name: &str| {
            head.iter().skip(1).find_map(|h| {
                let (k, v) = h.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_string())
            })
        };
        assert!(
            header("transfer-encoding").is_none(),
            "the proxy reads Content-Length bodies only; got a chunked request {method} {path}"
        );
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let action = String::from_utf8_lossy(&body)
            .split('&')
            .find_map(|pair| pair.strip_prefix("Action=").map(str::to_string));
        record.lock().expect("proxy log").push(Seen {
            method: method.clone(),
            path: path.clone(),
            target: header("x-amz-target"),
            action,
        });
        let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)) else {
            return;
        };
        // A stuck upstream closes the client's connection (the SDK retries) instead of hanging.
        let _ = server.set_read_timeout(Some(Duration::from_secs(30)));
        let mut forwarded = String::new();
        forwarded.push_str(request_line);
        for h in head.iter().skip(1) {
            if !h.to_ascii_lowercase().starts_with("connection:") {
                forwarded.push_str(h);
            }
        }
        forwarded.push_str("Connection: close\r\n\r\n");
        if server.write_all(forwarded.as_bytes()).is_err() || server.write_all(&body).is_err() {
            return;
        }
        let mut answer = Vec::new();
        if server.read_to_end(&mut answer).is_err() {
            return;
        }
        // One request per client connection: the answer says so, and the client opens a new
        // connection for its next request.
        let head_end = answer
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(answer.len());
        let says_close = String::from_utf8_lossy(&answer[..head_end])
            .to_ascii_lowercase()
            .contains("\r\nconnection: close");
        if !says_close && let Some(status_end) = answer.windows(2).position(|w| w == b"\r\n") {
            answer.splice(
                status_end + 2..status_end + 2,
                b"Connection: close\r\n".iter().copied(),
            );
        }
        let _ = client.write_all(&answer);
        let _ = client.shutdown(Shutdown::Both);
    }
}

/// `deadbolt ARGS --aws --endpoint-url ENDPOINT` with the test account only ([`deadbolt_at`]).
fn deadbolt_aws(args: &[&str], endpoint: &str) -> std::process::Output {
    let mut all = args.to_vec();
    all.extend(["--aws", "--endpoint-url", endpoint]);
    deadbolt_at(&all)
}

/// Findings of a JSON report by resource address: the rule IDs.
fn findings_by_address(report: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut by_address: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in report["findings"].as_array().expect("findings") {
        by_address
            .entry(
                f["resource"]["address"]
                    .as_str()
                    .expect("address")
                    .to_string(),
            )
            .or_default()
            .insert(f["rule_id"].as_str().expect("rule_id").to_string());
    }
    by_address
}

#[test]
fn live_scan_finds_every_planted_misconfiguration_reads_only_and_matches_its_snapshot() {
    let moto = Moto::start();
    let seeded = moto.seed();
    let proxy = Proxy::start(moto.port);
    let dir = tempfile::tempdir().expect("tempdir");
    let report_path = dir.path().join("live.json");

    let out = deadbolt_aws(
        &[
            "scan",
            "--region",
            "eu-west-1,us-east-1",
            "-f",
            "json",
            "-o",
            report_path.to_str().expect("utf-8 path"),
        ],
        &proxy.url(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Findings (and moto's Access Analyzer gap) make it exit 1.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(&report_path).expect("report")).expect("JSON report");
    let found = findings_by_address(&report);

    // Every planted misconfiguration is found on the resource it was planted on.
    let planted = seeded["planted"].as_object().expect("planted");
    let mut planted_rules = BTreeSet::new();
    for (rule, addresses) in planted {
        planted_rules.insert(rule.clone());
        for address in addresses.as_array().expect("addresses") {
            let address = address.as_str().expect("address");
            assert!(
                found.get(address).is_some_and(|rules| rules.contains(rule)),
                "{rule} not reported on {address}; findings there: {:?}",
                found.get(address)
            );
        }
    }
    assert!(
        planted_rules.len() >= 15,
        "the seed plants {planted_rules:?}"
    );
    // No clean counterpart is flagged by any rule that fired on a planted resource. (Rules the
    // seed does not plant may still judge a clean resource: moto drops MFA Delete, for one.)
    for clean in seeded["clean"].as_array().expect("clean") {
        let clean = clean.as_str().expect("address");
        let flagged: Vec<_> = found
            .get(clean)
            .into_iter()
            .flatten()
            .filter(|rule| planted_rules.contains(*rule))
            .collect();
        assert!(flagged.is_empty(), "clean {clean} flagged by {flagged:?}");
    }

    // The scan is partial only where moto is not faithful: IAM Access Analyzer (HTTP 500),
    // Lightsail (not implemented) and Backup's ListProtectedResources (an error answer).
    let diagnostics = report["diagnostics"].as_array().expect("diagnostics");
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        let file = d["file"].as_str().expect("file");
        assert!(
            [
                "/accessanalyzer/ListAnalyzers",
                "/lightsail/",
                "/backup/ListProtectedResources"
            ]
            .iter()
            .any(|gap| file.contains(gap)),
            "unexpected diagnostic: {d}"
        );
    }

    // Read-only, as seen on the wire: every request is a List/Get/Describe/Generate action or a
    // REST GET, and the services the issue names were all asked.
    let seen = proxy.seen();
    assert!(
        seen.len() > 50,
        "only {} requests went through the proxy",
        seen.len()
    );
    let writes: Vec<String> = seen
        .iter()
        .map(Seen::verdict)
        .filter(|(_, read)| !read)
        .map(|(op, _)| op)
        .collect();
    assert!(writes.is_empty(), "non-read requests: {writes:?}");
    let actions: BTreeSet<String> = seen.iter().filter_map(|s| s.action.clone()).collect();
    for expected in [
        "GetCallerIdentity",
        "GetAccountAuthorizationDetails",
        "GetCredentialReport",
        "DescribeSecurityGroups",
        "DescribeVolumes",
        "GetEbsEncryptionByDefault",
        "DescribeSnapshotAttribute",
        "DescribeDBInstances",
    ] {
        assert!(
            actions.contains(expected),
            "{expected} was not called: {actions:?}"
        );
    }
    let targets: BTreeSet<String> = seen.iter().filter_map(|s| s.target.clone()).collect();
    for expected in [
        "CloudTrail_20131101.DescribeTrails",
        "TrentService.GetKeyRotationStatus",
        "StarlingDoveService.DescribeConfigurationRecorders",
    ] {
        assert!(
            targets.contains(expected),
            "{expected} was not called: {targets:?}"
        );
    }

    // A snapshot collected now and scanned offline gives the same findings as the live scan.
    let snapshot = dir.path().join("account.json");
    let out = deadbolt_aws(
        &[
            "collect",
            "--region",
            "eu-west-1,us-east-1",
            "-o",
            snapshot.to_str().expect("utf-8 path"),
        ],
        &moto.url(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "partial (Access Analyzer): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&snapshot).expect("snapshot");
    assert!(
        !text.contains("Sup3rS3cretValue"),
        "a Lambda environment secret reached the snapshot"
    );
    let offline = crate::deadbolt(&["scan", snapshot.to_str().expect("utf-8 path"), "-f", "json"]);
    assert_eq!(offline.status.code(), Some(1));
    let offline: Value = serde_json::from_slice(&offline.stdout).expect("JSON report");
    let strip = |report: &Value| -> Vec<(String, String, String)> {
        let mut rows: Vec<_> = report["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                (
                    f["rule_id"].as_str().unwrap_or_default().to_string(),
                    f["resource"]["address"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    f["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(strip(&report), strip(&offline));
}

/// The alerts of a `deadbolt logs -f json` report, without where the records came from.
fn alert_rows(report: &Value) -> Vec<String> {
    let mut rows: Vec<String> = report["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .map(|a| {
            format!(
                "{} {} {} {} {}",
                a["detection"], a["time"], a["principal"]["arn"], a["event_name"], a["records"]
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn logs_read_from_s3_raise_what_the_same_files_raise_on_disk() {
    let moto = Moto::start();
    let corpus = repo().join("../shared/data/cloudtrail-stratus-red-team");
    let upload = format!(
        r#"
import boto3, pathlib
s3 = boto3.client("s3", endpoint_url="{url}", region_name="eu-west-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
s3.create_bucket(Bucket="trail-logs", CreateBucketConfiguration={{"LocationConstraint": "eu-west-1"}})
for p in sorted(pathlib.Path("{corpus}").glob("*.json")):
    s3.put_object(Bucket="trail-logs", Key="AWSLogs/stratus/" + p.name, Body=p.read_bytes())
s3.put_object(Bucket="trail-logs", Key="AWSLogs/stratus/README.txt", Body=b"not a log")
"#,
        url = moto.url(),
        corpus = corpus.display()
    );
    let out = Command::new(moto_python())
        .args(["-c", &upload])
        .output()
        .expect("upload the corpus");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let from_s3 = deadbolt_at(&[
        "logs",
        "s3://trail-logs/AWSLogs/",
        "--endpoint-url",
        &moto.url(),
        "-f",
        "json",
    ]);
    assert_eq!(
        from_s3.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&from_s3.stderr)
    );
    let from_s3: Value = serde_json::from_slice(&from_s3.stdout).expect("JSON report");
    let on_disk = crate::deadbolt(&["logs", corpus.to_str().expect("utf-8 path"), "-f", "json"]);
    let on_disk: Value = serde_json::from_slice(&on_disk.stdout).expect("JSON report");

    assert!(alert_rows(&on_disk).len() > 30);
    assert_eq!(alert_rows(&from_s3), alert_rows(&on_disk));
    assert_eq!(from_s3["summary"]["files"], on_disk["summary"]["files"]);
    assert_eq!(from_s3["summary"]["records"], on_disk["summary"]["records"]);
    assert_eq!(from_s3["diagnostics"], serde_json::json!([]));
}

/// `deadbolt` with the test account's credentials only: no profile, no instance metadata,
/// nothing from the developer's machine.
fn deadbolt_at(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_deadbolt"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_CONFIG_FILE", "/nonexistent/deadbolt-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/deadbolt-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .expect("run deadbolt")
}

#[test]
fn classify_an_s3_bucket_then_scan_with_its_inventory_raises_the_public_bucket_holding_cards() {
    let moto = Moto::start();
    moto.seed();
    let upload = format!(
        r#"
import boto3
s3 = boto3.client("s3", endpoint_url="{url}", region_name="eu-west-1",
                  aws_access_key_id="testing", aws_secret_access_key="testing")
rows = "order_id,customer,card_number\n1001,Ada,4666176031372159\n1002,Linus,4010928159013962\n"
s3.put_object(Bucket="agency-public-media", Key="exports/orders.csv", Body=rows.encode())
s3.put_object(Bucket="agency-public-media", Key="site/index.html", Body=b"<p>hello</p>")
"#,
        url = moto.url()
    );
    let out = Command::new(moto_python())
        .args(["-c", &upload])
        .output()
        .expect("upload");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let inventory = dir.path().join("inventory.json");
    let inventory_arg = inventory.to_str().expect("utf-8 path");

    let classified = deadbolt_at(&[
        "classify",
        "s3://agency-public-media/",
        "--endpoint-url",
        &moto.url(),
        "-f",
        "json",
        "-o",
        inventory_arg,
    ]);
    // Restricted data found: exit 1.
    assert_eq!(
        classified.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&classified.stderr)
    );
    let text = std::fs::read_to_string(&inventory).expect("inventory");
    assert!(
        !text.contains("4666176031372159"),
        "a full card number in the inventory"
    );
    let report: Value = serde_json::from_str(&text).expect("JSON inventory");
    let orders = report["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"] == "s3://agency-public-media/exports/orders.csv")
        .expect("the CSV object is in the inventory");
    assert_eq!(orders["label"], "restricted");
    assert_eq!(report["summary"]["files"], 2);

    let scanned = deadbolt_at(&[
        "scan",
        "--aws",
        "--endpoint-url",
        &moto.url(),
        "--region",
        "eu-west-1",
        "--data-inventory",
        inventory_arg,
        "--select",
        "AWS-S3",
        "-f",
        "json",
    ]);
    let report: Value = serde_json::from_slice(&scanned.stdout).expect("JSON report");
    let public = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["rule_id"] == "AWS-S3-001"
                && f["resource"]["address"] == "arn:aws:s3:::agency-public-media"
        })
        .expect("the public bucket is reported");
    assert_eq!(public["severity"], "critical");
    let message = public["message"].as_str().expect("message");
    assert!(
        message.contains("Payment card number (1 object)"),
        "{message}"
    );
    // The other public bucket holds nothing classified: its finding keeps the rule's severity.
    let other = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| {
            f["rule_id"] == "AWS-S3-002"
                && f["resource"]["address"] == "arn:aws:s3:::agency-open-policy"
        })
        .expect("the open-policy bucket is reported");
    assert_eq!(other["severity"], "high");
}

#[test]
fn an_unreachable_account_is_an_error_naming_the_call() {
    // A closed loopback port: no AWS account answers.
    let out = deadbolt_at(&[
        "scan",
        "--aws",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sts:GetCallerIdentity"), "{stderr}");
}
