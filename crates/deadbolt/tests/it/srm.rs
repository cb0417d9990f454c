//! `deadbolt srm`: the agency's responsibility map in every format, and its HTML page rendered in
//! headless Chromium.

use std::path::Path;
use std::process::Command;

use crate::{deadbolt, repo};

/// Debian's Chromium, or `DEADBOLT_CHROMIUM`. `scripts/test.sh` installs it; without it this test
/// fails rather than skips.
fn chromium() -> String {
    let path = std::env::var("DEADBOLT_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&path).exists(),
        "{path} not found: install Debian's chromium (`apt-get install chromium`) or set DEADBOLT_CHROMIUM"
    );
    path
}

fn headless(profile: &Path, args: &[&str]) -> std::process::Output {
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1400,1000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("run chromium")
}

#[test]
fn the_html_map_renders_its_grid_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("srm.html");
    let agency = repo().join("examples/agency");
    let out = deadbolt(&[
        "srm",
        agency.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        page.to_str().unwrap(),
        "--today",
        "2026-11-29",
    ]);
    assert!(page.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let url = format!("file://{}", page.display());

    let dom = headless(&dir.path().join("profile-dom"), &["--dump-dom", &url]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<table id=\"matrix\">"),
        "no grid in the rendered DOM"
    );
    let rows = dom.matches("<tr><th>").count();
    assert!(rows >= 12, "expected a row per layer, found {rows}");
    for owner in ["provider", "customer"] {
        assert!(
            dom.contains(&format!("class=\"owner {owner}")),
            "no `{owner}` cell in the grid"
        );
    }

    let shot = dir.path().join("srm.png");
    let run = headless(
        &dir.path().join("profile-shot"),
        &[&format!("--screenshot={}", shot.display()), &url],
    );
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let count = |rgb: [u8; 3]| pixels.chunks(channels).filter(|p| p[..3] == rgb).count();
    let white = count([255, 255, 255]);
    let total = pixels.len() / channels;
    assert!(white < total, "the screenshot is blank");
    // The grid's cell colours: provider blue, customer red.
    assert!(count([0xcf, 0xe3, 0xff]) > 500, "no provider cells drawn");
    assert!(count([0xff, 0xd3, 0xcf]) > 500, "no customer cells drawn");
}

fn srm(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["srm"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--today", "2026-11-29"]);
    let out = deadbolt(&all);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_agency_map_matches_the_reviewed_snapshot() {
    let agency = repo().join("examples/agency");
    let (code, human, stderr) = srm(&[agency.to_str().unwrap()]);
    assert_eq!(code, Some(1), "gaps and an expired attestation: {stderr}");
    insta::assert_snapshot!("agency-srm-human", human);
    let (_, markdown, _) = srm(&[agency.to_str().unwrap(), "-f", "markdown"]);
    insta::assert_snapshot!("agency-srm-markdown", markdown);
}

#[test]
fn the_enterprise_map_matches_the_reviewed_snapshot() {
    let enterprise = repo().join("examples/enterprise");
    let (_, human, stderr) = srm(&[enterprise.to_str().unwrap()]);
    assert!(stderr.is_empty(), "{stderr}");
    insta::assert_snapshot!("enterprise-srm-human", human);
}

#[test]
fn attestations_are_judged_on_the_day_and_scans_decide_automated_duties() {
    let agency = repo().join("examples/agency");
    let (_, json, _) = srm(&[agency.to_str().unwrap(), "-f", "json"]);
    let map: serde_json::Value = serde_json::from_str(&json).unwrap();
    let duty = |id: &str| {
        map["duties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap_or_else(|| panic!("no duty {id}"))
            .clone()
    };
    assert_eq!(duty("GWS-ENFORCE-2SV")["status"], "attested");
    assert_eq!(
        duty("DROPBOX-RESTRICT-EXTERNAL-SHARING")["status"],
        "expired"
    );
    assert_eq!(
        duty("NET-NO-ADMIN-PORTS-FROM-INTERNET")["status"],
        "automated"
    );
    assert!(map["met"].is_null(), "no scan given");

    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("scan.json");
    deadbolt(&[
        "scan",
        agency.to_str().unwrap(),
        "-f",
        "json",
        "-o",
        scan.to_str().unwrap(),
    ]);
    let (_, json, _) = srm(&[
        agency.to_str().unwrap(),
        "-f",
        "json",
        "--findings",
        scan.to_str().unwrap(),
    ]);
    let map: serde_json::Value = serde_json::from_str(&json).unwrap();
    let duty = |id: &str| {
        map["duties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()
            .clone()
    };
    // SSH open to the world in main.tf and in the intake template.
    assert_eq!(
        duty("NET-NO-ADMIN-PORTS-FROM-INTERNET")["status"],
        "failing"
    );
    assert_eq!(duty("NET-NO-ADMIN-PORTS-FROM-INTERNET")["findings"], 2);
    let met = map["met"].as_f64().unwrap();
    let coverage = map["coverage"].as_f64().unwrap();
    assert!(
        met > 0.0 && met < coverage,
        "met {met}, coverage {coverage}"
    );
}

#[test]
fn without_a_stack_file_services_are_inferred_and_it_says_so() {
    let dir = crate::tree(&[
        (
            "main.tf",
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"b\"\n}\n",
        ),
        (
            "k8s/app.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n",
        ),
    ]);
    let (_, human, _) = srm(&[dir.path().to_str().unwrap()]);
    assert!(
        human.contains("services inferred from the infrastructure code"),
        "{human}"
    );
    assert!(
        human.contains("aws-s3") && human.contains("k8s-cluster"),
        "{human}"
    );
}

#[test]
fn a_broken_stack_file_names_each_problem_and_its_line() {
    let dir = crate::tree(&[(
        "deadbolt.yaml",
        "services:\n  - aws-s3\n  - aws-s4\nattestations:\n  - duty: GWS-ENFORCE-2SV\n    by: Priya\n    date: 2026-02-30\n",
    )]);
    let (code, _, stderr) = srm(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("deadbolt.yaml:3:0: error: unknown service `aws-s4`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("deadbolt.yaml:7:0: error: `date` is not a date"),
        "{stderr}"
    );
}

#[test]
fn scan_names_the_duties_its_findings_break() {
    let agency = repo().join("examples/agency");
    let out = deadbolt(&["scan", agency.to_str().unwrap(), "-f", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let broken: Vec<&str> = json["summary"]["duties_broken"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["id"].as_str())
        .collect();
    for id in ["NET-NO-ADMIN-PORTS-FROM-INTERNET", "K8S-POD-BASELINE"] {
        assert!(broken.contains(&id), "{broken:?}");
    }
}
