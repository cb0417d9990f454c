#!/usr/bin/env python3
"""Precision and recall per entity type on presidio-research's synthetic dataset
(`../shared/data/pii-presidio-research/synth_dataset_v2.json`: 1,500 sentences with labelled spans),
deadbolt classify side by side with presidio-analyzer's pattern recognizers.

- deadbolt: each sentence is written to its own file (so context windows never cross sentences) and
  the release `deadbolt classify DIR --format json` is run once; a finding's byte offset is turned
  into a character offset in its sentence.
- presidio: the predefined pattern recognizers for the same entity types are called directly
  (`recognizer.analyze(text, entities, None)`): no NLP engine, because spaCy models cannot be
  downloaded here, hence no context enhancement either. Every result counts (score > 0), as with
  AnalyzerEngine's default threshold of 0.

Scoring per entity type T: a prediction of T is a true positive when it overlaps a gold span of T
(deadbolt reports a start offset only: the start must fall inside the gold span), else a false
positive; a gold span of T no prediction of T overlaps is a false negative.

usage (with presidio-analyzer installed, e.g. in .venv-peers):
  .venv-peers/bin/python scripts/compare-presidio.py [--dataset PATH] [--deadbolt BIN]
"""
import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATASET = os.path.join(ROOT, "..", "shared", "data", "pii-presidio-research", "synth_dataset_v2.json")
DEFAULT_BIN = os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.expanduser("~"), ".cache", "deadbolt", "target")),
    "release", "deadbolt")

# deadbolt detector id -> presidio entity type
DEADBOLT_TO_PRESIDIO = {
    "email-address": "EMAIL_ADDRESS",
    "phone-number": "PHONE_NUMBER",
    "phone-number-national": "PHONE_NUMBER",
    "credit-card-number": "CREDIT_CARD",
    "iban": "IBAN_CODE",
    "us-ssn": "US_SSN",
    "ipv4-address": "IP_ADDRESS",
    "ipv6-address": "IP_ADDRESS",
    # A date of birth is one kind of DATE_TIME: deadbolt reports dates only next to a birth keyword,
    # so its recall here counts only those.
    "date-of-birth": "DATE_TIME",
}
TYPES = ["EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN", "IP_ADDRESS", "DATE_TIME"]


def deadbolt_predictions(binary, sentences):
    """[(sentence index, start char, end char or None, type)]"""
    preds = []
    with tempfile.TemporaryDirectory() as d:
        for i, s in enumerate(sentences):
            with open(os.path.join(d, f"s{i:05d}.txt"), "w", encoding="utf-8", newline="") as f:
                f.write(s)
        out = subprocess.run([binary, "classify", d, "--format", "json"], capture_output=True)
        if out.returncode not in (0, 1):
            sys.exit(f"deadbolt classify failed ({out.returncode}): {out.stderr.decode()[-2000:]}")
        report = json.loads(out.stdout)
    for f in report["files"]:
        i = int(os.path.basename(f["file"])[1:6])
        raw = sentences[i].encode("utf-8")
        for t in f["types"]:
            kind = DEADBOLT_TO_PRESIDIO.get(t["detector"])
            if kind is None:
                continue
            if t["count"] > len(t["samples"]):
                sys.exit(f"{f['file']}: more {t['detector']} findings than samples; raise the sample cap")
            for s in t["samples"]:
                start = len(raw[: s["offset"]].decode("utf-8", errors="ignore"))
                preds.append((i, start, None, kind))
    return preds


def presidio_predictions(sentences):
    try:
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer, DateRecognizer, EmailRecognizer, IbanRecognizer, IpRecognizer,
            PhoneRecognizer, UsSsnRecognizer)
    except ImportError as e:
        sys.exit(f"presidio-analyzer is not importable ({e}); run with .venv-peers/bin/python "
                 "after .venv-peers/bin/pip install presidio-analyzer")
    # The e-mail recognizer's tldextract tries to fetch the public suffix list (no network here) and
    # logs a traceback before falling back to its bundled snapshot.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)
    recognizers = [CreditCardRecognizer(), DateRecognizer(), EmailRecognizer(), IbanRecognizer(),
                   IpRecognizer(), PhoneRecognizer(), UsSsnRecognizer()]
    preds = []
    for i, s in enumerate(sentences):
        for rec in recognizers:
            for r in rec.analyze(s, rec.supported_entities, None) or []:
                if r.entity_type in TYPES and r.score > 0:
                    preds.append((i, r.start, r.end, r.entity_type))
    return preds


def score(gold, preds, kind):
    spans = [(i, a, b) for (i, a, b, k) in gold if k == kind]
    matched = set()
    tp = fp = 0
    for (i, a, b, k) in preds:
        if k != kind:
            continue
        hit = None
        for j, (gi, ga, gb) in enumerate(spans):
            if gi != i:
                continue
            overlap = (ga <= a < gb) if b is None else (a < gb and ga < b)
            if overlap:
                hit = j
                break
        if hit is None:
            fp += 1
        else:
            tp += 1
            matched.add(hit)
    n = len(spans)
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = len(matched) / n if n else float("nan")
    return n, tp, fp, n - len(matched), p, r


def table(title, gold, preds, supported):
    print(f"\n{title}")
    print(f"{'entity':<15}{'gold':>6}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}")
    for kind in TYPES:
        if kind not in supported:
            n = sum(1 for g in gold if g[3] == kind)
            print(f"{kind:<15}{n:>6}  (no detector)")
            continue
        n, tp, fp, fn, p, r = score(gold, preds, kind)
        print(f"{kind:<15}{n:>6}{tp:>6}{fp:>6}{fn:>6}{p:>11.3f}{r:>8.3f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", default=DEFAULT_DATASET)
    ap.add_argument("--deadbolt", default=DEFAULT_BIN)
    a = ap.parse_args()
    if not os.path.exists(a.deadbolt):
        sys.exit(f"{a.deadbolt} missing: cargo build --release -p deadbolt (or pass --deadbolt)")
    data = json.load(open(a.dataset, encoding="utf-8"))
    sentences = [d["full_text"] for d in data]
    gold = [(i, s["start_position"], s["end_position"], s["entity_type"])
            for i, d in enumerate(data) for s in d["spans"]]
    print(f"{len(sentences)} sentences, {len(gold)} gold spans ({a.dataset})")
    db = deadbolt_predictions(a.deadbolt, sentences)
    pr = presidio_predictions(sentences)
    table("deadbolt classify (all detectors, min confidence low)", gold, db,
          set(DEADBOLT_TO_PRESIDIO.values()))
    table("presidio-analyzer pattern recognizers (no NLP model, no context enhancement)", gold, pr, set(TYPES))


if __name__ == "__main__":
    main()
