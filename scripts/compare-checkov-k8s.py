#!/usr/bin/env python3
"""Compares deadbolt's Kubernetes rules with Checkov's kubernetes framework on the same folder
(default: kubernetes-goat).

For each deadbolt rule and each Checkov check it claims as equivalent, it compares the sets of
(file, object name) each tool fails, and prints how many only deadbolt, only Checkov, and both
report, with examples; then the Checkov checks that failed and that no deadbolt rule claims.
It reports; it does not judge (the differences are explained in the closing notes).

usage: python3 scripts/compare-checkov-k8s.py [DIR]
Checkov is installed into .venv-peers (PyPI) on first use.
"""
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = os.path.join(ROOT, "..", "shared", "corpus", "kubernetes-goat")
VENV = os.path.join(ROOT, ".venv-peers")


def main():
    folder = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else DEFAULT)
    exe = os.path.join(VENV, "bin", "checkov")
    if not os.path.exists(exe):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "checkov"], check=True)
    checkov = json.loads(subprocess.run([exe, "-d", folder, "--framework", "kubernetes", "-o", "json", "--quiet"],
                                        capture_output=True, text=True).stdout)
    if isinstance(checkov, list):
        checkov = next(d for d in checkov if d.get("check_type") == "kubernetes")

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "deadbolt"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    binary = os.path.join(target, "release", "deadbolt")
    ours = json.loads(subprocess.run([binary, "scan", folder, "--format", "json", "--select", "K8S"],
                                     capture_output=True, text=True).stdout)
    rules = json.loads(subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True).stdout)

    theirs = collections.defaultdict(set)
    for c in checkov["results"]["failed_checks"]:
        # Checkov writes paths relative to the scanned folder, with a leading slash.
        path = os.path.normpath(os.path.join(folder, c["file_path"].lstrip("/")))
        theirs[c["check_id"]].add((os.path.relpath(path, folder), c["resource"].split(".")[-1]))
    mine = collections.defaultdict(set)
    for f in ours["findings"]:
        path = os.path.normpath(os.path.join(os.getcwd(), f["location"]["file"]))
        mine[f["rule_id"]].add((os.path.relpath(path, folder), f["resource"]["address"].split("/")[-1]))

    print(f"{'deadbolt':14} {'checkov':14} {'only ours':>9} {'only checkov':>12} {'both':>5}")
    claimed = set()
    for rule in sorted(rules, key=lambda r: r["id"]):
        if not rule["id"].startswith("K8S"):
            continue
        for cid in rule["equivalents"]["checkov"]:
            claimed.add(cid)
            o, c = mine.get(rule["id"], set()), theirs.get(cid, set())
            print(f"{rule['id']:14} {cid:14} {len(o - c):9} {len(c - o):12} {len(o & c):5}"
                  f"   {sorted(o - c)[:2]} {sorted(c - o)[:2]}")
    print("Checkov failures no deadbolt rule claims:",
          {k: len(v) for k, v in sorted(theirs.items()) if k not in claimed})


if __name__ == "__main__":
    main()
