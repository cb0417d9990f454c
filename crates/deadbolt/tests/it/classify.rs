//! `deadbolt classify` on a temporary tree: the inventory, masking, exit codes, bad input.

use crate::{deadbolt, repo, tree};

/// Full values planted in the tree; none may appear in any report.
const SECRETS: &[&str] = &[
    "4123 3320 5478 9178",
    "4123332054789178",
    "AKIAUJZDE8GXD6NCF10E",
    "El2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5",
    "jane.doe@corp.io",
    "536-22-1234",
    "536221234",
    "GB82 WEST 1234 5698 7654 32",
    "Tr0ub4dor&3xq",
    "ghp_sMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8",
];

fn planted() -> tempfile::TempDir {
    tree(&[
        (
            "app/config.env",
            "aws_access_key_id = AKIAUJZDE8GXD6NCF10E\naws_secret_access_key = El2hpChYgCfrL1spNxnyVmihA+2O76UMFxFkM+R5\npassword=Tr0ub4dor&3xq\nGITHUB_TOKEN=ghp_sMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8\n",
        ),
        (
            "exports/customers.csv",
            "name,email,ssn,card\nJane,jane.doe@corp.io,536221234,4123332054789178\n",
        ),
        (
            "exports/payments.json",
            "{\"payer\": {\"iban\": \"GB82 WEST 1234 5698 7654 32\", \"card\": \"4123 3320 5478 9178\"}, \"ssn\": \"536-22-1234\"}",
        ),
        ("logs/access.log", "GET / from 203.0.113.45\n"),
        ("docs/readme.txt", "nothing sensitive here\n"),
        ("bin/blob.dat", "\u{0}\u{1}\u{2}binary"),
        ("bad/latin1.txt", "ok"),
    ])
}

#[test]
fn inventory_json_labels_counts_and_masks() {
    let dir = planted();
    // Invalid UTF-8 cannot be written through `tree`'s &str.
    std::fs::write(
        dir.path().join("bad/latin1.txt"),
        b"caf\xe9 jane.doe@corp.io\n",
    )
    .expect("write");
    let root = dir.path().to_str().expect("utf-8 path");
    let out = deadbolt(&["classify", root, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["schema_version"], 1);
    let summary = &json["summary"];
    assert_eq!(summary["files"], 7);
    assert_eq!(summary["scanned"], 6);
    assert_eq!(summary["skipped_binary"], 1);
    let label = |suffix: &str| {
        json["files"]
            .as_array()
            .expect("files")
            .iter()
            .find(|f| f["file"].as_str().is_some_and(|n| n.ends_with(suffix)))
            .map(|f| f["label"].as_str().unwrap_or_default().to_string())
            .unwrap_or_else(|| panic!("no {suffix}"))
    };
    assert_eq!(label("config.env"), "restricted");
    assert_eq!(label("customers.csv"), "restricted");
    assert_eq!(label("payments.json"), "restricted");
    assert_eq!(label("access.log"), "internal");
    assert_eq!(label("readme.txt"), "public");
    assert_eq!(label("latin1.txt"), "confidential");
    let csv = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .is_some_and(|n| n.ends_with("customers.csv"))
        })
        .expect("csv");
    let ids: Vec<&str> = csv["types"]
        .as_array()
        .expect("types")
        .iter()
        .filter_map(|t| t["detector"].as_str())
        .collect();
    assert_eq!(ids, ["credit-card-number", "email-address", "us-ssn"]);
    let diagnostics = json["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diagnostics.iter().any(|d| d["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("latin1.txt"))),
        "{diagnostics:?}"
    );
}

#[test]
fn no_full_value_in_any_report() {
    let dir = planted();
    let root = dir.path().to_str().expect("utf-8 path");
    let report = dir.path().join("report.json");
    for args in [
        vec!["classify", root],
        vec!["classify", root, "--format", "json"],
        vec!["classify", root, "--format", "sarif"],
        vec!["classify", root, "--format", "csv"],
        vec![
            "classify",
            root,
            "--format",
            "json",
            "-o",
            report.to_str().expect("path"),
        ],
    ] {
        let out = deadbolt(&args);
        assert_eq!(out.status.code(), Some(1));
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        if args.contains(&"-o") {
            text.push_str(&std::fs::read_to_string(&report).expect("report written"));
            std::fs::remove_file(&report).expect("remove");
        }
        assert!(text.contains("4123 **** **** 9178"), "{text}");
        assert!(text.contains("AKIA************F10E"), "{text}");
        for s in SECRETS {
            assert!(!text.contains(s), "{s} leaked in {args:?}:\n{text}");
        }
    }
}

#[test]
fn exit_codes_and_min_confidence() {
    let clean = tree(&[("a.txt", "hello\n"), ("b.log", "host 10.1.2.3\n")]);
    let out = deadbolt(&["classify", clean.path().to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(0), "internal data only");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("files: 0 restricted, 0 confidential, 1 internal, 1 public"),
        "{text}"
    );

    // The dashed SSN alone is medium: `--min-confidence high` drops it.
    let ssn = tree(&[("x.txt", "ref 536-22-1234\n")]);
    let path = ssn.path().to_str().expect("path");
    assert_eq!(deadbolt(&["classify", path]).status.code(), Some(1));
    assert_eq!(
        deadbolt(&["classify", path, "--min-confidence", "high"])
            .status
            .code(),
        Some(0)
    );

    // Nothing sensitive, but part of the input could not be read: the inventory is partial.
    let partial = tree(&[("a.txt", "hello\n"), ("broken.zip", "PK\x03\x04 truncated")]);
    let out = deadbolt(&["classify", partial.path().to_str().expect("path")]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an unreadable file is an input problem"
    );
    // A password-protected workbook is said, not skipped in silence.
    let mut ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    ole.resize(2048, 0);
    let locked = tempfile::tempdir().expect("tmp");
    std::fs::write(locked.path().join("payroll.xlsx"), &ole).expect("write");
    let out = deadbolt(&["classify", locked.path().to_str().expect("path")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("password-protected Office document"),
        "{text}"
    );

    let out = deadbolt(&["classify", "/no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    let out = deadbolt(&["classify", path, "--min-confidence", "certain"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn credsweeper_samples_are_classified_without_error() {
    let samples = crate::repo().join("../shared/data/credsweeper-samples");
    if !samples.is_dir() {
        eprintln!("skipped: {} is not there", samples.display());
        return;
    }
    let out = deadbolt(&[
        "classify",
        samples.to_str().expect("path"),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let summary = &json["summary"];
    assert_eq!(summary["unreadable"], 0);
    assert!(
        summary["skipped_binary"].as_u64() > Some(0),
        "archives are skipped, counted"
    );
    assert!(summary["scanned"].as_u64() > Some(100));
}

#[test]
fn sarif_validates_against_the_2_1_0_schema_and_places_findings() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("../shared/schemas/sarif-2.1.0.json"))
            .expect("schema in ../shared"),
    )
    .expect("schema JSON");
    let dir = planted();
    let root = dir.path().to_str().expect("utf-8 path");
    let out = deadbolt(&["classify", root, "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let validator = jsonschema::draft4::new(&schema).expect("compile schema");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.len() >= 40, "every detector is a rule");
    let results = run["results"].as_array().expect("results");
    for r in results {
        let idx = usize::try_from(r["ruleIndex"].as_u64().expect("index")).expect("usize");
        assert_eq!(rules[idx]["id"], r["ruleId"]);
    }
    let ssn = results
        .iter()
        .find(|r| {
            r["ruleId"] == "us-ssn"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with("customers.csv"))
        })
        .expect("the CSV's SSN is a result");
    assert_eq!(
        ssn["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert!(
        ssn["message"]["text"]
            .as_str()
            .is_some_and(|m| m.contains("*****1234")),
        "{ssn}"
    );
    assert_eq!(ssn["level"], "warning");
}

#[test]
fn csv_has_one_row_per_file_and_identifier() {
    let dir = planted();
    let root = dir.path().to_str().expect("utf-8 path");
    let out = deadbolt(&["classify", root, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    assert_eq!(
        reader.headers().expect("header").iter().collect::<Vec<_>>(),
        [
            "file",
            "label",
            "identifier",
            "category",
            "count",
            "highest_confidence",
            "sample",
            "line"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let customers: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| r[0].ends_with("customers.csv"))
        .collect();
    let ids: Vec<&str> = customers.iter().map(|r| &r[2]).collect();
    assert_eq!(ids, ["credit-card-number", "email-address", "us-ssn"]);
    for r in &customers {
        assert_eq!(&r[1], "restricted");
        assert_eq!(&r[4], "1");
        assert_eq!(&r[7], "2");
    }
    assert_eq!(&customers[0][3], "payment");
    assert_eq!(&customers[0][6], "4123********9178");
    assert!(
        !rows.iter().any(|r| r[0].ends_with("readme.txt")),
        "a file with nothing found has no row"
    );
}

#[test]
fn detectors_selects_by_id_or_prefix() {
    let dir = planted();
    let root = dir.path().to_str().expect("utf-8 path");
    let ids = |args: &[&str]| -> Vec<String> {
        let out = deadbolt(args);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let mut ids: Vec<String> = json["files"]
            .as_array()
            .expect("files")
            .iter()
            .flat_map(|f| f["types"].as_array().cloned().unwrap_or_default())
            .map(|t| t["detector"].as_str().expect("id").to_string())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let all = ids(&["classify", root, "--format", "json"]);
    assert!(all.contains(&"credit-card-number".to_string()), "{all:?}");
    assert_eq!(
        ids(&[
            "classify",
            root,
            "--format",
            "json",
            "--detectors",
            "aws-,email-address"
        ]),
        vec![
            "aws-access-key-id",
            "aws-secret-access-key",
            "email-address"
        ]
    );
    let out = deadbolt(&["classify", root, "--detectors", "no-such"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("names no detector"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Archives in a tree: members reported as `archive.zip!member`, a corrupt archive a diagnostic
/// while the other files are still read.
#[test]
fn archives_are_read_member_by_member_and_a_corrupt_one_does_not_stop_the_run() {
    use std::io::Write;
    let dir = tree(&[("notes.txt", "card 4123 3320 5478 9178\n")]);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("exports/people.csv", opts).expect("start");
    w.write_all(b"name,ssn\nJane,536221234\n").expect("write");
    let good = w.finish().expect("zip").into_inner();
    std::fs::write(dir.path().join("good.zip"), good).expect("write");
    std::fs::write(dir.path().join("corrupt.zip"), b"PK\x03\x04 truncated").expect("write");
    let root = dir.path().to_str().expect("utf-8 path");
    let out = deadbolt(&["classify", root, "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for s in SECRETS {
        assert!(!stdout.contains(s), "{s} leaked");
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["summary"]["files"], 3);
    assert_eq!(json["summary"]["scanned"], 2);
    assert_eq!(json["summary"]["unreadable"], 1);
    let files = json["files"].as_array().expect("files");
    let member = files
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .is_some_and(|n| n.ends_with("good.zip!exports/people.csv"))
        })
        .unwrap_or_else(|| panic!("no member in {stdout}"));
    assert_eq!(member["format"], "csv");
    assert_eq!(member["types"][0]["detector"], "us-ssn");
    assert_eq!(member["types"][0]["samples"][0]["line"], 2);
    assert_eq!(member["types"][0]["samples"][0]["field"], "ssn");
    assert!(files.iter().any(
        |f| f["file"].as_str().is_some_and(|n| n.ends_with("notes.txt"))
            && f["types"][0]["detector"] == "credit-card-number"
    ));
    let diags = json["diagnostics"].as_array().expect("diagnostics");
    assert!(
        diags.iter().any(|d| d["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("corrupt.zip"))
            && d["message"]
                .as_str()
                .is_some_and(|m| m.contains("corrupt or unsupported zip"))),
        "{diags:?}"
    );
}
