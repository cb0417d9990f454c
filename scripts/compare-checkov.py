#!/usr/bin/env python3
"""Compares deadbolt with Checkov on the same folder (default: terragoat/aws).

For every Checkov failure whose check ID a deadbolt rule claims as equivalent, it looks for a
deadbolt finding of that rule on the same resource address. Prints matches, misses and the findings
only deadbolt has; exits 0 (it reports, it does not judge: misses are explained in the notes).

usage: python3 scripts/compare-checkov.py [DIR] [--json OUT]
Checkov is installed into .venv-peers (PyPI) on first use.
"""
import argparse
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = os.path.join(ROOT, "..", "shared", "corpus", "terragoat", "terraform", "aws")
VENV = os.path.join(ROOT, ".venv-peers")


def checkov_failures(folder):
    exe = os.path.join(VENV, "bin", "checkov")
    if not os.path.exists(exe):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "checkov"], check=True)
    out = subprocess.run([exe, "-d", folder, "--framework", "terraform", "-o", "json", "--quiet",
                          "--download-external-modules", "false", "--skip-download"],
                         capture_output=True, text=True).stdout
    data = json.loads(out)
    if isinstance(data, list):
        data = next(d for d in data if d.get("check_type") == "terraform")
    return [(c["check_id"], c["resource"], c["file_path"], c["file_line_range"][0])
            for c in data["results"]["failed_checks"]]


def deadbolt(folder):
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "deadbolt"], cwd=ROOT, check=True)
    out = subprocess.run([os.path.join(target, "release", "deadbolt"), "scan", folder, "--format", "json"],
                         capture_output=True, text=True).stdout
    report = json.loads(out)
    rules = json.loads(subprocess.run([os.path.join(target, "release", "deadbolt"), "rules", "--format", "json"],
                                      capture_output=True, text=True).stdout)
    return report, rules


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=DEFAULT)
    ap.add_argument("--json", help="also write the comparison as JSON to this file")
    args = ap.parse_args()
    folder = args.folder
    ck = checkov_failures(folder)
    report, rules = deadbolt(folder)
    claims = collections.defaultdict(list)
    for r in rules:
        for cid in r["equivalents"]["checkov"]:
            claims[cid].append(r["id"])
    flagged = {(f["rule_id"], f["resource"]["address"]) for f in report["findings"] + report["suppressed"]}
    not_eval = {(n["rule_id"], n["address"]) for n in report["not_evaluated"]}

    matched, missed, unclaimed = [], [], collections.Counter()
    for cid, address, path, line in ck:
        if cid not in claims:
            unclaimed[cid] += 1
            continue
        hit = [rid for rid in claims[cid] if (rid, address) in flagged]
        if hit:
            matched.append((cid, address, hit[0]))
        else:
            why = "not evaluated (unknown value)" if any((rid, address) in not_eval for rid in claims[cid]) else "passed in deadbolt"
            missed.append((cid, address, "/".join(claims[cid]), f"{path}:{line}", why))
    ck_pairs = {(cid, a) for cid, a, _, _ in ck}
    only_deadbolt = []
    for f in report["findings"]:
        eq = [c for c in f["equivalents"]["checkov"]]
        if eq and not any((c, f["resource"]["address"]) in ck_pairs for c in eq):
            only_deadbolt.append((f["rule_id"], f["resource"]["address"], ",".join(eq), f["message"]))

    print(f"Checkov failures: {len(ck)}; with a deadbolt equivalent: {len(matched) + len(missed)}; "
          f"matched: {len(matched)}; missed: {len(missed)}")
    print(f"deadbolt findings: {len(report['findings'])}; with a Checkov equivalent that Checkov did not raise: {len(only_deadbolt)}")
    print("\nMissed (Checkov failed, deadbolt did not flag the resource with the equivalent rule):")
    for m in sorted(missed):
        print("  " + "  ".join(m))
    print("\ndeadbolt-only (the equivalent Checkov check did not fail this resource):")
    for o in sorted(only_deadbolt):
        print("  " + "  ".join(o))
    print("\nCheckov checks with no deadbolt equivalent (count of failures):")
    for cid, n in unclaimed.most_common():
        print(f"  {cid} {n}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"matched": matched, "missed": missed, "only_deadbolt": only_deadbolt, "unclaimed": unclaimed}, f, indent=1)


if __name__ == "__main__":
    main()
