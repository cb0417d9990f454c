//! Precision and recall per detector on a generated, labelled corpus (`scripts/gen-pii.py`):
//! text, logs, CSV with and without meaningful headers, and JSON, with true instances (must be
//! reported) and decoys (wrong check digits, sample numbers, documentation values: must not be).
//!
//! A finding is matched to a label of the same file by byte offset: inside the label's range. A
//! finding of detector D on a true label of type D is a true positive; on a decoy, on a label of
//! another type or on no label, a false positive of D. A true label no finding of its type
//! matched is a false negative.
//! Detectors the corpus plants nothing for are listed too: all their findings are false positives.
//!
//! Thresholds (issue 6): ≥ 0.98 precision and recall for detectors with a validator (check digits,
//! issuer ranges, number rules), ≥ 0.90 for the others (pattern and context only). Every detector
//! must be planted.
//!
//! The generator and the detectors come from the same hands, so a perfect score here says the
//! detectors do what their specs say on values written the way the generator writes them; the
//! presidio-research comparison (`scripts/compare-presidio.py`) is the outside measure.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use deadbolt_classify::{Engine, Options, scan_file};
use serde_json::Value;

struct Label {
    start: u64,
    end: u64,
    kind: String,
    truth: bool,
}

fn generate(out: &Path, labels: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/gen-pii.py");
    let status = Command::new("python3")
        .arg(&script)
        .arg(out)
        .arg("--labels")
        .arg(labels)
        .args(["--seed", "6", "--files", "4"])
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "the accuracy test runs {} with python3, which could not be started ({e}): \
                 install Python 3 (apt-get install python3)",
                script.display()
            )
        });
    assert!(status.success(), "{} failed: {status}", script.display());
}

fn read_labels(path: &Path) -> BTreeMap<String, Vec<Label>> {
    let text = std::fs::read_to_string(path).expect("label file");
    let mut by_file: BTreeMap<String, Vec<Label>> = BTreeMap::new();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("label line is JSON");
        let num = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("label {k}: {line}"));
        by_file
            .entry(v["file"].as_str().expect("file").to_string())
            .or_default()
            .push(Label {
                start: num("start"),
                end: num("end"),
                kind: v["type"].as_str().expect("type").to_string(),
                truth: v["truth"].as_bool().expect("truth"),
            });
    }
    by_file
}

#[derive(Default, Clone)]
struct Count {
    tp: u64,
    fp: u64,
    fn_: u64,
    decoys_reported: u64,
    /// A few false positives and negatives, described.
    examples: Vec<String>,
}

/// The corpus text around an offset (fake data), for the examples of errors the test prints.
fn excerpt(path: &Path, start: u64, end: u64) -> String {
    let bytes = std::fs::read(path).expect("corpus file");
    let (a, b) = (start as usize, (end as usize).min(bytes.len()));
    let line_start = bytes[..a]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[b..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(bytes.len(), |i| b + i);
    let line = String::from_utf8_lossy(&bytes[line_start..line_end]);
    let value = String::from_utf8_lossy(&bytes[a..b]);
    format!(
        "{value:?} in {:?}",
        line.chars().take(160).collect::<String>()
    )
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn precision_and_recall_per_detector_on_a_generated_corpus() {
    let dir = tempfile::tempdir().expect("tmp");
    let corpus = dir.path().join("corpus");
    let label_path = dir.path().join("labels.jsonl");
    generate(&corpus, &label_path);
    let labels = read_labels(&label_path);
    assert!(
        labels.values().map(Vec::len).sum::<usize>() > 5000,
        "a corpus too small to measure"
    );

    let engine = Engine::builtin().expect("built-in detectors");
    let options = Options {
        samples: usize::MAX,
        ..Options::default()
    };
    let mut counts: BTreeMap<String, Count> = BTreeMap::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        let report = scan_file(&engine, path, name, &options).expect("readable");
        let file_labels = labels.get(name).map(Vec::as_slice).unwrap_or(&[]);
        let mut used = vec![false; file_labels.len()];
        for t in &report.types {
            assert_eq!(t.count as usize, t.samples.len(), "every finding kept");
            for s in &t.samples {
                let hit = |l: &Label| l.start <= s.offset && s.offset < l.end;
                // Prefer an unmatched label of this detector's type, then any label there.
                let found = (0..file_labels.len())
                    .find(|&i| {
                        !used[i] && file_labels[i].kind == t.detector && hit(&file_labels[i])
                    })
                    .or_else(|| (0..file_labels.len()).find(|&i| !used[i] && hit(&file_labels[i])));
                let c = counts.entry(t.detector.clone()).or_default();
                match found {
                    Some(i) if file_labels[i].kind == t.detector && file_labels[i].truth => {
                        used[i] = true;
                        c.tp += 1;
                    }
                    Some(i) if file_labels[i].kind == t.detector => {
                        used[i] = true;
                        c.fp += 1;
                        c.decoys_reported += 1;
                        let l = &file_labels[i];
                        c.examples.push(format!(
                            "FP (decoy) {name}:{}: {}",
                            s.offset,
                            excerpt(path, l.start, l.end)
                        ));
                    }
                    other => {
                        c.fp += 1;
                        let what = other.map_or("no label".to_string(), |i| {
                            let l = &file_labels[i];
                            format!(
                                "on a {} {} label",
                                if l.truth { "true" } else { "decoy" },
                                l.kind
                            )
                        });
                        c.examples.push(format!(
                            "FP ({what}) {name}:{}: {} [{}]",
                            s.offset,
                            excerpt(path, s.offset, s.offset),
                            s.masked
                        ));
                    }
                }
            }
        }
        for (i, l) in file_labels.iter().enumerate() {
            if l.truth && !(used[i]) {
                let c = counts.entry(l.kind.clone()).or_default();
                c.fn_ += 1;
                c.examples.push(format!(
                    "FN {name}:{}: {}",
                    l.start,
                    excerpt(path, l.start, l.end)
                ));
            }
        }
    }
    // Labels never matched in files with no report at all are counted above file by file; a file
    // the corpus labels but the directory lacks would be a generator bug.
    for f in labels.keys() {
        assert!(corpus.join(f).is_file(), "labelled file missing: {f}");
    }

    let planted: Vec<String> = {
        let mut k: Vec<String> = labels.values().flatten().map(|l| l.kind.clone()).collect();
        k.sort();
        k.dedup();
        k
    };
    let mut table = String::from(
        "detector                 validator   TP     FP  (decoys)  FN   precision  recall  needed\n",
    );
    let mut failures = Vec::new();
    for (id, c) in &counts {
        let d = engine
            .detectors()
            .iter()
            .find(|d| &d.id == id)
            .expect("a detector");
        let p = ratio(c.tp, c.tp + c.fp);
        let r = ratio(c.tp, c.tp + c.fn_);
        let is_planted = planted.contains(id);
        let need = if d.validator_name.is_some() {
            0.98
        } else {
            0.90
        };
        table.push_str(&format!(
            "{id:<24} {:<10} {:>5} {:>5} {:>6} {:>6}   {p:>8.4}  {r:>6.4}  {}\n",
            d.validator_name.as_deref().unwrap_or("-"),
            c.tp,
            c.fp,
            c.decoys_reported,
            c.fn_,
            if is_planted {
                format!("{need:.2}")
            } else {
                "(not planted: every finding is a false positive)".to_string()
            }
        ));
        for e in c.examples.iter().take(6) {
            table.push_str(&format!("    {e}\n"));
        }
        if is_planted && (p < need || r < need) {
            failures.push(format!(
                "{id}: precision {p:.4}, recall {r:.4}, needed {need:.2}"
            ));
        }
    }
    for id in &planted {
        assert!(counts.contains_key(id), "{id} planted but never counted");
    }
    // Every detector is measured: one added without a generator fails here.
    let unmeasured: Vec<&str> = engine
        .detectors()
        .iter()
        .map(|d| d.id.as_str())
        .filter(|id| !planted.iter().any(|p| p == id))
        .collect();
    assert!(
        unmeasured.is_empty(),
        "detectors the corpus plants nothing for: {unmeasured:?}"
    );
    println!("{table}");
    assert!(
        failures.is_empty(),
        "below threshold:\n{}\n\n{table}",
        failures.join("\n")
    );
}
