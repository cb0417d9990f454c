//! Real input: bridgecrewio/terragoat (../shared/corpus/terragoat) scans with no parse error in
//! every provider folder, and the AWS findings match a reviewed snapshot.

use std::path::Path;

use crate::{repo, scan_dir};

fn terragoat(provider: &str) -> std::path::PathBuf {
    repo()
        .join("../shared/corpus/terragoat/terraform")
        .join(provider)
}

#[test]
fn every_terragoat_folder_scans_without_diagnostics() {
    // Resource counts as Checkov 3.3.30 reports them for the same folders (AWS: 64).
    for (provider, min_resources) in [
        ("aws", 64),
        ("azure", 40),
        ("gcp", 10),
        ("alicloud", 3),
        ("oracle", 1),
    ] {
        let (_, loaded) = scan_dir(&terragoat(provider));
        assert!(
            loaded.diagnostics.is_empty(),
            "{provider}: {:?}",
            loaded.diagnostics
        );
        assert!(loaded.files > 0, "{provider}: no files");
        assert!(
            loaded.model.len() >= min_resources,
            "{provider}: only {} resources",
            loaded.model.len()
        );
    }
}

#[test]
fn terragoat_aws_findings_match_the_reviewed_snapshot() {
    let dir = terragoat("aws");
    let (eval, _) = scan_dir(&dir);
    let text: String = eval
        .findings
        .iter()
        .map(|f| {
            let file = Path::new(&*f.span.file);
            let rel = file
                .strip_prefix(&dir)
                .unwrap_or(file)
                .display()
                .to_string();
            format!(
                "{} {} {}:{} {}\n",
                f.rule.id, f.address, rel, f.span.start.line, f.message
            )
        })
        .collect();
    insta::assert_snapshot!("terragoat-aws-findings", text);
}
