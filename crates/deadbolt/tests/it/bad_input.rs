//! Hostile and broken input: each case yields a diagnostic naming the file (and line where there is
//! one), never a panic, and the good file next to it is still scanned.

use crate::{deadbolt, scan_dir, tree};

const GOOD: &str =
    "resource \"aws_s3_bucket\" \"good\" {\n  bucket = \"good\"\n  acl    = \"public-read\"\n}\n";

fn assert_good_still_scanned(eval: &deadbolt_rules::Evaluation) {
    assert!(
        eval.findings
            .iter()
            .any(|f| f.address == "aws_s3_bucket.good" && f.rule.id == "AWS-S3-001"),
        "the good file was not scanned"
    );
}

#[test]
fn malformed_hcl_reports_file_line_and_column() {
    let dir = tree(&[
        ("good.tf", GOOD),
        (
            "bad.tf",
            "resource \"aws_s3_bucket\" \"x\" {\n  bucket = \n}\n",
        ),
    ]);
    let (eval, loaded) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.file.ends_with("bad.tf"))
        .expect("diagnostic for bad.tf");
    assert_eq!((d.line, d.column), (2, 12), "{d}");
    assert!(d.message.contains("parse error"));
}

#[test]
fn binary_and_invalid_utf8_files_are_reported() {
    let dir = tree(&[("good.tf", GOOD)]);
    std::fs::write(
        dir.path().join("binary.tf"),
        [0x7f, b'E', b'L', b'F', 0, 0, 1, 2],
    )
    .unwrap();
    std::fs::write(
        dir.path().join("latin1.tf"),
        b"# caf\xe9\nresource \"a\" \"b\" {}\n",
    )
    .unwrap();
    let (eval, loaded) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    let msg = |name: &str| {
        loaded
            .diagnostics
            .iter()
            .find(|d| d.file.ends_with(name))
            .map(|d| (d.line, d.message.clone()))
    };
    assert!(msg("binary.tf").unwrap().1.contains("binary"));
    assert_eq!(
        msg("latin1.tf").unwrap(),
        (1, "invalid UTF-8; skipped".to_string())
    );
}

#[test]
fn a_file_over_the_size_limit_is_skipped_with_a_diagnostic() {
    let dir = tree(&[("good.tf", GOOD)]);
    let big = dir.path().join("huge.tf");
    let line =
        "# padding padding padding padding padding padding padding padding padding padding\n";
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap(); // sparse 50 MB
    drop(f);
    std::fs::write(dir.path().join("other.tf"), line.repeat(10)).unwrap();
    let (eval, loaded) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.file.ends_with("huge.tf") && d.message.contains("limit"))
    );
}

#[test]
fn ten_thousand_deep_nesting_does_not_overflow() {
    let deep = format!(
        "locals {{\n  x = {}1{}\n}}\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let deep_objects = format!(
        "locals {{\n  y = {}1{}\n}}\n",
        "{a = ".repeat(10_000),
        "}".repeat(10_000)
    );
    let parens = format!(
        "locals {{\n  z = {}1{}\n}}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let dir = tree(&[
        ("good.tf", GOOD),
        ("deep.tf", &deep),
        ("objects.tf", &deep_objects),
        ("parens.tf", &parens),
    ]);
    let (eval, loaded) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    for name in ["deep.tf", "objects.tf", "parens.tf"] {
        assert!(
            loaded.diagnostics.iter().any(|d| d.file.ends_with(name)),
            "no diagnostic for {name}: {:?}",
            loaded.diagnostics
        );
    }
}

#[test]
fn a_long_reference_chain_becomes_unknown_not_a_stack_overflow() {
    let mut text = String::from("locals {\n  l0 = \"public-read\"\n");
    for i in 1..5000 {
        text.push_str(&format!("  l{i} = local.l{}\n", i - 1));
    }
    text.push_str(
        "}\nresource \"aws_s3_bucket\" \"chained\" {\n  bucket = \"c\"\n  acl = local.l4999\n}\n",
    );
    let dir = tree(&[("good.tf", GOOD), ("chain.tf", &text)]);
    let (eval, _) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    assert!(
        eval.not_evaluated
            .iter()
            .any(|n| n.address == "aws_s3_bucket.chained")
    );
}

#[test]
fn symlink_loops_and_dangling_links_are_reported_not_followed() {
    let dir = tree(&[("good.tf", GOOD)]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("nowhere.tf"),
        dir.path().join("dangling.tf"),
    )
    .unwrap();
    std::os::unix::fs::symlink("self.tf", dir.path().join("self.tf")).unwrap();
    let (eval, loaded) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.file.ends_with("dangling.tf"))
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.file.ends_with("self.tf"))
    );
    assert_eq!(
        eval.findings
            .iter()
            .filter(|f| f.address == "aws_s3_bucket.good" && f.rule.id == "AWS-S3-001")
            .count(),
        1,
        "the loop was not followed"
    );
}

#[test]
fn a_module_that_calls_itself_is_reported_once_and_not_expanded_forever() {
    let dir = tree(&[
        ("good.tf", GOOD),
        ("main.tf", "module \"m\" {\n  source = \"./m\"\n}\n"),
        (
            "m/main.tf",
            "module \"again\" {\n  source = \"../m\"\n}\nresource \"aws_s3_bucket\" \"inner\" {\n  bucket = \"inner\"\n}\n",
        ),
    ]);
    let (eval, loaded) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.message.contains("calls itself"))
        .expect("self-call diagnostic");
    assert!(d.file.ends_with("m/main.tf") && d.line == 1, "{d}");
    assert!(
        loaded
            .model
            .resources()
            .iter()
            .any(|r| r.meta().address == "module.m.aws_s3_bucket.inner")
    );
}

#[test]
fn the_cli_exit_code_says_the_scan_was_incomplete() {
    let dir = tree(&[
        (
            "ok.tf",
            "resource \"aws_s3_bucket\" \"ok\" {\n  bucket = \"ok\"\n}\n",
        ),
        ("bad.tf", "this is { not hcl"),
    ]);
    let out = deadbolt(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--select",
        "AWS-S3-001",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("bad.tf:1:"), "{text}");
    let only_bad = tree(&[("bad.tf", "this is { not hcl")]);
    assert_eq!(
        deadbolt(&["scan", only_bad.path().to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
}

/// The same entry point the fuzz target (`fuzz/fuzz_targets/terraform_load.rs`) drives, fed the
/// hostile cases and the fuzz seeds.
#[test]
fn the_fuzz_entry_point_survives_the_hostile_cases() {
    let mut cases: Vec<(String, String)> = vec![
        ("malformed".into(), "resource \"a\" {\n  x = \n".into()),
        ("binary".into(), String::from_utf8_lossy(&[0x7f, b'E', b'L', b'F', 0, 0, 0xff, 0xfe]).into_owned()),
        ("deep-list".into(), format!("locals {{\n  x = {}1{}\n}}\n", "[".repeat(10_000), "]".repeat(10_000))),
        ("deep-blocks".into(), format!("{}{}", "a {\n".repeat(10_000), "}\n".repeat(10_000))),
        ("self-local".into(), "locals {\n  a = local.a\n}\nresource \"aws_s3_bucket\" \"b\" {\n  acl = local.a\n}\n".into()),
        ("self-resource".into(), "resource \"aws_s3_bucket\" \"b\" {\n  bucket = aws_s3_bucket.b.bucket\n}\n".into()),
        ("mutual".into(), "resource \"aws_s3_bucket\" \"a\" {\n  bucket = aws_s3_bucket.b.bucket\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = aws_s3_bucket.a.bucket\n}\n".into()),
        ("huge-count".into(), "resource \"aws_s3_bucket\" \"b\" {\n  count = 1000000000\n  bucket = \"x${count.index}\"\n}\n".into()),
        ("huge-range".into(), "locals {\n  r = range(100000000)\n}\nresource \"aws_s3_bucket\" \"b\" {\n  for_each = toset([for i in local.r : tostring(i)])\n}\n".into()),
        ("bad-functions".into(), "locals {\n  a = file(\"/etc/shadow\")\n  b = templatefile(\"nope.tpl\", {})\n  c = cidrsubnet(\"10.0.0.0/30\", 40, 1)\n  d = element([], 1)\n  e = 1 / 0\n  f = substr(\"abc\", -10, 99)\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = \"${local.a}${local.b}${local.c}${local.d}${local.e}${local.f}\"\n}\n".into()),
        ("splats".into(), "resource \"aws_s3_bucket\" \"b\" {\n  bucket = [for x in null : x][*].y[0]\n  acl = {a = 1}[\"b\"]\n}\n".into()),
    ];
    // The fuzz seeds (fuzz/seed.sh): the bundled example and every rule fixture, including the
    // files of folders inside a fixture folder (the local modules a fixture calls).
    let mut seeds = vec![crate::repo().join("examples/agency/main.tf")];
    let mut dirs = vec![crate::repo().join("crates/deadbolt-rules/fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                seeds.push(path);
            }
        }
    }
    for path in seeds {
        cases.push((
            path.display().to_string(),
            String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned(),
        ));
    }
    for (name, text) in cases {
        let loaded = deadbolt_terraform::load_str(&name, &text);
        let rules = deadbolt_rules::registry::all();
        let eval = deadbolt_rules::evaluate(
            &loaded.model,
            rules,
            &deadbolt_rules::Selection::default(),
            &deadbolt_rules::registry::ids(),
        );
        // Reaching here without a panic is the point; the counts must also be consistent.
        assert!(
            eval.findings.len() + eval.not_evaluated.len() + eval.passed
                <= loaded.model.len() * rules.len() * 64,
            "{name}"
        );
    }
    let secret = deadbolt_terraform::load_str(
        "x.tf",
        "locals {\n  a = file(\"/etc/passwd\")\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a\n}\n",
    );
    let bucket: Vec<&deadbolt_model::aws::s3::Bucket> = secret.model.all().collect();
    assert!(
        bucket[0].name.known().is_none(),
        "file() outside the scanned tree is not read"
    );
}

#[test]
fn fifos_devices_and_json_syntax_files_are_reported_not_read() {
    let dir = tree(&[("good.tf", GOOD), ("extra.tf.json", "{\"resource\": {}}")]);
    for name in ["pipe.tf", "pipe.auto.tfvars"] {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join(name))
            .status()
            .unwrap();
        assert!(status.success());
    }
    let options = deadbolt_terraform::Options {
        var_files: vec!["/dev/zero".into()],
        ..Default::default()
    };
    let (eval, loaded) = crate::scan_with(dir.path(), &options);
    assert_good_still_scanned(&eval);
    for name in ["pipe.tf", "pipe.auto.tfvars", "/dev/zero", "extra.tf.json"] {
        assert!(
            loaded.diagnostics.iter().any(|d| d.file.ends_with(name)),
            "no diagnostic for {name}: {:?}",
            loaded.diagnostics
        );
    }
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let dir = tree(&[("bom.tf", &format!("\u{feff}{GOOD}"))]);
    let (eval, loaded) = scan_dir(dir.path());
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    assert_good_still_scanned(&eval);
}

#[test]
fn a_missing_var_file_makes_the_scan_incomplete_not_empty() {
    let dir = tree(&[("good.tf", GOOD)]);
    let out = deadbolt(&[
        "scan",
        dir.path().to_str().unwrap(),
        "--var-file",
        "/definitely/missing.tfvars",
        "-q",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("incomplete") && !stderr.contains("nothing could be scanned"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("missing.tfvars"),
        "quiet output still lists input problems: {stdout}"
    );

    let not_tf = tree(&[("notes.json", "{\"a\": 1}")]);
    let out = deadbolt(&["scan", not_tf.path().join("notes.json").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("not a Terraform file"));
}

/// A 562-byte input found by the fuzzer on which hcl-edit's parser backtracks for about 18 s
/// (release build) before failing. The scan must not stall on it: the file is reported and the
/// rest of the scan goes on.
#[test]
fn an_input_that_stalls_the_parser_is_cut_off() {
    let data =
        std::fs::read(crate::repo().join("crates/deadbolt/tests/it/data/hcl-parser-stall.bin"))
            .unwrap();
    let dir = tree(&[("good.tf", GOOD)]);
    std::fs::write(
        dir.path().join("stall.tf"),
        String::from_utf8_lossy(&data).replace('\0', " "),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (eval, loaded) = scan_dir(dir.path());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "took {:?}",
        started.elapsed()
    );
    assert_good_still_scanned(&eval);
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| d.file.ends_with("stall.tf"))
        .expect("reported");
    assert!(
        d.message.contains("did not finish") || d.message.contains("parse error"),
        "{d}"
    );
}

#[test]
fn nested_loops_stop_at_the_iteration_budget() {
    let nested = "locals {\n  x = length(flatten([for i in range(1000) : [for j in range(1000) : [for k in range(100) : k]]]))\n}\nresource \"aws_s3_bucket\" \"n\" {\n  bucket = \"n${local.x}\"\n}\n";
    let dir = tree(&[("good.tf", GOOD), ("nested.tf", nested)]);
    let started = std::time::Instant::now();
    let (eval, loaded) = scan_dir(dir.path());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    assert_good_still_scanned(&eval);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("iterations")),
        "{:?}",
        loaded.diagnostics
    );
}

#[test]
fn a_broken_or_escaping_module_manifest_is_reported() {
    let dir = tree(&[
        ("good.tf", GOOD),
        (
            "main.tf",
            "module \"m\" {\n  source = \"example/m/aws\"\n}\n",
        ),
        (
            ".terraform/modules/modules.json",
            "{\"Modules\": [{\"Key\": \"m\", \"Dir\": \"/etc\"}]}",
        ),
    ]);
    let (eval, loaded) = scan_dir(dir.path());
    assert_good_still_scanned(&eval);
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("outside the root module")),
        "{:?}",
        loaded.diagnostics
    );
    std::fs::write(
        dir.path().join(".terraform/modules/modules.json"),
        "garbage",
    )
    .unwrap();
    let (_, loaded) = scan_dir(dir.path());
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.message.contains("unreadable module manifest"))
    );
}
