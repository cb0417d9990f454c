//! SARIF output validates against the OASIS SARIF 2.1.0 schema and carries what GitHub code
//! scanning needs.

use crate::{deadbolt, repo};

#[test]
fn sarif_for_the_agency_example_validates_against_the_2_1_0_schema() {
    let schema_path = repo().join("../shared/schemas/sarif-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).expect("schema in ../shared"))
            .expect("schema JSON");
    let out = tempfile::tempdir().unwrap();
    let sarif_path = out.path().join("deadbolt.sarif");
    let agency = repo().join("examples/agency");
    let run = deadbolt(&[
        "scan",
        agency.to_str().unwrap(),
        "--format",
        "sarif",
        "-o",
        sarif_path.to_str().unwrap(),
    ]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "findings expected: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();

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
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], r["ruleId"],
            "ruleIndex points at the rule"
        );
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    for rule in rules {
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Fix")
        );
        assert!(rule["properties"]["security-severity"].as_str().is_some());
    }
}

#[test]
fn a_broken_sarif_would_be_caught_by_the_validator() {
    // Guards the test above against a validator that accepts anything.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("../shared/schemas/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let bad = serde_json::json!({"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "loud"}]}]});
    assert!(!validator.is_valid(&bad));
}

#[test]
fn sarif_fingerprints_are_unique_and_uris_relative_to_the_working_directory() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_deadbolt"))
        .current_dir(repo())
        .args([
            "scan",
            repo().join("examples/agency").to_str().unwrap(),
            "--format",
            "sarif",
        ])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut prints = std::collections::HashSet::new();
    for r in results {
        assert!(
            prints.insert(
                r["partialFingerprints"]["deadbolt/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            ),
            "duplicate fingerprint {r}"
        );
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            [
                "examples/agency/main.tf",
                "examples/agency/intake/template.yaml",
                "examples/agency/k8s/portal.yaml"
            ]
            .contains(&uri),
            "{uri}"
        );
    }
}
