#!/usr/bin/env python3
"""Benchmarks live AWS collection against moto seeded with many resources.

Usage: bench-aws.py [--scale 1000] [--runs 3] [--concurrency 16,4,64] [--peer none|prowler]

Starts moto's standalone server (the venv `scripts/test.sh` installs, ~/.cache/deadbolt/venv-moto)
on a free loopback port, seeds it with `seed-moto.py --scale N` (N buckets, N roles, N/2 security
groups on top of the planted set), then prints, as medians of `--runs` runs:
- `deadbolt collect --aws` per concurrency: wall seconds, calls made, calls/s, peak RSS;
- `deadbolt scan SNAPSHOT`: wall seconds and peak RSS (the issue asks for well under a second);
- with `--peer prowler`: Prowler (PyPI, installed into /work/peers/venv-prowler on first use) run on
  the same moto account for the same services and regions, and the ratio of wall times.

Needs the release binary built with `cargo build --release -p deadbolt --features aws` (looked for in
$CARGO_TARGET_DIR, default ~/.cache/deadbolt/target, as scripts/test.sh builds; or set DEADBOLT_BIN).
"""

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOTO_PY = Path.home() / ".cache/deadbolt/venv-moto/bin/python"
DEADBOLT = Path(
    os.environ.get("DEADBOLT_BIN")
    or Path(os.environ.get("CARGO_TARGET_DIR", Path.home() / ".cache/deadbolt/target")) / "release/deadbolt"
)
REGIONS = "eu-west-1,us-east-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (wall s, peak RSS MB, completed process)."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        proc = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", t.name, *cmd],
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - start
        rss_kb = int(t.read().strip().splitlines()[-1])
    return wall, rss_kb / 1024, proc


def aws_env(endpoint):
    env = dict(os.environ)
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION="eu-west-1",
        AWS_DEFAULT_REGION="eu-west-1",
        AWS_CONFIG_FILE="/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ENDPOINT_URL=endpoint,
    )
    env.pop("AWS_PROFILE", None)
    return env


def start_moto():
    port = free_port()
    env = dict(os.environ, MOTO_EC2_LOAD_DEFAULT_AMIS="false")
    proc = subprocess.Popen(
        [str(MOTO_PY), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.time() > deadline:
                proc.kill()
                sys.exit("moto did not start")
            time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}"


def stop_moto(proc):
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()


def prowler(endpoint, runs):
    venv = Path("/work/peers/venv-prowler")
    exe = venv / "bin/prowler"
    if not exe.exists():
        print("installing prowler (PyPI) into", venv, file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin/pip"), "install", "-q", "prowler"], check=True)
    walls, rss = [], []
    out = tempfile.mkdtemp()
    for _ in range(runs):
        wall, mb, proc = timed(
            [
                str(exe), "aws", "--services", "s3", "iam", "ec2",
                "-f", *REGIONS.split(","), "--output-formats", "json-ocsf",
                "--output-directory", out, "--no-banner", "--ignore-exit-code-3",
            ],
            env=aws_env(endpoint),
        )
        if proc.returncode not in (0, 3):
            print(proc.stderr[-2000:], file=sys.stderr)
        walls.append(wall)
        rss.append(mb)
    return statistics.median(walls), statistics.median(rss)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", default="16")
    parser.add_argument("--peer", choices=["none", "prowler"], default="none")
    args = parser.parse_args()
    if not DEADBOLT.exists():
        sys.exit(f"{DEADBOLT} is missing: build it with cargo build --release -p deadbolt --features aws")

    moto, endpoint = start_moto()
    try:
        t0 = time.perf_counter()
        seeded = subprocess.run(
            [str(MOTO_PY), str(ROOT / "scripts/seed-moto.py"), "--endpoint", endpoint, "--scale", str(args.scale)],
            capture_output=True, text=True, check=True,
        )
        json.loads(seeded.stdout)
        print(f"seeded moto: {args.scale} buckets, {args.scale} roles, {args.scale // 2} security groups (+ the planted set) in {time.perf_counter() - t0:.0f} s")
        snapshot = Path(tempfile.mkdtemp()) / "account.json"
        results = {}
        for concurrency in [int(c) for c in args.concurrency.split(",")]:
            walls, rss, calls = [], [], 0
            for _ in range(args.runs):
                wall, mb, proc = timed(
                    [str(DEADBOLT), "collect", "--aws", "--region", REGIONS,
                     "--concurrency", str(concurrency), "-o", str(snapshot)],
                    env=aws_env(endpoint),
                )
                if proc.returncode not in (0, 1):
                    sys.exit(proc.stderr)
                walls.append(wall)
                rss.append(mb)
                calls = len(json.loads(snapshot.read_text())["calls"])
            wall = statistics.median(walls)
            results[concurrency] = wall
            print(f"collect  concurrency {concurrency:3d}: {wall:6.2f} s wall (median of {args.runs}), {calls} calls, {calls / wall:7.1f} calls/s, peak RSS {statistics.median(rss):6.1f} MB")
        size = snapshot.stat().st_size / 1e6
        walls, rss = [], []
        for _ in range(max(args.runs, 5)):
            wall, mb, proc = timed([str(DEADBOLT), "scan", str(snapshot), "-f", "json", "-o", "/dev/null"])
            if proc.returncode not in (0, 1):
                sys.exit(proc.stderr)
            walls.append(wall)
            rss.append(mb)
        print(f"scan of the snapshot ({size:.1f} MB): {statistics.median(walls):.3f} s wall (median of {len(walls)}), peak RSS {statistics.median(rss):.1f} MB")
        if args.peer == "prowler":
            wall, mb = prowler(endpoint, args.runs)
            best = min(results.values())
            print(f"prowler (s3, iam, ec2 services only): {wall:.2f} s wall, peak RSS {mb:.1f} MB; deadbolt collect+all services is {wall / best:.1f}x faster")
    finally:
        stop_moto(moto)


if __name__ == "__main__":
    main()
