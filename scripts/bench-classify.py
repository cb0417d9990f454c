#!/usr/bin/env python3
"""Benchmarks `deadbolt classify` on generated mixed corpora (scripts/gen-pii.py: text, logs, CSV
with and without meaningful headers, JSON; ~4 MB files), and presidio-analyzer's pattern recognizers
on a 10 MB slice.

- Density: the share of records (lines, rows, JSON objects) holding planted values. The corpus is
  measured at each density of --densities (default 1 and 0.02). At 1 every record holds values (the
  worst case: a customer table; the accuracy corpus); at 0.02 one record in fifty does, the others
  holding order codes, amounts, dates, UUIDs and prose (a file share or a log bucket). What the
  engine costs per byte depends on the density far more than on the format, so both are shown.

- The corpus is generated once into bench-out/ (gitignored) and reused while its size and seed match.
- deadbolt: the release binary, `classify DIR --format json` to /dev/null, RUNS times after one
  warm-up run (page cache); median wall time, user and system CPU (os.wait4 rusage), throughput in
  MB/s of wall time and MB/s per core (bytes / (user + system CPU seconds)), peak RSS (ru_maxrss).
- Detector count: the corpus is classified with all detectors and with ten (`--detectors`, TEN
  below: the common payment, personal, credential and network ones), to show how the cost grows
  with the number of detectors.
- presidio: the same seven pattern recognizers as scripts/compare-presidio.py, over the 10 MB slice in
  64 KB line-aligned blocks, in a child process of .venv-peers/bin/python, measured the same way;
  deadbolt is run on the same slice for the ratio.
- Hyperscan (--hyperscan; PyPI `hyperscan`, 0.9.1 bundles Hyperscan 5.4, in the same venv): the
  detectors' own patterns (`(?P<value>` as a plain group, `(?i)` as the caseless flag), compiled
  into one block-mode database and run over each file of each large corpus, every match counted by
  a Python callback. Pattern matching only (no parsing, validation, context or masking), by the
  multi-pattern engine built for scanning traffic against thousands of regexes at once: what any
  design costs that runs these patterns over every byte. Two lines: the patterns deadbolt runs
  over every byte (detectors that can report without context; the others are found through their
  keywords) and all of them. The callbacks are part of its CPU time; the line under each figure
  says how many there were and what as many plain Python calls cost, a floor under their share.

usage: scripts/bench-classify.py [--size 1GB] [--runs 3] [--densities 1,0.02] [--deadbolt BIN]
                                [--python PY] [--no-presidio] [--hyperscan]
"""
import argparse
import functools
import hashlib
import os
import statistics
import subprocess
import sys
import time

print = functools.partial(print, flush=True)  # progress shows when stdout is a file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "scripts", "gen-pii.py")
DEFAULT_BIN = os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.expanduser("~"), ".cache", "deadbolt", "target")),
    "release", "deadbolt")

PRESIDIO = r'''
import os, sys
from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, DateRecognizer,
    EmailRecognizer, IbanRecognizer, IpRecognizer, PhoneRecognizer, UsSsnRecognizer)
recs = [CreditCardRecognizer(), DateRecognizer(), EmailRecognizer(), IbanRecognizer(), IpRecognizer(),
        PhoneRecognizer(), UsSsnRecognizer()]
n = 0
for root, _, files in os.walk(sys.argv[1]):
    for name in sorted(files):
        with open(os.path.join(root, name), encoding="utf-8") as f:
            block = []
            size = 0
            for line in f:
                block.append(line)
                size += len(line)
                if size >= 65536:
                    text = "".join(block)
                    for r in recs:
                        n += len(r.analyze(text, r.supported_entities, None) or [])
                    block, size = [], 0
            if block:
                text = "".join(block)
                for r in recs:
                    n += len(r.analyze(text, r.supported_entities, None) or [])
print(n)
'''

HYPERSCAN = r'''
import glob, os, sys, time, tomllib
import hyperscan
detectors_dir, corpus, which = sys.argv[1:4]
exprs, flags = [], []
for path in sorted(glob.glob(os.path.join(detectors_dir, "*.toml"))):
    with open(path, "rb") as f:
        for d in tomllib.load(f)["detector"]:
            if which == "gate" and d.get("context_required", "never") == "always":
                continue
            p = d["pattern"].replace("(?P<value>", "(")
            fl = 0
            if p.startswith("(?i)"):
                p, fl = p[4:], hyperscan.HS_FLAG_CASELESS
            exprs.append(p.encode())
            flags.append(fl)
db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
db.compile(expressions=exprs, ids=list(range(len(exprs))), flags=flags)
n = 0
def count(*_):
    global n
    n += 1
for name in sorted(os.listdir(corpus)):
    with open(os.path.join(corpus, name), "rb") as f:
        db.scan(f.read(), match_event_handler=count)
# Part of the CPU time above is Python calling back once per match: what that many plain calls
# cost is a floor under it.
matches = n
t = time.process_time()
for _ in range(matches):
    count()
print(f"{len(exprs)} patterns, {matches} matches, {time.process_time() - t:.2f} s CPU in as many plain "
      "Python calls", file=sys.stderr)
'''


# Ten detectors for the "10 detectors" figure: what a narrow scan would pick.
TEN = ["credit-card-number", "iban", "email-address", "phone-number", "us-ssn", "aws-access-key-id",
       "aws-secret-access-key", "password-assignment", "jwt", "ipv4-address"]


def parse_size(s):
    s = s.strip().upper()
    for unit, mult in (("GB", 10 ** 9), ("MB", 10 ** 6), ("KB", 10 ** 3), ("B", 1)):
        if s.endswith(unit):
            return int(float(s[: -len(unit)]) * mult)
    return int(s)


def generate(out, size, seed, file_size, density=1.0):
    stamp = os.path.join(out, ".generated")
    # The generator's own text is part of the stamp: a corpus made by an older generator is stale.
    digest = hashlib.sha256(open(GEN, "rb").read()).hexdigest()[:16]
    want = f"size={size} seed={seed} file_size={file_size} density={density} gen={digest}\n"
    if os.path.exists(stamp) and open(stamp).read() == want:
        return
    corpus = os.path.join(out, "corpus")
    if os.path.isdir(corpus):
        for n in os.listdir(corpus):
            os.remove(os.path.join(corpus, n))
    os.makedirs(out, exist_ok=True)
    t = time.perf_counter()
    subprocess.run([sys.executable, GEN, corpus, "--size", str(size), "--seed", str(seed),
                    "--file-size", str(file_size), "--density", str(density), "--no-labels"], check=True)
    print(f"generated {size / 1e6:.0f} MB in {out} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    with open(stamp, "w") as f:
        f.write(want)


def measure(cmd):
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if p.returncode not in (0, 1):  # classify exits 1 when it finds restricted data
        sys.exit(f"{cmd[0]} failed ({p.returncode}): {err[-2000:]}")
    return wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024, err  # maxrss: KiB on Linux


def run(label, cmd, nbytes, runs, show_stderr=False):
    measure(cmd)  # warm-up
    res = [measure(cmd) for _ in range(runs)]
    wall = statistics.median(r[0] for r in res)
    user = statistics.median(r[1] for r in res)
    sys_ = statistics.median(r[2] for r in res)
    rss = max(r[3] for r in res)
    if show_stderr:
        print(f"  ({res[-1][4].strip().splitlines()[-1]})")
    mb = nbytes / 1e6
    cpu = user + sys_
    print(f"{label:<34} {mb:>8.0f} MB  wall {wall:>7.2f} s  user {user:>7.2f} s  sys {sys_:>5.2f} s  "
          f"{mb / wall:>7.1f} MB/s  {mb / cpu:>7.1f} MB/s per core  peak RSS {rss:>6.1f} MiB")
    return wall, cpu, rss


def dir_bytes(d):
    return sum(os.path.getsize(os.path.join(d, n)) for n in os.listdir(d))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, default=10 ** 9)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--deadbolt", default=DEFAULT_BIN)
    ap.add_argument("--python", default=os.path.join(ROOT, ".venv-peers", "bin", "python"),
                    help="a Python with presidio-analyzer installed")
    ap.add_argument("--slice", type=parse_size, default=10 ** 7, help="presidio slice (default 10MB)")
    ap.add_argument("--no-presidio", action="store_true", help="leave presidio out")
    ap.add_argument("--hyperscan", action="store_true",
                    help="also run the detectors' patterns through Hyperscan (PyPI hyperscan in --python)")
    ap.add_argument("--densities", default="1,0.02",
                    help="shares of records holding values, comma-separated (default 1,0.02)")
    a = ap.parse_args()
    if not os.path.exists(a.deadbolt):
        sys.exit(f"{a.deadbolt} missing: cargo build --release -p deadbolt (or pass --deadbolt)")
    out = os.path.join(ROOT, "bench-out")
    densities = [float(d) for d in a.densities.split(",")]
    corpora = []
    for d in densities:
        big = os.path.join(out, f"mixed-{a.size}" + ("" if d == 1 else f"-density-{d}"))
        generate(big, a.size, a.seed, 4 * 10 ** 6, d)
        corpora.append((d, os.path.join(big, "corpus")))
    sl = os.path.join(out, f"slice-{a.slice}")
    generate(sl, a.slice, a.seed + 1, a.slice // 5)  # one file of each kind
    sl_c = os.path.join(sl, "corpus")
    print(f"cores: {os.cpu_count()}; median of {a.runs} runs after a warm-up")
    if a.hyperscan and not os.path.exists(a.python):
        sys.exit(f"{a.python} missing: create the venv and pip install hyperscan")
    for d, big_c in corpora:
        _, db_cpu, _ = run(f"all detectors, density {d:g}",
                           [a.deadbolt, "classify", big_c, "--format", "json"], dir_bytes(big_c), a.runs)
        if a.hyperscan:
            detectors_dir = os.path.join(ROOT, "crates", "deadbolt-classify", "detectors")
            for which in ("gate", "all"):
                _, hs_cpu, _ = run(f"hyperscan {which} patterns, density {d:g}",
                                   [a.python, "-c", HYPERSCAN, detectors_dir, big_c, which],
                                   dir_bytes(big_c), a.runs, show_stderr=True)
                print(f"  ratio (CPU time per byte, hyperscan {which} patterns / deadbolt all detectors): "
                      f"{hs_cpu / db_cpu:.2f}x")
        run(f"10 detectors, density {d:g}", [a.deadbolt, "classify", big_c, "--format", "json",
                                             "--detectors", ",".join(TEN)], dir_bytes(big_c), a.runs)
    if a.no_presidio:
        return
    _, db_cpu, _ = run("deadbolt, 10 MB slice", [a.deadbolt, "classify", sl_c, "--format", "json"],
                       dir_bytes(sl_c), a.runs)
    if not os.path.exists(a.python):
        sys.exit(f"{a.python} missing: create the venv and pip install presidio-analyzer")
    # presidio is slow: one measured run, no warm-up.
    res = measure([a.python, "-c", PRESIDIO, sl_c])
    mb = dir_bytes(sl_c) / 1e6
    cpu = res[1] + res[2]
    print(f"{'presidio pattern recognizers, slice':<34} {mb:>8.0f} MB  wall {res[0]:>7.2f} s  user "
          f"{res[1]:>7.2f} s  sys {res[2]:>5.2f} s  {mb / res[0]:>7.1f} MB/s  {mb / cpu:>7.1f} MB/s per core  "
          f"peak RSS {res[3]:>6.1f} MiB")
    print(f"ratio (CPU time per byte, presidio / deadbolt, same slice): {cpu / db_cpu:.0f}x")


if __name__ == "__main__":
    main()
