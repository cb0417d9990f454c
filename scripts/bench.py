#!/usr/bin/env python3
"""deadbolt's benchmark: wall time, CPU, files/s, MB/s and peak RSS on terragoat/aws and on generated
corpora, and Checkov on the same terragoat folder in the same run, with the ratios.

The machine is shared and noisy: every figure is the median of several runs, and the peer ratio is
measured in the same run. Nothing here is asserted; it prints.

It also measures CloudFormation and Kubernetes: kubernetes-goat, and a generated corpus of N
templates and N manifests (scripts/gen-manifests.py), each against Checkov's matching framework.

usage: python3 scripts/bench.py [--runs N] [--no-checkov] [--sizes 2500,5000,10000,20000]
                                [--manifests 5000] [--only terraform|manifests]
Checkov is installed into .venv-peers (PyPI) on first use.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TERRAGOAT = os.path.join(ROOT, "..", "shared", "corpus", "terragoat", "terraform", "aws")
OUT = os.path.join(ROOT, "bench-out")
VENV = os.path.join(ROOT, ".venv-peers")


def run(cmd):
    """Runs cmd; returns (wall s, user+sys CPU s, peak RSS MiB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def measure(cmd, runs):
    samples = [run(cmd) for _ in range(runs)]
    return {
        "wall": statistics.median(s[0] for s in samples),
        "cpu": statistics.median(s[1] for s in samples),
        "rss": max(s[2] for s in samples),
        "exit": samples[-1][3],
        "runs": runs,
    }


def tree_size(path, suffixes=(".tf",)):
    files = total = 0
    for dirpath, _, names in os.walk(path):
        for n in names:
            if n.endswith(suffixes):
                files += 1
                total += os.path.getsize(os.path.join(dirpath, n))
    return files, total


def ensure_checkov():
    exe = os.path.join(VENV, "bin", "checkov")
    if not os.path.exists(exe):
        print("installing Checkov into .venv-peers ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "checkov"], check=True)
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    return exe, version


def report(name, m, files, size):
    print(f"{name:<28} wall {m['wall']*1000:9.1f} ms   cpu {m['cpu']*1000:9.1f} ms   "
          f"{files / m['wall']:10.0f} files/s   {size / m['wall'] / 1e6:7.2f} MB/s   peak RSS {m['rss']:7.1f} MiB"
          f"   (median of {m['runs']})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--no-checkov", action="store_true")
    ap.add_argument("--sizes", default="2500,5000,10000,20000")
    ap.add_argument("--manifests", type=int, default=5000)
    ap.add_argument("--only", choices=["terraform", "manifests"])
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "deadbolt"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe = os.path.join(target, "release", "deadbolt")

    checkov = version = None
    if not args.no_checkov:
        checkov, version = ensure_checkov()
    if args.only != "terraform":
        manifests(exe, checkov, version, args)
    if args.only == "manifests":
        return

    files, size = tree_size(TERRAGOAT)
    print(f"terragoat/aws: {files} files, {size / 1024:.1f} KiB")
    ours = measure([exe, "scan", TERRAGOAT, "--format", "json", "-o", os.devnull], args.runs)
    report("deadbolt terragoat/aws", ours, files, size)
    if checkov:
        theirs = measure([checkov, "-d", TERRAGOAT, "--framework", "terraform", "-o", "json", "--quiet",
                          "--download-external-modules", "false", "--skip-download"], max(3, args.runs // 3))
        report(f"checkov {version} terragoat/aws", theirs, files, size)
        print(f"ratio checkov/deadbolt: wall {theirs['wall'] / ours['wall']:.1f}x, cpu {theirs['cpu'] / ours['cpu']:.1f}x, "
              f"peak RSS {theirs['rss'] / ours['rss']:.1f}x")

    print()
    for n in [int(s) for s in args.sizes.split(",") if s]:
        corpus = os.path.join(OUT, f"corpus{n}")
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen-corpus.py"), corpus, str(n)], check=True,
                           stdout=subprocess.DEVNULL)
        files, size = tree_size(corpus)
        m = measure([exe, "scan", corpus, "--format", "json", "-o", os.devnull], max(3, args.runs // 2))
        report(f"deadbolt generated {n}", m, files, size)
        print(f"{'':<28} per file: {m['rss'] * 1024 / files:6.1f} KiB RSS, {m['wall'] * 1e6 / files:7.1f} us wall")


def side_by_side(name, exe, checkov, version, path, framework, suffixes, runs, checkov_runs=3):
    files, size = tree_size(path, suffixes)
    print(f"{name}: {files} files, {size / 1024:.1f} KiB")
    ours = measure([exe, "scan", path, "--format", "json", "-o", os.devnull], runs)
    report(f"deadbolt {name}", ours, files, size)
    if checkov:
        theirs = measure([checkov, "-d", path, "--framework", framework, "-o", "json", "--quiet"],
                         max(1, min(checkov_runs, runs)))
        report(f"checkov {version} {name}", theirs, files, size)
        print(f"ratio checkov/deadbolt: wall {theirs['wall'] / ours['wall']:.1f}x, cpu {theirs['cpu'] / ours['cpu']:.1f}x, "
              f"peak RSS {theirs['rss'] / ours['rss']:.1f}x")
    print()


def manifests(exe, checkov, version, args):
    yaml = (".yaml", ".yml", ".json")
    goat = os.path.join(ROOT, "..", "shared", "corpus", "kubernetes-goat")
    side_by_side("kubernetes-goat", exe, checkov, version, goat, "kubernetes", yaml, args.runs)
    corpus = os.path.join(OUT, f"manifests{args.manifests}")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen-manifests.py"), corpus, str(args.manifests)],
                       check=True, stdout=subprocess.DEVNULL)
    runs = max(3, args.runs // 2)
    # Checkov takes minutes on these: one run of it, several of deadbolt.
    side_by_side(f"cloudformation{args.manifests}", exe, checkov, version, os.path.join(corpus, "cloudformation"),
                 "cloudformation", yaml, runs, checkov_runs=1)
    side_by_side(f"kubernetes{args.manifests}", exe, checkov, version, os.path.join(corpus, "kubernetes"),
                 "kubernetes", yaml, runs, checkov_runs=1)


if __name__ == "__main__":
    main()
