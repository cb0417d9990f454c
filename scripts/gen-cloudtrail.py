#!/usr/bin/env python3
"""Generates a deterministic, BENIGN AWS CloudTrail corpus for `deadbolt logs` tests and benchmarks.

usage: scripts/gen-cloudtrail.py [--events 100000] --out DIR [--form delivery|ndjson|array]
                                 [--seed 7] [--start 2026-11-01T00:00:00Z] [--days 30] [--quiet]

Forms (the events are the same in every form for the same --events/--seed/--start/--days):
- delivery (default): the layout CloudTrail writes to S3,
  DIR/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHMMZ_<16 alnum>.json.gz,
  each file one `{"Records":[...]}` object on one line, holding the events of one account and region
  in one 5-minute window (at most 1000 per file), in time order; the file's date and time are the
  end of the window (when CloudTrail would have delivered it).
- ndjson: DIR/events-YYYY-MM-DD.ndjson, one event per line.
- array: DIR/events-week-NN.json, one JSON array per 7 days, one event per line.

What is in it: a stable population of identities over 3 accounts (prod, staging, security) and
3 regions (us-east-1, eu-west-1, us-west-2), spread over --days with daily and weekly rhythms:
(a) read-only Describe*/List*/Get* by application roles (ECS tasks, Lambda functions, EC2 instance
profiles), monitoring integrations, a nightly security scanner and people (~80% of events);
(b) deploy pipelines: GitHub Actions (AssumeRoleWithWebIdentity) running Terraform plans and applies,
CloudFormation change sets (with the calls CloudFormation then makes, invokedBy
cloudformation.amazonaws.com), Lambda code deploys (UpdateFunctionCode20150331v2, PublishVersion,
UpdateAlias) and ECS deploys, and a SMALL number of legitimate changes that CIS section 4 monitors:
IAM policy changes, security group changes, S3 bucket policies;
(c) AWS service activity: AssumeRole by AWSService principals (ecs-tasks, lambda, ec2), AWS Config,
Auto Scaling and ELB service-linked roles (invokedBy), KMS automatic key rotation and Secrets
Manager rotation (eventType AwsServiceEvent);
(d) console sign-ins: IAM users with MFA (MFAUsed "Yes"), SwitchRole, and IAM Identity Center (SSO)
federated sign-ins shaped as real ones are: AssumedRole AWSReservedSSO_* identity,
MFAUsed "No" (MFA happens at the identity provider, AWS does not see it) — this is why CIS 4.2's
filter in v3.0.0 also requires userIdentity.type = "IAMUser"; they are counted apart in the manifest;
(e) applications reading their own one to three secrets and parameters (GetSecretValue with the
KMS Decrypt it causes, SSM GetParameter[s]), evenly over time;
(f) a low rate of routine AccessDenied / UnauthorizedOperation errors (CIS 4.1), and a few other
routine errors (NoSuchBucketPolicy, ParameterNotFound, ThrottlingException).

What is NOT in it (EXCLUDED_EVENT_NAMES below, checked for every event): root usage, failed or
MFA-less IAM-user console sign-ins, CloudTrail/Config/KMS-key/NACL/gateway/route-table/VPC/
Organizations changes, snapshot/AMI sharing, new users, access keys or login profiles, trust-policy
changes, federation tokens, SSM SendCommand/StartSession, serial console and instance connect,
GPU instances, GetPasswordData, Bedrock, flow-log and resolver query-log deletion, Lambda
AddPermission, UpdateFunctionConfiguration (with or without Layers).

DIR/manifest.json: events, files, bytes (serialized JSON, before gzip), seed, form, start, days,
accounts, regions, `contained` (count per "truly contained" category: events that a detection could
look at and that are routine here), `contained_event_names` (the eventNames/errorCodes of each
category), `contained_doc` (what each category is), `event_names` (count per eventName), `read_only_share`,
`excluded_event_names`.
A test can check that only the detections of the categories present fire, and with at most these counts.

DIR/manifest.json sits beside the data and is not CloudTrail: give a reader DIR/AWSLogs (delivery) or
the events-* files.

Determinism: the same arguments give byte-identical output (gzip mtime is 0). Standard library only.
"""
import argparse
import bisect
import calendar
import gzip
import heapq
import json
import math
import os
import random
import sys
import time

GENERATOR_VERSION = 2
FILE_CAP = 1000  # events per delivery file
WINDOW = 300  # seconds per delivery file

# eventNames that never appear (the attack techniques and CIS items that must stay silent).
EXCLUDED_EVENT_NAMES = frozenset("""
StopLogging DeleteTrail UpdateTrail PutEventSelectors PutInsightSelectors CreateTrail StartLogging
DisableKey ScheduleKeyDeletion
StopConfigurationRecorder DeleteDeliveryChannel PutDeliveryChannel PutConfigurationRecorder DeleteConfigurationRecorder
CreateNetworkAcl CreateNetworkAclEntry DeleteNetworkAcl DeleteNetworkAclEntry ReplaceNetworkAclEntry ReplaceNetworkAclAssociation
CreateCustomerGateway DeleteCustomerGateway AttachInternetGateway CreateInternetGateway DeleteInternetGateway DetachInternetGateway
CreateRoute CreateRouteTable ReplaceRoute ReplaceRouteTableAssociation DeleteRouteTable DeleteRoute DisassociateRouteTable
CreateVpc DeleteVpc ModifyVpcAttribute AcceptVpcPeeringConnection CreateVpcPeeringConnection DeleteVpcPeeringConnection
RejectVpcPeeringConnection AttachClassicLinkVpc DetachClassicLinkVpc DisableVpcClassicLink EnableVpcClassicLink
AcceptHandshake AttachPolicy CreateAccount CreateOrganizationalUnit CreatePolicy DeclineHandshake DeleteOrganization
DeleteOrganizationalUnit DeletePolicy DetachPolicy DisablePolicyType EnablePolicyType InviteAccountToOrganization
LeaveOrganization MoveAccount RemoveAccountFromOrganization UpdatePolicy UpdateOrganizationalUnit
ModifySnapshotAttribute ModifyImageAttribute ModifyDBSnapshotAttribute ModifyDBClusterSnapshotAttribute
CreateUser CreateAccessKey CreateLoginProfile UpdateLoginProfile DeleteLoginProfile AttachUserPolicy PutUserPolicy
UpdateAssumeRolePolicy CreateRole GetFederationToken GetSessionToken
SendCommand StartSession ResumeSession TerminateSession
EnableSerialConsoleAccess SendSerialConsoleSSHPublicKey SendSSHPublicKey
GetPasswordData ModifyInstanceAttribute DescribeInstanceAttribute
InvokeModel InvokeModelWithResponseStream Converse ConverseStream PutFoundationModelEntitlement
CreateFoundationModelAgreement PutUseCaseForModelAccess
DeleteFlowLogs DeleteResolverQueryLogConfig DisassociateResolverQueryLogConfig
AddPermission20150331v2 AddPermission20150331 UpdateFunctionConfiguration20150331v2 PublishLayerVersion20181031
CreateTrustAnchor CreateProfile BatchGetSecretValue ListSecrets
""".split())

# CIS AWS Foundations Benchmark v3.0.0 section 4 eventName sets for the categories that occur here.
CIS_IAM_POLICY = frozenset("""DeleteGroupPolicy DeleteRolePolicy DeleteUserPolicy PutGroupPolicy PutRolePolicy PutUserPolicy
CreatePolicy DeletePolicy CreatePolicyVersion DeletePolicyVersion AttachRolePolicy DetachRolePolicy AttachUserPolicy
DetachUserPolicy AttachGroupPolicy DetachGroupPolicy""".split())
CIS_SECURITY_GROUP = frozenset("""AuthorizeSecurityGroupIngress AuthorizeSecurityGroupEgress RevokeSecurityGroupIngress
RevokeSecurityGroupEgress CreateSecurityGroup DeleteSecurityGroup""".split())
CIS_S3_BUCKET_POLICY = frozenset("""PutBucketAcl PutBucketPolicy PutBucketCors PutBucketLifecycle PutBucketReplication
DeleteBucketPolicy DeleteBucketCors DeleteBucketLifecycle DeleteBucketReplication""".split())

CATEGORY_DOC = {
    "access_denied": "CIS 4.1: errorCode AccessDenied*/*UnauthorizedOperation, routine (read calls outside a role's policy)",
    "iam_policy_changes": "CIS 4.4: Terraform/CloudFormation attaching or editing role policies",
    "security_group_changes": "CIS 4.10: Terraform and people changing security group rules (never 0.0.0.0/0)",
    "s3_bucket_policy_changes": "CIS 4.8: Terraform PutBucketPolicy",
    "console_logins_iam_user_mfa": "CIS 4.2/4.3 must stay silent: IAM users signing in with MFA (MFAUsed Yes)",
    "console_logins_sso": "IAM Identity Center sign-ins: AssumedRole, MFAUsed No as real SSO sign-ins have; CIS 4.2 (v3.0.0 filter with userIdentity.type = IAMUser) must stay silent",
    "console_switch_role": "SwitchRole by MFA-authenticated IAM users",
    "lambda_code_updates": "routine deploys: UpdateFunctionCode20150331v2 by the CI role",
    "ecs_deploys": "RegisterTaskDefinition/UpdateService by the CI role",
    "cloudformation_deploys": "change sets by the CI role",
    "web_identity_assume_role": "GitHub Actions OIDC AssumeRoleWithWebIdentity",
    "kms_key_rotation": "KMS automatic rotation, AwsServiceEvent",
    "secrets_rotation": "Secrets Manager rotation service events",
    "secret_reads": "GetSecretValue by applications (1-3 secrets each)",
    "parameter_reads": "SSM GetParameter/GetParameters by applications (1-3 parameters each)",
    "autoscaling_launches": "RunInstances of general-purpose types by the Auto Scaling service-linked role",
    "other_changes": "other non-read calls (tags, log retention, alarms, instance info, ...)",
    "other_errors": "routine non-authorization errors",
}


def categorize(ev):
    """The manifest category of an event, or None for plain reads."""
    name = ev["eventName"]
    err = ev.get("errorCode")
    if err is not None:
        if err.startswith("AccessDenied") or err.endswith("UnauthorizedOperation"):
            return "access_denied"
        return "other_errors"
    if name in CIS_IAM_POLICY:
        return "iam_policy_changes"
    if name in CIS_SECURITY_GROUP:
        return "security_group_changes"
    if name in CIS_S3_BUCKET_POLICY:
        return "s3_bucket_policy_changes"
    if name == "ConsoleLogin":
        return "console_logins_sso" if ev["userIdentity"]["type"] == "AssumedRole" else "console_logins_iam_user_mfa"
    if name == "SwitchRole":
        return "console_switch_role"
    if name == "UpdateFunctionCode20150331v2":
        return "lambda_code_updates"
    if name in ("RegisterTaskDefinition", "UpdateService"):
        return "ecs_deploys"
    if name in ("CreateChangeSet", "ExecuteChangeSet"):
        return "cloudformation_deploys"
    if name == "AssumeRoleWithWebIdentity":
        return "web_identity_assume_role"
    if name == "RotateKey":
        return "kms_key_rotation"
    if name in ("RotationStarted", "RotationSucceeded"):
        return "secrets_rotation"
    if name == "GetSecretValue":
        return "secret_reads"
    if name in ("GetParameter", "GetParameters"):
        return "parameter_reads"
    if name == "RunInstances":
        return "autoscaling_launches"
    if not ev["readOnly"]:
        return "other_changes"
    return None


# ----------------------------------------------------------------------------------------------
# user agents

UA_CONSOLE = [
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
]
UA_CLI_MAC = ("aws-cli/2.18.4 md/awscrt#0.21.5 ua/2.0 os/macos#23.6.0 md/arch#arm64 lang/python#3.12.6 "
              "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#{cmd}")
UA_CLI_CI = ("aws-cli/2.18.1 md/awscrt#0.21.5 ua/2.0 os/linux#6.8.0-1015-azure md/arch#x86_64 lang/python#3.12.6 "
             "md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off md/command#{cmd}")
UA_BOTO3 = ("Boto3/1.35.36 md/Botocore#1.35.36 ua/2.0 os/linux#5.10.226-214.879.amzn2.x86_64 md/arch#x86_64 "
            "lang/python#3.12.7 md/pyimpl#CPython exec-env/{env} cfg/retry-mode#legacy Botocore/1.35.36")
UA_JAVA = ("aws-sdk-java/2.28.16 Linux/5.10.226-214.879.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.4+7-LTS "
           "Java/21.0.4 vendor/Eclipse_Adoptium io/sync http/Apache cfg/retry-mode/legacy")
UA_GO2 = "aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 api/{api}#{apiv}"
UA_GO1 = "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64)"
UA_NODE = ("aws-sdk-js/3.668.0 ua/2.1 os/linux#5.10.226-235.879.amzn2.x86_64 lang/js md/nodejs#20.17.0 "
           "api/{api}#3.668.0 exec-env/AWS_Lambda_nodejs20.x")
UA_TERRAFORM = ("APN/1.0 HashiCorp/1.0 Terraform/1.9.7 (+https://www.terraform.io) terraform-provider-aws/5.70.0 "
                "(+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.0 os/linux lang/go#1.23.1 "
                "md/GOOS#linux md/GOARCH#amd64 api/{api}#{apiv}")
UA_SSM_AGENT = "aws-sdk-go/1.55.5 (go1.22.7; linux; amd64) amazon-ssm-agent/3.3.987.0"
UA_INTERNAL = "AWS Internal"

# api/... ids for the go SDK user agents
GO_API = {"ec2": "ec2", "iam": "iam", "s3": "s3", "kms": "kms", "sts": "sts", "lambda": "lambda", "ecs": "ecs",
          "logs": "cloudwatchlogs", "monitoring": "cloudwatch", "dynamodb": "dynamodb", "rds": "rds",
          "elasticloadbalancing": "elasticloadbalancingv2", "autoscaling": "autoscaling", "ssm": "ssm",
          "secretsmanager": "secretsmanager", "cloudformation": "cloudformation", "ecr": "ecr", "tagging": "resourcegroupstaggingapi",
          "events": "eventbridge", "sns": "sns", "cloudtrail": "cloudtrail", "config": "configservice", "ce": "costexplorer",
          "health": "health", "signin": "signin", "route53": "route53", "acm": "acm", "sqs": "sqs"}


def kebab(name):
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i and not name[i - 1].isupper():
            out.append("-")
        out.append(c.lower())
    s = "".join(out)
    for suffix in ("20150331v2", "20150331", "20170331v2", "20170331"):
        s = s.replace(suffix, "")
    return s


# ----------------------------------------------------------------------------------------------
# the population

REGIONS = ["us-east-1", "eu-west-1", "us-west-2"]
ACCOUNTS = [
    # id, name, region weights
    ("418273640591", "prod", {"us-east-1": 0.55, "eu-west-1": 0.35, "us-west-2": 0.10}),
    ("731592846203", "staging", {"us-east-1": 0.6, "eu-west-1": 0.4}),
    ("209384756120", "security", {"us-east-1": 0.75, "us-west-2": 0.25}),
]
ORG_DOMAIN = "acme-corp.example"

SERVICE_HOST_EVENT_VERSION = {"s3": "1.10", "kms": "1.10", "lambda": "1.10", "sts": "1.08", "signin": "1.09"}


class Res:
    """Deterministic resource names and ids of one account (and per region)."""

    def __init__(self, rng, acct, name, regions):
        self.acct = acct
        self.name = name
        self.regions = regions
        h = lambda n: "%0*x" % (n, rng.getrandbits(4 * n))
        self.h = h
        env = name
        self.buckets = [f"acme-{env}-{b}-{h(6)}" for b in ("assets", "uploads", "logs", "data-lake", "backups", "tf-state")]
        self.r = {}
        for region in regions:
            r = {}
            r["vpc"] = "vpc-0" + h(16)
            r["subnets"] = ["subnet-0" + h(16) for _ in range(6)]
            r["sgs"] = ["sg-0" + h(16) for _ in range(10)]
            r["instances"] = ["i-0" + h(16) for _ in range(14)]
            r["volumes"] = ["vol-0" + h(16) for _ in range(14)]
            r["amis"] = ["ami-0" + h(16) for _ in range(3)]
            r["enis"] = ["eni-0" + h(16) for _ in range(10)]
            r["asgs"] = [f"{env}-{a}-asg-{h(6)}" for a in ("web", "workers", "batch")]
            r["clusters"] = [f"{env}-apps", f"{env}-jobs"]
            r["services"] = ["orders-api", "payments-worker", "search-indexer", "notifications"]
            r["functions"] = [f"{env}-{f}" for f in ("catalog-sync", "thumbnailer", "audit-forwarder", "nightly-report", "secret-rotator")]
            r["tables"] = [f"{env}-{t}" for t in ("orders", "sessions", "catalog")]
            r["lbs"] = [f"arn:aws:elasticloadbalancing:{region}:{acct}:loadbalancer/app/{env}-{n}/{h(16)}" for n in ("public", "internal")]
            r["tgs"] = [f"arn:aws:elasticloadbalancing:{region}:{acct}:targetgroup/{env}-{n}/{h(16)}" for n in ("orders", "search", "web")]
            r["dbs"] = [f"{env}-{d}" for d in ("orders-db", "analytics-db")]
            r["keys"] = ["%s-%s-%s-%s-%s" % (h(8), h(4), h(4), h(4), h(12)) for _ in range(4)]
            r["loggroups"] = [f"/aws/lambda/{f}" for f in r["functions"]] + [f"/ecs/{env}/{s}" for s in r["services"]]
            r["stacks"] = [f"{env}-{s}" for s in ("network", "queues", "monitoring", "edge")]
            r["alarms"] = [f"{env}-{a}" for a in ("orders-5xx", "p99-latency", "queue-depth", "db-cpu", "lambda-errors", "disk-space")]
            r["repos"] = ["orders-api", "payments-worker", "search-indexer", "notifications"]
            r["topics"] = [f"arn:aws:sns:{region}:{acct}:{env}-{t}" for t in ("alerts", "events")]
            r["rules"] = [f"{env}-{t}" for t in ("nightly", "hourly-sync", "ecs-events")]
            self.r[region] = r
        self.policies = [f"arn:aws:iam::{acct}:policy/{env}-{p}" for p in ("app-data-access", "ci-deploy", "readonly-extras", "logs-writer")]


class Gen:
    def __init__(self, seed, start, days):
        self.seed = seed
        self.rng = random.Random(f"cloudtrail:{seed}")
        self.start = start
        self.days = days
        self.end = start + days * 86400
        rr = random.Random(f"cloudtrail-resources:{seed}")
        self.accts = []
        for acct, name, rw in ACCOUNTS:
            regions = list(rw)
            res = Res(rr, acct, name, regions)
            res.rweights = [rw[r] for r in regions]
            self.accts.append(res)
        self.by_name = {a.name: a for a in self.accts}
        self.rr = rr
        self._tls = {}
        self._ua_cache = {}
        self._time_cache = {}
        self.build_population()

    # -- ids ---------------------------------------------------------------------------------
    def uuid(self):
        h = "%032x" % self.rng.getrandbits(128)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def hex(self, n):
        return "%0*x" % (n, self.rng.getrandbits(4 * n))

    def key_id(self, prefix, rng=None):
        rng = rng or self.rng
        return prefix + "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", k=16))

    def iso(self, ts):
        s = self._time_cache.get(ts)
        if s is None:
            s = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
            if len(self._time_cache) > 4096:
                self._time_cache.clear()
            self._time_cache[ts] = s
        return s

    def tls(self, host, family):
        k = (host, family)
        t = self._tls.get(k)
        if t is None:
            if family == "java":
                t = {"tlsVersion": "TLSv1.2", "cipherSuite": "ECDHE-RSA-AES128-GCM-SHA256", "clientProvidedHostHeader": host}
            else:
                t = {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": host}
            self._tls[k] = t
        return t

    # -- population ---------------------------------------------------------------------------
    def build_population(self):
        rr = self.rr
        ip_pub = lambda first: f"{first}.{rr.randint(1, 254)}.{rr.randint(1, 254)}.{rr.randint(1, 254)}"
        self.roles = {}  # (acct, role) -> issuer dict

        def role(acct, name, path="/"):
            k = (acct.acct, name)
            if k not in self.roles:
                rid = self.key_id("AROA", rr)[:21]
                self.roles[k] = {"type": "Role", "principalId": rid,
                                 "arn": f"arn:aws:iam::{acct.acct}:role{path}{name}",
                                 "accountId": acct.acct, "userName": name}
            return self.roles[k]

        self.role = role
        self.apps = []
        for acct in self.accts[:2]:
            nat = [ip_pub(rr.choice([3, 18, 34, 52, 54])) for _ in range(2)]
            vpce = {reg: {s: "vpce-0" + self.hex_r(rr, 16) for s in ("kms", "secretsmanager", "ssm", "sts", "ecr", "dynamodb")}
                    for reg in acct.regions}
            for i, (app, kind, fam) in enumerate([
                ("orders-api", "ecs", "java"), ("payments-worker", "ecs", "go2"), ("search-indexer", "ecs", "go2"),
                ("notifications", "ecs", "node-ecs"), ("catalog-sync", "lambda", "boto3"), ("thumbnailer", "lambda", "node"),
                ("nightly-report", "lambda", "boto3"), ("reporting-batch", "ec2", "boto3"),
            ]):
                regions = acct.regions if kind != "ec2" else acct.regions[:1]
                secrets = [f"{acct.name}/{app}/{s}" for s in ("db-credentials", "api-key", "signing-key")[:1 + i % 3]]
                params = [f"/{acct.name}/{app}/{p}" for p in ("config", "feature-flags", "endpoint")[:1 + (i + 1) % 3]]
                rname = {"ecs": f"{acct.name}-{app}-task", "lambda": f"{acct.name}-{app}-lambda", "ec2": f"{acct.name}-{app}-instance"}[kind]
                self.apps.append({
                    "acct": acct, "app": app, "kind": kind, "fam": fam, "role": role(acct, rname),
                    "regions": regions, "secrets": secrets, "params": params, "table": acct.r[regions[0]]["tables"][i % 3],
                    "nat": nat, "vpce": vpce, "weight": [5, 4, 3, 2, 3, 2, 1, 2][i],
                    "suffixes": {reg: {s: self.rand_suffix(rr) for s in secrets} for reg in regions},
                })
        # security account small apps
        sec = self.by_name["security"]
        nat = [ip_pub(54) for _ in range(2)]
        for app in ("guardduty-forwarder", "log-archiver"):
            secrets = [f"security/{app}/webhook-token"]
            self.apps.append({
                "acct": sec, "app": app, "kind": "lambda", "fam": "boto3", "role": role(sec, f"security-{app}-lambda"),
                "regions": sec.regions[:1], "secrets": secrets, "params": [f"/security/{app}/config"],
                "table": sec.r[sec.regions[0]]["tables"][0], "nat": nat, "vpce": {}, "weight": 1,
                "suffixes": {sec.regions[0]: {s: self.rand_suffix(rr) for s in secrets}},
            })
        # monitoring integrations, one role per account
        self.monitors = []
        dd_ips = [f"3.233.{rr.randint(144, 159)}.{rr.randint(1, 254)}" for _ in range(6)]
        for acct in self.accts:
            self.monitors.append({"acct": acct, "role": role(acct, "DatadogIntegrationRole"), "session": "DatadogAWSIntegration",
                                  "ips": dd_ips, "fam": "go1", "weight": 3})
            self.monitors.append({"acct": acct, "role": role(acct, "grafana-cloudwatch-reader"), "session": "grafana",
                                  "ips": [ip_pub(35) for _ in range(2)], "fam": "go2", "weight": 1})
        # security scanner: lives in the security account, assumes a SecurityAudit role in every account
        scan_ip = ip_pub(44)
        self.scanners = [{"acct": a, "role": role(a, "SecurityAuditScanner"), "session": f"prowler-{i}", "ips": [scan_ip]} for i, a in enumerate(self.accts)]
        # people
        self.sso_users = []
        ps = {}
        for acct in self.accts:
            for pset in ("AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess"):
                ps[(acct.acct, pset)] = role(acct, f"AWSReservedSSO_{pset}_{self.hex_r(rr, 16)}", "/aws-reserved/sso.amazonaws.com/")
        people = [("priya.raman", "AdministratorAccess", ["prod", "staging", "security"]),
                  ("tom.becker", "PowerUserAccess", ["staging", "prod"]),
                  ("lena.okafor", "PowerUserAccess", ["prod", "staging"]),
                  ("mateo.silva", "ReadOnlyAccess", ["prod", "staging"]),
                  ("yuki.tanaka", "AdministratorAccess", ["security", "prod"]),
                  ("noah.fischer", "ReadOnlyAccess", ["prod"])]
        for i, (user, pset, accts) in enumerate(people):
            self.sso_users.append({
                "user": f"{user}@{ORG_DOMAIN}", "short": user, "pset": pset,
                "accts": [self.by_name[n] for n in accts],
                "issuer": {n: ps[(self.by_name[n].acct, pset)] for n in accts},
                "ips": [ip_pub(rr.choice([81, 86, 92, 73, 98, 24])) for _ in range(2)] + ["198.18.%d.%d" % (rr.randint(0, 3), rr.randint(2, 250))],
                "console_ua": UA_CONSOLE[i % len(UA_CONSOLE)], "weight": [3, 3, 2, 1, 2, 1][i],
            })
        self.iam_users = []
        for user, target_role in (("jsmith-ops", "ops-admin"), ("kmueller", "ops-readonly")):
            uid = self.key_id("AIDA", rr)[:21]
            self.iam_users.append({
                "user": user, "acct": sec,
                "ident": {"type": "IAMUser", "principalId": uid, "arn": f"arn:aws:iam::{sec.acct}:user/{user}",
                          "accountId": sec.acct, "userName": user},
                "switch_role": {a.name: role(a, target_role) for a in self.accts[:2]},
                "ips": [ip_pub(rr.choice([81, 86, 92])) for _ in range(2)], "console_ua": UA_CONSOLE[len(self.iam_users)],
            })
        self.cost_user = {"type": "IAMUser", "principalId": self.key_id("AIDA", rr)[:21],
                          "arn": f"arn:aws:iam::{sec.acct}:user/svc-cost-reporter", "accountId": sec.acct,
                          "userName": "svc-cost-reporter", "accessKeyId": self.key_id("AKIA", rr)}
        self.cost_ip = ip_pub(62)
        # CI
        self.ci = []
        gh_ips = [ip_pub(rr.choice([20, 40, 52, 172])) for _ in range(24)]
        for acct in self.accts[:2] + [sec]:
            self.ci.append({"acct": acct, "role": role(acct, "github-actions-deploy"), "ips": gh_ips,
                            "cfn_role": role(acct, "cloudformation-exec-role"),
                            "repo": "acme-corp/infrastructure" if acct.name != "security" else "acme-corp/security-baseline",
                            "weight": {"prod": 3, "staging": 5, "security": 1}[acct.name]})
        # service-linked roles
        self.slr = {}
        for acct in self.accts:
            for svc, rname in (("autoscaling", "AWSServiceRoleForAutoScaling"), ("elasticloadbalancing", "AWSServiceRoleForElasticLoadBalancing"),
                               ("config", "AWSServiceRoleForConfig"), ("ecs", "AWSServiceRoleForECS")):
                self.slr[(acct.acct, svc)] = role(acct, rname, f"/aws-service-role/{svc}.amazonaws.com/")

    @staticmethod
    def hex_r(rng, n):
        return "%0*x" % (n, rng.getrandbits(4 * n))

    @staticmethod
    def rand_suffix(rng):
        return "".join(rng.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=6))

    # -- identities ---------------------------------------------------------------------------
    def assumed(self, issuer, session, created_ts, mfa=False, key=None, console=False, web_id=None, ec2=False):
        ident = {
            "type": "AssumedRole",
            "principalId": f"{issuer['principalId']}:{session}",
            "arn": f"arn:aws:sts::{issuer['accountId']}:assumed-role/{issuer['userName']}/{session}",
            "accountId": issuer["accountId"],
            "accessKeyId": key or self.key_id("ASIA"),
            "sessionContext": {
                "sessionIssuer": issuer,
                "webIdFederationData": web_id or {},
                "attributes": {"creationDate": self.iso(created_ts), "mfaAuthenticated": "true" if mfa else "false"},
            },
        }
        if ec2:
            ident["sessionContext"]["ec2RoleDelivery"] = "2.0"
        return ident

    # -- event skeleton -----------------------------------------------------------------------
    def event(self, ts, ident, source, name, region, ip, ua, req, resp, read_only, acct, *, tls_host=None,
              family="", etype="AwsApiCall", extra=None, error=None, vpce=None, console=False, tls=True, request_id=True):
        svc = source.split(".", 1)[0]
        ev = {"eventVersion": SERVICE_HOST_EVENT_VERSION.get(svc, "1.09"), "userIdentity": ident,
              "eventTime": self.iso(ts), "eventSource": source, "eventName": name, "awsRegion": region,
              "sourceIPAddress": ip, "userAgent": ua}
        if error:
            ev["errorCode"], ev["errorMessage"] = error
        ev["requestParameters"] = req
        ev["responseElements"] = resp
        if extra and "additionalEventData" in extra:
            ev["additionalEventData"] = extra["additionalEventData"]
        if request_id:
            ev["requestID"] = self.uuid()
        ev["eventID"] = self.uuid()
        ev["readOnly"] = read_only
        if extra and "resources" in extra:
            ev["resources"] = extra["resources"]
        ev["eventType"] = etype
        ev["managementEvent"] = True
        ev["recipientAccountId"] = acct
        if vpce:
            ev["vpcEndpointId"] = vpce
            ev["vpcEndpointAccountId"] = acct
        if extra and "serviceEventDetails" in extra:
            ev["serviceEventDetails"] = extra["serviceEventDetails"]
        ev["eventCategory"] = "Management"
        if console:
            ev["sessionCredentialFromConsole"] = "true"
        if tls:
            if tls_host is None and svc == "s3" and req and "Host" in req:
                tls_host = req["Host"]
            ev["tlsDetails"] = self.tls(tls_host or host_for(svc, region), family)
        return ev

    def ua(self, fam, svc, name, env="AWS_ECS_FARGATE"):
        k = (fam, svc, name, env)
        u = self._ua_cache.get(k)
        if u is None:
            api = GO_API.get(svc, svc)
            if fam == "java":
                u = UA_JAVA
            elif fam == "go2":
                u = UA_GO2.format(api=api, apiv="1.%d.%d" % (20 + len(api) % 30, len(name) % 9))
            elif fam == "go1":
                u = UA_GO1
            elif fam in ("node", "node-ecs"):
                u = UA_NODE.format(api=api.replace("secretsmanager", "secrets-manager"))
                if fam == "node-ecs":
                    u = u.replace("exec-env/AWS_Lambda_nodejs20.x", "exec-env/AWS_ECS_FARGATE")
            elif fam == "boto3":
                u = UA_BOTO3.format(env=env)
            elif fam == "terraform":
                u = UA_TERRAFORM.format(api=api, apiv="1.%d.%d" % (100 + len(api) * 7 % 90, len(name) % 7))
            elif fam == "cli-mac":
                u = UA_CLI_MAC.format(cmd=f"{svc if svc != 'monitoring' else 'cloudwatch'}.{kebab(name)}")
            elif fam == "cli-ci":
                u = UA_CLI_CI.format(cmd=f"{svc}.{kebab(name)}")
            else:
                raise ValueError(fam)
            self._ua_cache[k] = u
        return u


def host_for(svc, region):
    if svc in ("iam",):
        return "iam.amazonaws.com"
    if svc == "signin":
        return "signin.aws.amazon.com"
    if svc == "ce":
        return "ce.us-east-1.amazonaws.com"
    if svc == "s3":
        return f"s3.{region}.amazonaws.com"
    if svc == "tagging":
        return f"tagging.{region}.amazonaws.com"
    return f"{svc}.{region}.amazonaws.com"


# ----------------------------------------------------------------------------------------------
# request parameter builders: (source, readOnly, builder(g, acct, region, R) -> requestParameters)

def _filter(name, value):
    return {"items": [{"name": name, "valueSet": {"items": [{"value": value}]}}]}


def build_reads():
    """[(eventName, eventSource, requestParameters builder, weight)]; builder(gen, account, region, region resources)."""
    R = []

    def add(name, source, fn, weight=1):
        R.append((name, source, fn, weight))

    EC2 = "ec2.amazonaws.com"
    add("DescribeInstances", EC2, lambda g, a, r, x: {"instancesSet": {}, "filterSet": _filter("instance-state-name", "running")} if g.rng.random() < .5
        else {"instancesSet": {"items": [{"instanceId": g.rng.choice(x["instances"])}]}, "filterSet": {}}, 5)
    add("DescribeInstanceStatus", EC2, lambda g, a, r, x: {"instancesSet": {}, "filterSet": {}, "includeAllInstances": False}, 2)
    add("DescribeSecurityGroups", EC2, lambda g, a, r, x: {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": g.rng.choice(x["sgs"])}]}, "filterSet": {}}, 3)
    add("DescribeSecurityGroupRules", EC2, lambda g, a, r, x: {"DescribeSecurityGroupRulesRequest": {"Filter": {"Name": "group-id", "Value": {"content": g.rng.choice(x["sgs"]), "tag": 1}, "tag": 1}, "MaxResults": 1000}}, 1)
    add("DescribeVolumes", EC2, lambda g, a, r, x: {"volumeSet": {}, "filterSet": _filter("attachment.instance-id", g.rng.choice(x["instances"]))}, 2)
    add("DescribeSubnets", EC2, lambda g, a, r, x: {"subnetSet": {}, "filterSet": _filter("vpc-id", x["vpc"])}, 1)
    add("DescribeVpcs", EC2, lambda g, a, r, x: {"vpcSet": {"items": [{"vpcId": x["vpc"]}]}, "filterSet": {}}, 1)
    add("DescribeNetworkInterfaces", EC2, lambda g, a, r, x: {"networkInterfaceIdSet": {}, "filterSet": _filter("vpc-id", x["vpc"])}, 2)
    add("DescribeTags", EC2, lambda g, a, r, x: {"filterSet": _filter("resource-id", g.rng.choice(x["instances"]))}, 2)
    add("DescribeImages", EC2, lambda g, a, r, x: {"executableBySet": {}, "imagesSet": {"items": [{"imageId": g.rng.choice(x["amis"])}]}, "ownersSet": {}, "includeDeprecated": False, "filterSet": {}}, 1)
    add("DescribeRegions", EC2, lambda g, a, r, x: {"regionSet": {}, "allRegions": False}, 1)
    add("DescribeAvailabilityZones", EC2, lambda g, a, r, x: {"availabilityZoneSet": {}, "availabilityZoneIdSet": {}}, 1)
    add("DescribeAccountAttributes", EC2, lambda g, a, r, x: {"accountAttributeNameSet": {"items": [{"attributeName": "supported-platforms"}]}, "filterSet": {}}, 1)
    add("DescribeLaunchTemplateVersions", EC2, lambda g, a, r, x: {"DescribeLaunchTemplateVersionsRequest": {"LaunchTemplateName": x["asgs"][0].rsplit("-", 1)[0] + "-lt", "LaunchTemplateVersion": {"content": "$Latest", "tag": 1}}}, 1)
    add("DescribeSnapshots", EC2, lambda g, a, r, x: {"snapshotSet": {}, "ownersSet": {"items": [{"owner": "self"}]}, "sharedUsersSet": {}, "filterSet": {}}, 1)
    add("DescribeFlowLogs", EC2, lambda g, a, r, x: {"DescribeFlowLogsRequest": {"Filter": {"Name": "resource-id", "Value": {"content": x["vpc"], "tag": 1}, "tag": 1}}}, 1)
    add("DescribeNetworkAcls", EC2, lambda g, a, r, x: {"networkAclIdSet": {}, "filterSet": _filter("vpc-id", x["vpc"])}, 1)
    add("DescribeRouteTables", EC2, lambda g, a, r, x: {"routeTableIdSet": {}, "filterSet": _filter("vpc-id", x["vpc"])}, 1)
    add("GetEbsEncryptionByDefault", EC2, lambda g, a, r, x: {"GetEbsEncryptionByDefaultRequest": ""}, 1)
    add("DescribeVpcEndpoints", EC2, lambda g, a, r, x: {"DescribeVpcEndpointsRequest": {"Filter": {"Name": "vpc-id", "Value": {"content": x["vpc"], "tag": 1}, "tag": 1}}}, 1)
    S3 = "s3.amazonaws.com"
    add("ListBuckets", S3, lambda g, a, r, x: {"Host": f"s3.{r}.amazonaws.com"}, 2)
    for nm, extra in (("GetBucketLocation", {"location": ""}), ("GetBucketTagging", {"tagging": ""}), ("GetBucketVersioning", {"versioning": ""}),
                      ("GetBucketEncryption", {"encryption": ""}), ("GetBucketPolicy", {"policy": ""}), ("GetBucketAcl", {"acl": ""}),
                      ("GetBucketPublicAccessBlock", {"publicAccessBlock": ""}), ("GetBucketLogging", {"logging": ""}),
                      ("GetBucketLifecycle", {"lifecycle": ""}), ("GetBucketOwnershipControls", {"ownershipControls": ""})):
        add(nm, S3, (lambda extra: lambda g, a, r, x: dict(extra, bucketName=(b := g.rng.choice(a.buckets)), Host=f"{b}.s3.{r}.amazonaws.com"))(extra),
            2 if nm in ("GetBucketLocation", "GetBucketTagging") else 1)
    IAM = "iam.amazonaws.com"
    add("ListRoles", IAM, lambda g, a, r, x: {"maxItems": 1000} if g.rng.random() < .5 else None, 2)
    add("GetRole", IAM, lambda g, a, r, x: {"roleName": g.rng.choice([k[1] for k in g.roles if k[0] == a.acct])}, 3)
    add("ListAttachedRolePolicies", IAM, lambda g, a, r, x: {"roleName": g.rng.choice([k[1] for k in g.roles if k[0] == a.acct])}, 2)
    add("ListRolePolicies", IAM, lambda g, a, r, x: {"roleName": g.rng.choice([k[1] for k in g.roles if k[0] == a.acct])}, 2)
    add("GetPolicy", IAM, lambda g, a, r, x: {"policyArn": g.rng.choice(a.policies)}, 2)
    add("GetPolicyVersion", IAM, lambda g, a, r, x: {"policyArn": g.rng.choice(a.policies), "versionId": "v%d" % g.rng.randint(1, 5)}, 1)
    add("ListPolicies", IAM, lambda g, a, r, x: {"scope": "Local", "onlyAttached": False, "policyUsageFilter": "PermissionsPolicy"}, 1)
    add("ListUsers", IAM, lambda g, a, r, x: None, 1)
    add("GetAccountSummary", IAM, lambda g, a, r, x: None, 1)
    add("GetAccountPasswordPolicy", IAM, lambda g, a, r, x: None, 1)
    add("ListOpenIDConnectProviders", IAM, lambda g, a, r, x: None, 1)
    add("ListInstanceProfilesForRole", IAM, lambda g, a, r, x: {"roleName": g.rng.choice([k[1] for k in g.roles if k[0] == a.acct])}, 1)
    add("ListMFADevices", IAM, lambda g, a, r, x: None, 1)
    STS = "sts.amazonaws.com"
    add("GetCallerIdentity", STS, lambda g, a, r, x: None, 2)
    LAM = "lambda.amazonaws.com"
    add("ListFunctions20150331", LAM, lambda g, a, r, x: None, 2)
    add("GetFunction20150331v2", LAM, lambda g, a, r, x: {"functionName": g.rng.choice(x["functions"])}, 2)
    add("GetFunctionConfiguration20150331v2", LAM, lambda g, a, r, x: {"functionName": g.rng.choice(x["functions"])}, 1)
    add("ListTags20170331", LAM, lambda g, a, r, x: {"resource": f"arn:aws:lambda:{r}:{a.acct}:function:{g.rng.choice(x['functions'])}"}, 1)
    add("ListVersionsByFunction20150331", LAM, lambda g, a, r, x: {"functionName": g.rng.choice(x["functions"])}, 1)
    add("GetPolicy20150331v2", LAM, lambda g, a, r, x: {"functionName": g.rng.choice(x["functions"])}, 1)
    ECS = "ecs.amazonaws.com"
    add("ListClusters", ECS, lambda g, a, r, x: None, 1)
    add("DescribeClusters", ECS, lambda g, a, r, x: {"clusters": [x["clusters"][0]], "include": ["STATISTICS"]}, 1)
    add("ListServices", ECS, lambda g, a, r, x: {"cluster": x["clusters"][0]}, 1)
    add("DescribeServices", ECS, lambda g, a, r, x: {"cluster": x["clusters"][0], "services": [g.rng.choice(x["services"])]}, 2)
    add("ListTasks", ECS, lambda g, a, r, x: {"cluster": x["clusters"][0], "serviceName": g.rng.choice(x["services"]), "desiredStatus": "RUNNING"}, 2)
    add("DescribeTaskDefinition", ECS, lambda g, a, r, x: {"taskDefinition": g.rng.choice(x["services"])}, 1)
    MON = "monitoring.amazonaws.com"
    add("DescribeAlarms", MON, lambda g, a, r, x: {"alarmNames": [g.rng.choice(x["alarms"])]} if g.rng.random() < .5 else {"stateValue": "ALARM"}, 3)
    add("DescribeAlarmHistory", MON, lambda g, a, r, x: {"alarmName": g.rng.choice(x["alarms"]), "historyItemType": "StateUpdate", "maxRecords": 50}, 1)
    LOGS = "logs.amazonaws.com"
    add("DescribeLogGroups", LOGS, lambda g, a, r, x: {"logGroupNamePrefix": g.rng.choice(x["loggroups"])[:12]} if g.rng.random() < .5 else {"limit": 50}, 2)
    add("DescribeLogStreams", LOGS, lambda g, a, r, x: {"logGroupName": g.rng.choice(x["loggroups"]), "orderBy": "LastEventTime", "descending": True, "limit": 5}, 1)
    add("FilterLogEvents", LOGS, lambda g, a, r, x: {"logGroupName": g.rng.choice(x["loggroups"]), "startTime": 0, "filterPattern": "ERROR", "interleaved": True}, 1)
    add("ListTagsForResource", "logs.amazonaws.com", lambda g, a, r, x: {"resourceArn": f"arn:aws:logs:{r}:{a.acct}:log-group:{g.rng.choice(x['loggroups'])}"}, 1)
    DDB = "dynamodb.amazonaws.com"
    add("ListTables", DDB, lambda g, a, r, x: None, 1)
    add("DescribeTable", DDB, lambda g, a, r, x: {"tableName": g.rng.choice(x["tables"])}, 2)
    add("DescribeContinuousBackups", DDB, lambda g, a, r, x: {"tableName": g.rng.choice(x["tables"])}, 1)
    RDS = "rds.amazonaws.com"
    add("DescribeDBInstances", RDS, lambda g, a, r, x: {"dBInstanceIdentifier": g.rng.choice(x["dbs"])} if g.rng.random() < .5 else None, 2)
    add("DescribeDBClusters", RDS, lambda g, a, r, x: {"includeShared": False}, 1)
    add("DescribeDBSnapshots", RDS, lambda g, a, r, x: {"dBInstanceIdentifier": g.rng.choice(x["dbs"]), "snapshotType": "automated", "includeShared": False, "includePublic": False}, 1)
    ELB = "elasticloadbalancing.amazonaws.com"
    add("DescribeLoadBalancers", ELB, lambda g, a, r, x: {"loadBalancerArns": [g.rng.choice(x["lbs"])]}, 2)
    add("DescribeTargetGroups", ELB, lambda g, a, r, x: {"loadBalancerArn": g.rng.choice(x["lbs"])}, 1)
    add("DescribeTargetHealth", ELB, lambda g, a, r, x: {"targetGroupArn": g.rng.choice(x["tgs"])}, 3)
    add("DescribeListeners", ELB, lambda g, a, r, x: {"loadBalancerArn": g.rng.choice(x["lbs"])}, 1)
    add("DescribeTags", ELB, lambda g, a, r, x: {"resourceArns": [g.rng.choice(x["tgs"])]}, 1)
    ASG = "autoscaling.amazonaws.com"
    add("DescribeAutoScalingGroups", ASG, lambda g, a, r, x: {"autoScalingGroupNames": [g.rng.choice(x["asgs"])]}, 2)
    add("DescribeScalingActivities", ASG, lambda g, a, r, x: {"autoScalingGroupName": g.rng.choice(x["asgs"]), "maxRecords": 20}, 1)
    KMS = "kms.amazonaws.com"
    add("ListKeys", KMS, lambda g, a, r, x: None, 1)
    add("ListAliases", KMS, lambda g, a, r, x: None, 1)
    add("DescribeKey", KMS, lambda g, a, r, x: {"keyId": f"arn:aws:kms:{r}:{a.acct}:key/{g.rng.choice(x['keys'])}"}, 1)
    add("GetKeyRotationStatus", KMS, lambda g, a, r, x: {"keyId": f"arn:aws:kms:{r}:{a.acct}:key/{g.rng.choice(x['keys'])}"}, 1)
    add("GetKeyPolicy", KMS, lambda g, a, r, x: {"keyId": g.rng.choice(x["keys"]), "policyName": "default"}, 1)
    SM = "secretsmanager.amazonaws.com"
    add("DescribeSecret", SM, lambda g, a, r, x: {"secretId": g.rng.choice([s for app in g.apps if app["acct"] is a for s in app["secrets"]] or ["none"])}, 1)
    add("GetResourcePolicy", SM, lambda g, a, r, x: {"secretId": g.rng.choice([s for app in g.apps if app["acct"] is a for s in app["secrets"]] or ["none"])}, 1)
    SSM = "ssm.amazonaws.com"
    add("DescribeParameters", SSM, lambda g, a, r, x: {"maxResults": 50}, 1)
    add("DescribeInstanceInformation", SSM, lambda g, a, r, x: {"maxResults": 50}, 1)
    CFN = "cloudformation.amazonaws.com"
    add("DescribeStacks", CFN, lambda g, a, r, x: {"stackName": g.rng.choice(x["stacks"])}, 3)
    add("DescribeStackEvents", CFN, lambda g, a, r, x: {"stackName": g.rng.choice(x["stacks"])}, 1)
    add("ListStacks", CFN, lambda g, a, r, x: {"stackStatusFilter": ["CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE"]}, 1)
    add("GetTemplate", CFN, lambda g, a, r, x: {"stackName": g.rng.choice(x["stacks"]), "templateStage": "Original"}, 1)
    add("DescribeStackResources", CFN, lambda g, a, r, x: {"stackName": g.rng.choice(x["stacks"])}, 1)
    CT = "cloudtrail.amazonaws.com"
    add("DescribeTrails", CT, lambda g, a, r, x: {"trailNameList": [], "includeShadowTrails": True}, 1)
    add("GetTrailStatus", CT, lambda g, a, r, x: {"name": f"arn:aws:cloudtrail:us-east-1:{a.acct}:trail/org-trail"}, 1)
    add("GetEventSelectors", CT, lambda g, a, r, x: {"trailName": f"arn:aws:cloudtrail:us-east-1:{a.acct}:trail/org-trail"}, 1)
    CFG = "config.amazonaws.com"
    add("DescribeConfigurationRecorders", CFG, lambda g, a, r, x: None, 1)
    add("DescribeConfigurationRecorderStatus", CFG, lambda g, a, r, x: None, 1)
    add("DescribeDeliveryChannels", CFG, lambda g, a, r, x: None, 1)
    ECR = "ecr.amazonaws.com"
    add("DescribeRepositories", ECR, lambda g, a, r, x: {"repositoryNames": [g.rng.choice(x["repos"])]}, 1)
    add("DescribeImages", ECR, lambda g, a, r, x: {"repositoryName": g.rng.choice(x["repos"]), "filter": {"tagStatus": "TAGGED"}}, 1)
    TAG = "tagging.amazonaws.com"
    add("GetResources", TAG, lambda g, a, r, x: {"resourceTypeFilters": [g.rng.choice(["ec2:instance", "rds:db", "elasticloadbalancing:loadbalancer", "lambda:function", "dynamodb:table"])], "resourcesPerPage": 100}, 3)
    SNS = "sns.amazonaws.com"
    add("GetTopicAttributes", SNS, lambda g, a, r, x: {"topicArn": g.rng.choice(x["topics"])}, 1)
    add("ListSubscriptionsByTopic", SNS, lambda g, a, r, x: {"topicArn": g.rng.choice(x["topics"])}, 1)
    EVT = "events.amazonaws.com"
    add("DescribeRule", EVT, lambda g, a, r, x: {"name": g.rng.choice(x["rules"])}, 1)
    add("ListTargetsByRule", EVT, lambda g, a, r, x: {"rule": g.rng.choice(x["rules"])}, 1)
    CE = "ce.amazonaws.com"
    add("GetCostAndUsage", CE, lambda g, a, r, x: {"timePeriod": {"start": "2026-10-01", "end": "2026-11-01"}, "granularity": "DAILY", "metrics": ["UnblendedCost"], "groupBy": [{"type": "DIMENSION", "key": "SERVICE"}]}, 1)
    HEALTH = "health.amazonaws.com"
    add("DescribeEventAggregates", HEALTH, lambda g, a, r, x: {"aggregateField": "eventTypeCategory", "filter": {"eventStatusCodes": ["open", "upcoming"]}}, 1)
    return R


# (eventName, eventSource) -> (eventSource, builder, weight); pools name an API "Name" or "Name@service"
# when the name exists in several services
READS = None
MONITOR_APIS = ["DescribeInstances", "DescribeInstanceStatus", "DescribeVolumes", "DescribeSecurityGroups", "ListBuckets", "GetBucketTagging",
                "GetBucketLocation", "ListFunctions20150331", "ListTags20170331", "DescribeClusters", "ListServices", "DescribeServices",
                "DescribeAlarms", "DescribeLogGroups", "ListTables", "DescribeTable", "DescribeDBInstances", "DescribeLoadBalancers",
                "DescribeTargetGroups", "DescribeTargetHealth", "DescribeAutoScalingGroups", "GetResources", "DescribeTags@elasticloadbalancing",
                "ListTagsForResource@logs", "GetTopicAttributes", "DescribeDBClusters", "DescribeNetworkInterfaces"]
GRAFANA_APIS = ["GetResources", "DescribeAlarms", "DescribeAlarmHistory", "DescribeInstances", "DescribeLogGroups", "DescribeRegions"]
SCANNER_APIS = None  # all reads except ce/health
HUMAN_CONSOLE_APIS = ["DescribeInstances", "DescribeInstanceStatus", "DescribeSecurityGroups", "DescribeVpcs", "DescribeSubnets", "DescribeRegions",
                      "DescribeAccountAttributes", "DescribeAvailabilityZones", "ListBuckets", "GetBucketLocation", "GetBucketPolicy", "GetBucketVersioning",
                      "ListRoles", "GetRole", "ListAttachedRolePolicies", "ListPolicies", "GetAccountSummary", "ListFunctions20150331",
                      "GetFunction20150331v2", "ListClusters", "DescribeClusters", "ListServices", "DescribeServices", "ListTasks", "DescribeAlarms",
                      "DescribeLogGroups", "DescribeLogStreams", "FilterLogEvents", "ListTables", "DescribeTable", "DescribeDBInstances",
                      "DescribeLoadBalancers", "DescribeTargetHealth", "DescribeStacks", "DescribeStackEvents", "ListStacks", "ListAliases",
                      "DescribeKey", "GetCostAndUsage", "DescribeEventAggregates", "DescribeAutoScalingGroups", "DescribeParameters", "DescribeSecret"]
HUMAN_CLI_APIS = ["DescribeInstances", "DescribeSecurityGroups", "DescribeStacks", "DescribeServices", "ListTasks", "DescribeLogGroups",
                  "FilterLogEvents", "GetCallerIdentity", "ListBuckets", "GetRole", "DescribeDBInstances", "DescribeTargetHealth", "ListFunctions20150331",
                  "GetFunctionConfiguration20150331v2", "DescribeTaskDefinition", "DescribeAutoScalingGroups"]
TERRAFORM_APIS = ["DescribeInstances", "DescribeSecurityGroups", "DescribeSecurityGroupRules", "DescribeSubnets", "DescribeVpcs", "DescribeNetworkInterfaces",
                  "DescribeTags@ec2", "DescribeImages@ec2", "DescribeLaunchTemplateVersions", "DescribeAvailabilityZones", "DescribeVpcEndpoints", "GetBucketPolicy", "GetBucketVersioning",
                  "GetBucketEncryption", "GetBucketAcl", "GetBucketTagging", "GetBucketLogging", "GetBucketLifecycle", "GetBucketPublicAccessBlock",
                  "GetBucketOwnershipControls", "GetRole", "ListAttachedRolePolicies", "ListRolePolicies", "GetPolicy", "GetPolicyVersion",
                  "ListInstanceProfilesForRole", "GetFunction20150331v2", "ListVersionsByFunction20150331", "GetPolicy20150331v2", "DescribeServices",
                  "DescribeTaskDefinition", "DescribeAlarms", "DescribeLogGroups", "ListTagsForResource@logs", "DescribeTable",
                  "DescribeContinuousBackups", "DescribeDBInstances", "DescribeLoadBalancers", "DescribeTargetGroups", "DescribeListeners",
                  "DescribeTags@elasticloadbalancing", "DescribeAutoScalingGroups", "DescribeKey", "GetKeyRotationStatus", "GetKeyPolicy",
                  "DescribeSecret", "GetResourcePolicy", "DescribeRepositories", "GetTopicAttributes", "DescribeRule", "ListTargetsByRule",
                  "GetCallerIdentity", "DescribeRegions", "DescribeAccountAttributes"]
CONFIG_APIS = ["DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes", "DescribeSubnets", "DescribeVpcs", "DescribeNetworkInterfaces",
               "DescribeNetworkAcls", "DescribeRouteTables", "GetRole", "ListAttachedRolePolicies", "ListRolePolicies", "GetPolicy", "GetBucketAcl",
               "GetBucketPolicy", "GetBucketVersioning", "GetBucketEncryption", "GetBucketLogging", "GetBucketPublicAccessBlock",
               "DescribeDBInstances", "DescribeLoadBalancers", "DescribeAutoScalingGroups", "GetFunction20150331v2", "DescribeKey", "DescribeTable"]


def read_entry(name):
    if "@" in name:
        base, svc = name.split("@")
        for k, v in READS.items():
            if k[0] == base and v[0].startswith(svc + "."):
                return base, v
        raise KeyError(name)
    for k, v in READS.items():
        if k[0] == name:
            return name, v
    raise KeyError(name)


_POOL1 = {}


def make_pool_cached(name):
    p = _POOL1.get(name)
    if p is None:
        p = _POOL1[name] = make_pool([name])
    return p


def make_pool(names):
    """[(name, source, fn)], cumulative weights"""
    items, cw, acc = [], [], 0
    for n in names:
        base, (source, fn, w) = read_entry(n)
        items.append((base, source, fn))
        acc += w
        cw.append(acc)
    return items, cw


# ----------------------------------------------------------------------------------------------
# activities: each returns a list of (ts, event) starting at ts0

class Activities:
    def __init__(self, g):
        self.g = g
        rng = g.rng
        global READS, SCANNER_APIS
        READS = {(n, s): (s, fn, w) for n, s, fn, w in build_reads()}
        SCANNER_APIS = [f"{n}@{s.split('.')[0]}" for (n, s) in READS if s not in ("ce.amazonaws.com", "health.amazonaws.com")]
        self.pool_monitor = make_pool(MONITOR_APIS)
        self.pool_grafana = make_pool(GRAFANA_APIS)
        # people and pipelines keep to their habits: each person uses a fixed handful of APIs, each
        # account's Terraform state refreshes the same resources every run, the scanner runs the same checks
        hr = random.Random(f"cloudtrail-habits:{g.seed}")
        for u in g.sso_users + g.iam_users:
            u["pool_console"] = make_pool(hr.sample(HUMAN_CONSOLE_APIS, 14))
            u["pool_cli"] = make_pool(hr.sample(HUMAN_CLI_APIS, 6))
        self.tf_state = {a.acct: hr.sample(TERRAFORM_APIS, 30) for a in g.accts}
        self.pool_scanner = make_pool(sorted(hr.sample(SCANNER_APIS, 45)))
        self.pool_config = make_pool(CONFIG_APIS)
        self.app_cw = cum([a["weight"] for a in g.apps])
        self.mon_cw = cum([m["weight"] for m in g.monitors])
        self.sso_cw = cum([u["weight"] for u in g.sso_users])
        self.ci_cw = cum([c["weight"] for c in g.ci])
        self.sessions = {}
        self.session_ips = {}

    # -- helpers --------------------------------------------------------------------------
    def pick(self, items, cw):
        return items[bisect.bisect_right(cw, self.g.rng.random() * cw[-1])]

    def region_of(self, acct):
        g = self.g
        return g.rng.choices(acct.regions, acct.rweights)[0]

    def read_event(self, ts, ident, acct, region, ip, ua_fam, pool, *, vpce=None, console=False, ua=None, error=None, family=None):
        g = self.g
        name, source, fn = self.pick(*pool)
        svc = source.split(".", 1)[0]
        if svc in ("iam", "ce", "health"):
            region = "us-east-1"
        req = fn(g, acct, region, acct.r.get(region) or acct.r[acct.regions[0]])
        extra = None
        if svc == "s3":
            extra = self.s3_extra(acct, req)
        if ua is None:
            ua = g.ua(ua_fam, svc, name)
        ev = g.event(ts, ident, source, name, region, ip, ua, req, None, True, acct.acct, family=family or ua_fam,
                     extra=extra, vpce=vpce, console=console, error=error)
        if svc == "s3" and name == "GetBucketPolicy" and error is None and g.rng.random() < 0.4:
            ev["errorCode"] = "NoSuchBucketPolicy"
            ev["errorMessage"] = "The bucket policy does not exist"
            reorder_error(ev)
        return ev

    def s3_extra(self, acct, req):
        g = self.g
        extra = {"additionalEventData": {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                                         "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                                         "x-amz-id-2": self.amz_id2(), "bytesTransferredOut": g.rng.randint(200, 4000)}}
        if req and "bucketName" in req:
            extra["resources"] = [{"accountId": acct.acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{req['bucketName']}"}]
        return extra

    def amz_id2(self):
        import base64
        return base64.b64encode(self.g.rng.getrandbits(8 * 57).to_bytes(57, "big")).decode()

    def app_ident(self, app, ts, region):
        """The session of an app role: ECS task id / Lambda function name / instance id; refreshed hourly."""
        g = self.g
        bucket = ts // 3600
        inst = g.rng.randrange(3)
        k = (app["app"], app["acct"].acct, region, bucket, inst)
        s = self.sessions.get(k)
        if s is None:
            srng = random.Random(f"{g.seed}:{k}")
            if app["kind"] == "ecs":
                session = "%032x" % srng.getrandbits(128)
            elif app["kind"] == "lambda":
                session = f"{app['acct'].name}-{app['app']}"
            else:
                session = "i-0" + "%016x" % srng.getrandbits(64)
            created = bucket * 3600 - srng.randint(0, 900)
            s = g.assumed(app["role"], session, created, key=g.key_id("ASIA", srng), ec2=app["kind"] == "ec2")
            if len(self.sessions) > 20000:
                self.sessions.clear()
            self.sessions[k] = s
        return s

    def app_source(self, app, region, svc, ident):
        """(sourceIPAddress, vpcEndpointId): one address per session, as a task or an instance has one
        private address and leaves through one NAT gateway."""
        g = self.g
        key = ident["accessKeyId"]
        ips = self.session_ips.get(key)
        if ips is None:
            srng = random.Random(f"{g.seed}:ip:{key}")
            ips = (srng.choice(app["nat"]), f"10.{10 + REGIONS.index(region)}.{srng.randint(32, 47)}.{srng.randint(2, 254)}")
            if len(self.session_ips) > 50000:
                self.session_ips.clear()
            self.session_ips[key] = ips
        vp = app["vpce"].get(region, {}).get(svc) if app["kind"] == "ecs" else None
        if vp:
            return ips[1], vp
        return ips[0], None

    # -- (a)/(e) applications -------------------------------------------------------------
    def app_activity(self, ts):
        g = self.g
        rng = g.rng
        app = self.pick(g.apps, self.app_cw)
        region = rng.choice(app["regions"])
        acct = app["acct"]
        x = acct.r[region]
        ident = self.app_ident(app, ts, region)
        fam = app["fam"]
        env = {"ecs": "AWS_ECS_FARGATE", "lambda": "AWS_Lambda_python3.12", "ec2": "EC2"}[app["kind"]]
        u = rng.random()
        key_arn = f"arn:aws:kms:{region}:{acct.acct}:key/{x['keys'][app['weight'] % 4]}"
        if u < 0.07:  # secret read + the KMS decrypt Secrets Manager makes for it
            secret = rng.choice(app["secrets"])
            sarn = f"arn:aws:secretsmanager:{region}:{acct.acct}:secret:{secret}-{app['suffixes'][region][secret]}"
            ip, vp = self.app_source(app, region, "secretsmanager", ident)
            ev1 = g.event(ts, ident, "secretsmanager.amazonaws.com", "GetSecretValue", region, ip, g.ua(fam, "secretsmanager", "GetSecretValue", env),
                          {"secretId": sarn if app["weight"] % 2 else secret}, None, True, acct.acct, family=fam, vpce=vp)
            ev2 = g.event(ts, ident, "kms.amazonaws.com", "Decrypt", region, "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com",
                          {"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                           "encryptionContext": {"SecretARN": sarn, "SecretVersionId": g.uuid()}}, None, True, acct.acct,
                          extra={"resources": [{"accountId": acct.acct, "type": "AWS::KMS::Key", "ARN": key_arn}]}, tls=False)
            invoked(ev2, "secretsmanager.amazonaws.com")
            return [(ts, ev1), (ts, ev2)]
        if u < 0.15:
            ip, vp = self.app_source(app, region, "ssm", ident)
            params = app["params"]
            if len(params) > 1 and rng.random() < 0.4:
                name, req = "GetParameters", {"names": params, "withDecryption": True}
            else:
                name, req = "GetParameter", {"name": rng.choice(params), "withDecryption": rng.random() < .5}
            return [(ts, g.event(ts, ident, "ssm.amazonaws.com", name, region, ip, g.ua(fam, "ssm", name, env), req, None, True,
                                 acct.acct, family=fam, vpce=vp))]
        if u < 0.62:  # envelope encryption
            ip, vp = self.app_source(app, region, "kms", ident)
            if rng.random() < 0.6:
                name, req = "Decrypt", {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"service": app["app"], "table": app["table"]}}
            else:
                name, req = "GenerateDataKey", {"keyId": f"alias/{acct.name}-{app['app']}", "keySpec": "AES_256",
                                                "encryptionContext": {"service": app["app"], "table": app["table"]}}
            return [(ts, g.event(ts, ident, "kms.amazonaws.com", name, region, ip, g.ua(fam, "kms", name, env), req, None, True, acct.acct,
                                 family=fam, vpce=vp, extra={"resources": [{"accountId": acct.acct, "type": "AWS::KMS::Key", "ARN": key_arn}]}))]
        if u < 0.72:
            ip, vp = self.app_source(app, region, "dynamodb", ident)
            return [(ts, g.event(ts, ident, "dynamodb.amazonaws.com", "DescribeTable", region, ip, g.ua(fam, "dynamodb", "DescribeTable", env),
                                 {"tableName": app["table"]}, None, True, acct.acct, family=fam, vpce=vp))]
        if u < 0.80:
            ip, vp = self.app_source(app, region, "sts", ident)
            return [(ts, g.event(ts, ident, "sts.amazonaws.com", "GetCallerIdentity", region, ip, g.ua(fam, "sts", "GetCallerIdentity", env),
                                 None, None, True, acct.acct, family=fam, vpce=vp, tls_host=f"sts.{region}.amazonaws.com"))]
        if app["kind"] == "ecs" and rng.random() < 0.3:  # a task starting: its log stream, by the execution role
            exec_ident = self.exec_role_ident(acct, ts, region)
            return [(ts, g.event(ts, exec_ident, "logs.amazonaws.com", "CreateLogStream", region, self.app_source(app, region, "logs", exec_ident)[0], UA_GO1,
                                 {"logGroupName": f"/ecs/{acct.name}/{app['app']}", "logStreamName": f"ecs/{app['app']}/{g.hex(32)}"},
                                 None, False, acct.acct))]
        if app["kind"] == "ecs":  # image pulls by the task execution role
            exec_ident = self.exec_role_ident(acct, ts, region)
            ip, vp = self.app_source(app, region, "ecr", exec_ident)
            name = rng.choice(["GetAuthorizationToken", "BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability"])
            req = {"registryIds": [acct.acct]} if name == "GetAuthorizationToken" else {"repositoryName": app["app"], "registryId": acct.acct}
            if name == "BatchGetImage":
                req["imageIds"] = [{"imageTag": "release-%d" % rng.randint(300, 340)}]
                req["acceptedMediaTypes"] = ["application/vnd.docker.distribution.manifest.v2+json", "application/vnd.oci.image.manifest.v1+json"]
            elif name != "GetAuthorizationToken":
                req["layerDigest" if name == "GetDownloadUrlForLayer" else "layerDigests"] = "sha256:" + g.hex(64)
            return [(ts, g.event(ts, exec_ident, "ecr.amazonaws.com", name, region, ip, "Go-http-client/1.1" if name != "GetAuthorizationToken" else UA_GO2.format(api="ecr", apiv="1.36.2"),
                                 req, None, True, acct.acct, vpce=vp))]
        if app["kind"] == "ec2":  # SSM agent heartbeat
            ip = self.app_source(app, region, "ssm", ident)[0]
            private = self.session_ips[ident["accessKeyId"]][1]
            return [(ts, g.event(ts, ident, "ssm.amazonaws.com", "UpdateInstanceInformation", region, ip, UA_SSM_AGENT,
                                 {"instanceId": ident["arn"].rsplit("/", 1)[1], "agentVersion": "3.3.987.0", "agentStatus": "Active",
                                  "platformType": "Linux", "platformName": "Amazon Linux", "platformVersion": "2023",
                                  "iPAddress": private, "computerName": f"ip-{private.replace('.', '-')}.ec2.internal", "agentName": "amazon-ssm-agent",
                                  "availabilityZone": region + "a", "availabilityZoneId": "use1-az4", "sSMConnectionChannel": "ssmmessages"},
                                 None, False, acct.acct))]
        ip, vp = self.app_source(app, region, "sts", ident)
        return [(ts, g.event(ts, ident, "sts.amazonaws.com", "GetCallerIdentity", region, ip, g.ua(fam, "sts", "GetCallerIdentity", env),
                             None, None, True, acct.acct, family=fam, vpce=vp, tls_host=f"sts.{region}.amazonaws.com"))]

    def exec_role_ident(self, acct, ts, region):
        g = self.g
        k = ("exec", acct.acct, region, ts // 3600)
        s = self.sessions.get(k)
        if s is None:
            srng = random.Random(f"{g.seed}:{k}")
            s = g.assumed(g.role(acct, "ecsTaskExecutionRole"), "%032x" % srng.getrandbits(128), ts - srng.randint(5, 600), key=g.key_id("ASIA", srng))
            self.sessions[k] = s
        return s

    # -- instance agents -------------------------------------------------------------------
    def agent_activity(self, ts):
        """SSM agent traffic of the Auto Scaling instances (instance profile sessions)."""
        g = self.g
        rng = g.rng
        acct = rng.choice(g.accts[:2])
        region = self.region_of(acct)
        x = acct.r[region]
        iid = rng.choice(x["instances"])
        k = ("agent", acct.acct, iid, ts // 21600)
        ident = self.sessions.get(k)
        if ident is None:
            srng = random.Random(f"{g.seed}:{k}")
            ident = g.assumed(g.role(acct, f"{acct.name}-ec2-instance"), iid, (ts // 21600) * 21600 - srng.randint(0, 600),
                              key=g.key_id("ASIA", srng), ec2=True)
            self.sessions[k] = ident
        ip = f"10.{10 + REGIONS.index(region)}.{16 + x['instances'].index(iid)}.{17 + x['instances'].index(iid) * 7}"
        u = rng.random()
        if u < 0.72:
            name, ro = "UpdateInstanceInformation", False
            req = {"instanceId": iid, "agentVersion": "3.3.987.0", "agentStatus": "Active", "platformType": "Linux",
                   "platformName": "Amazon Linux", "platformVersion": "2023", "iPAddress": ip,
                   "computerName": f"ip-{ip.replace('.', '-')}.{'ec2.internal' if region == 'us-east-1' else region + '.compute.internal'}",
                   "agentName": "amazon-ssm-agent", "availabilityZone": region + "a", "sSMConnectionChannel": "ssmmessages"}
        elif u < 0.92:
            name, ro, req = "ListInstanceAssociations", True, {"instanceId": iid, "maxResults": 50}
        elif u < 0.97:
            name, ro, req = "PutInventory", False, {"instanceId": iid, "items": [{"typeName": "AWS:InstanceInformation", "schemaVersion": "1.0",
                                                                                  "captureTime": g.iso(ts), "contentHash": g.hex(64)}]}
        else:
            name, ro, req = "UpdateInstanceAssociationStatus", False, {"associationId": g.uuid(), "instanceId": iid,
                                                                        "executionResult": {"status": "Success", "executionDate": g.iso(ts)}}
        vpce = "vpce-0%016x" % hash_str(f"{g.seed}:{acct.acct}:{region}:ssm")
        return [(ts, g.event(ts, ident, "ssm.amazonaws.com", name, region, ip, UA_SSM_AGENT, req, None, ro, acct.acct, vpce=vpce))]

    # -- (a) monitoring ---------------------------------------------------------------------
    def monitor_activity(self, ts):
        g = self.g
        m = self.pick(g.monitors, self.mon_cw)
        acct = m["acct"]
        region = self.region_of(acct)
        ident = self.mon_ident(m, ts)
        pool = self.pool_monitor if m["fam"] == "go1" else self.pool_grafana
        out = []
        for i in range(g.rng.randint(1, 4)):
            out.append((ts + i, self.read_event(ts + i, ident, acct, region, g.rng.choice(m["ips"]), m["fam"], pool)))
        return out

    def mon_ident(self, m, ts):
        g = self.g
        k = ("mon", m["role"]["arn"], ts // 3600)
        s = self.sessions.get(k)
        if s is None:
            srng = random.Random(f"{g.seed}:{k}")
            s = g.assumed(m["role"], m["session"], (ts // 3600) * 3600 - srng.randint(0, 300), key=g.key_id("ASIA", srng))
            self.sessions[k] = s
        return s

    # -- (a) nightly scanner -------------------------------------------------------------------
    def scanner_activity(self, ts):
        g = self.g
        s = g.rng.choice(g.scanners)
        acct = s["acct"]
        k = ("scan", acct.acct, ts // 86400)
        ident = self.sessions.get(k)
        if ident is None:
            srng = random.Random(f"{g.seed}:{k}")
            ident = g.assumed(s["role"], s["session"], ts - srng.randint(0, 600), key=g.key_id("ASIA", srng))
            self.sessions[k] = ident
        region = self.region_of(acct)
        out = []
        for i in range(g.rng.randint(3, 8)):
            out.append((ts + i, self.read_event(ts + i, ident, acct, region, s["ips"][0], "boto3", self.pool_scanner,
                                                ua=g.ua("boto3", "x", "x", env="EC2"), family="boto3")))
        return out

    # -- (d) people --------------------------------------------------------------------------
    def sso_console(self, ts):
        g = self.g
        rng = g.rng
        u = self.pick(g.sso_users, self.sso_cw)
        acct = rng.choice(u["accts"])
        issuer = u["issuer"][acct.name]
        ip = rng.choice(u["ips"])
        ident = g.assumed(issuer, u["user"], ts)
        login = g.event(ts, ident, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", ip, u["console_ua"], None,
                        {"ConsoleLogin": "Success"}, False, acct.acct, etype="AwsConsoleSignIn", request_id=False,
                        extra={"additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home?region=us-east-1",
                                                       "MobileVersion": "No", "MFAUsed": "No"}})
        out = [(ts, login)]
        ts2 = ts + rng.randint(3, 20)
        region = self.region_of(acct)
        for _ in range(rng.randint(6, 24)):
            ts2 += rng.randint(2, 90)
            out.append((ts2, self.read_event(ts2, ident, acct, region, ip, "", u["pool_console"], console=True,
                                             ua=u["console_ua"] if rng.random() < .7 else UA_INTERNAL, family="console")))
        # a console user in staging now and then changes a security group rule (an SG opened to the office range)
        if acct.name == "staging" and u["pset"] != "ReadOnlyAccess" and rng.random() < 0.04:
            ts2 += rng.randint(10, 120)
            out.append((ts2, self.sg_change(ts2, ident, acct, region, ip, u["console_ua"], console=True)))
        return out

    def sso_cli(self, ts):
        g = self.g
        rng = g.rng
        u = self.pick(g.sso_users, self.sso_cw)
        acct = rng.choice(u["accts"])
        ident = g.assumed(u["issuer"][acct.name], u["user"], ts - rng.randint(0, 3000))
        ip = rng.choice(u["ips"])
        region = self.region_of(acct)
        out = []
        for _ in range(rng.randint(2, 10)):
            ts += rng.randint(1, 40)
            out.append((ts, self.read_event(ts, ident, acct, region, ip, "cli-mac", u["pool_cli"])))
        return out

    def iam_user_console(self, ts):
        g = self.g
        rng = g.rng
        u = rng.choice(g.iam_users)
        sec = u["acct"]
        ip = rng.choice(u["ips"])
        login = g.event(ts, u["ident"], "signin.amazonaws.com", "ConsoleLogin", "us-east-1", ip, u["console_ua"], None,
                        {"ConsoleLogin": "Success"}, False, sec.acct, etype="AwsConsoleSignIn", request_id=False,
                        extra={"additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home?region=us-east-1",
                                                       "MobileVersion": "No", "MFAIdentifier": f"arn:aws:iam::{sec.acct}:mfa/{u['user']}",
                                                       "MFAUsed": "Yes"}})
        out = [(ts, login)]
        console_ident = dict(u["ident"])
        console_ident["accessKeyId"] = g.key_id("ASIA")
        console_ident["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {},
                                           "attributes": {"creationDate": g.iso(ts), "mfaAuthenticated": "true"}}
        ts2 = ts
        for _ in range(rng.randint(2, 6)):
            ts2 += rng.randint(3, 60)
            out.append((ts2, self.read_event(ts2, console_ident, sec, "us-east-1", ip, "", u["pool_console"], console=True,
                                             ua=u["console_ua"], family="console")))
        # switch into prod or staging with the MFA session
        target = rng.choice(self.g.accts[:2])
        ts2 += rng.randint(5, 60)
        issuer = u["switch_role"][target.name]
        ident = g.assumed(issuer, u["user"], ts2, mfa=True)
        out.append((ts2, g.event(ts2, ident, "signin.amazonaws.com", "SwitchRole", "us-east-1", ip, u["console_ua"], None,
                                 {"SwitchRole": "Success"}, False, target.acct, etype="AwsConsoleSignIn", request_id=False,
                                 extra={"additionalEventData": {"SwitchFrom": u["ident"]["arn"],
                                                                "RedirectTo": "https://console.aws.amazon.com/console/home"}})))
        region = self.region_of(target)
        for _ in range(rng.randint(4, 14)):
            ts2 += rng.randint(3, 80)
            out.append((ts2, self.read_event(ts2, ident, target, region, ip, "", u["pool_console"], console=True,
                                             ua=u["console_ua"], family="console")))
        return out

    def cost_report(self, ts):
        g = self.g
        sec = g.by_name["security"]
        name = g.rng.choice(["GetCostAndUsage", "ListBuckets", "GetBucketLocation"])
        base, (source, fn, w) = read_entry(name)
        svc = source.split(".")[0]
        return [(ts, g.event(ts, g.cost_user, source, name, "us-east-1", g.cost_ip, g.ua("boto3", svc, name, env="none"),
                             fn(g, sec, "us-east-1", sec.r["us-east-1"]), None, True, sec.acct, family="boto3",
                             extra=self.s3_extra(sec, None) if svc == "s3" else None))]

    # -- (b) CI ------------------------------------------------------------------------------
    def ci_login(self, ts, c):
        g = self.g
        rng = g.rng
        acct = c["acct"]
        ref = "refs/heads/main"
        sub = f"repo:{c['repo']}:ref:{ref}"
        provider = f"arn:aws:iam::{acct.acct}:oidc-provider/token.actions.githubusercontent.com"
        key = g.key_id("ASIA")
        run = rng.randint(9_000_000_000, 9_999_999_999)
        session = f"GitHubActions-{run}"
        ident_web = {"type": "WebIdentityUser", "principalId": f"{provider}:sts.amazonaws.com:{sub}", "userName": sub,
                     "identityProvider": provider}
        ip = rng.choice(c["ips"])
        role_arn = c["role"]["arn"]
        ev = g.event(ts, ident_web, "sts.amazonaws.com", "AssumeRoleWithWebIdentity", "us-east-1", ip,
                     "aws-sdk-js/3.654.0 ua/2.1 os/linux#6.8.0-1015-azure lang/js md/nodejs#20.17.0 api/sts#3.654.0 m/E,e",
                     {"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600},
                     {"credentials": {"accessKeyId": key, "sessionToken": "IQoJb3JpZ2luX2VjE" + g.hex(40) + "...", "expiration": "%s" % time.strftime("%b %-d, %Y, %-I:%M:%S %p", time.gmtime(ts + 3600))},
                      "subjectFromWebIdentityToken": sub, "assumedRoleUser": {"assumedRoleId": f"{c['role']['principalId']}:{session}",
                                                                              "arn": f"arn:aws:sts::{acct.acct}:assumed-role/github-actions-deploy/{session}"},
                      "provider": provider, "audience": "sts.amazonaws.com"},
                     True, acct.acct, tls_host="sts.amazonaws.com",
                     extra={"resources": [{"accountId": acct.acct, "type": "AWS::IAM::Role", "ARN": role_arn}],
                            "additionalEventData": {"identityProviderConnectionVerificationMethod": "IAMTrustStore"}})
        ident = g.assumed(c["role"], session, ts, key=key,
                          web_id={"federatedProvider": provider, "attributes": {}})
        return ev, ident, ip

    def terraform_run(self, ts):
        g = self.g
        rng = g.rng
        c = self.pick(g.ci, self.ci_cw)
        acct = c["acct"]
        login, ident, ip = self.ci_login(ts, c)
        out = [(ts, login)]
        region = self.region_of(acct)
        t = ts + rng.randint(5, 20)
        state = self.tf_state[acct.acct]
        reads = state + rng.sample(state, rng.randint(0, 8))
        for name in reads:  # the refresh reads every resource in the state, a few twice
            t += rng.randint(0, 2)
            out.append((t, self.read_event(t, ident, acct, region, ip, "terraform", make_pool_cached(name))))
        # an apply now and then: one or two changes
        if rng.random() < 0.22:
            for _ in range(rng.randint(1, 2)):
                t += rng.randint(2, 20)
                kind = rng.random()
                if kind < 0.36:
                    out.append((t, self.iam_policy_change(t, ident, acct, ip, g.ua("terraform", "iam", "x"), family="terraform")))
                elif kind < 0.64:
                    out.append((t, self.sg_change(t, ident, acct, region, ip, g.ua("terraform", "ec2", "x"))))
                elif kind < 0.80:
                    out.append((t, self.bucket_policy(t, ident, acct, region, ip)))
                else:
                    out.append((t, self.other_change(t, ident, acct, region, ip)))
        return out

    def iam_policy_change(self, t, ident, acct, ip, ua, family="", invoked_by=None):
        g = self.g
        rng = g.rng
        roles = [k[1] for k in g.roles if k[0] == acct.acct and not k[1].startswith(("AWSReserved", "AWSServiceRole"))]
        role = rng.choice(roles)
        k = rng.random()
        if k < 0.45:
            name = "PutRolePolicy"
            pol = {"Version": "2012-10-17", "Statement": [{"Sid": "AppData", "Effect": "Allow",
                   "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
                   "Resource": f"arn:aws:dynamodb:us-east-1:{acct.acct}:table/{acct.name}-orders"}]}
            req = {"roleName": role, "policyName": f"{role}-inline", "policyDocument": json.dumps(pol, indent=2)}
        elif k < 0.75:
            name = "AttachRolePolicy"
            req = {"roleName": role, "policyArn": rng.choice(acct.policies + ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
                                                                               "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"])}
        elif k < 0.85:
            name = "DetachRolePolicy"
            req = {"roleName": role, "policyArn": rng.choice(acct.policies)}
        else:
            name = "CreatePolicyVersion"
            req = {"policyArn": rng.choice(acct.policies), "setAsDefault": True,
                   "policyDocument": json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}, indent=2)}
        resp = None
        if name == "CreatePolicyVersion":
            resp = {"policyVersion": {"versionId": "v%d" % rng.randint(2, 5), "isDefaultVersion": True,
                                      "createDate": time.strftime("%b %-d, %Y, %-I:%M:%S %p", time.gmtime(t))}}
        ev = g.event(t, ident, "iam.amazonaws.com", name, "us-east-1", ip, ua, req, resp, False, acct.acct, family=family,
                     tls=invoked_by is None)
        if invoked_by:
            invoked(ev, invoked_by)
        return ev

    def sg_change(self, t, ident, acct, region, ip, ua, console=False):
        g = self.g
        rng = g.rng
        x = acct.r[region]
        sg = rng.choice(x["sgs"])
        port = rng.choice([443, 5432, 6379, 8080, 9090])
        k = rng.random()
        rule_id = "sgr-0" + g.hex(16)
        if k < 0.15:
            name = "CreateSecurityGroup"
            req = {"groupName": f"{acct.name}-svc-{g.hex(4)}", "groupDescription": "Managed by Terraform", "vpcId": x["vpc"]}
            resp = {"requestId": g.uuid(), "_return": True, "groupId": "sg-0" + g.hex(16)}
        else:
            name = "AuthorizeSecurityGroupIngress" if k < 0.65 else ("RevokeSecurityGroupIngress" if k < 0.85 else "AuthorizeSecurityGroupEgress")
            if rng.random() < 0.6:
                src = {"groups": {"items": [{"groupId": rng.choice(x["sgs"])}]}, "ipRanges": {}}
            else:
                src = {"groups": {}, "ipRanges": {"items": [{"cidrIp": rng.choice(["10.0.0.0/8", f"10.{10 + REGIONS.index(region)}.0.0/16", "172.31.0.0/16"]),
                                                            "description": "internal"}]}}
            perm = {"ipProtocol": "tcp", "fromPort": port, "toPort": port, **src, "ipv6Ranges": {}, "prefixListIds": {}}
            req = {"groupId": sg, "ipPermissions": {"items": [perm]}}
            resp = {"requestId": g.uuid(), "_return": True}
            if name.startswith("Authorize"):
                resp["securityGroupRuleSet"] = {"items": [{"groupOwnerId": acct.acct, "groupId": sg, "securityGroupRuleId": rule_id,
                                                           "isEgress": name.endswith("Egress"), "ipProtocol": "tcp", "fromPort": port, "toPort": port}]}
        return g.event(t, ident, "ec2.amazonaws.com", name, region, ip, ua, req, resp, False, acct.acct,
                       family="console" if console else "terraform", console=console)

    def bucket_policy(self, t, ident, acct, region, ip):
        g = self.g
        b = g.rng.choice(acct.buckets)
        pol = {"Version": "2012-10-17", "Statement": [
            {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
             "Resource": [f"arn:aws:s3:::{b}", f"arn:aws:s3:::{b}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
            {"Sid": "AllowAppRole", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{acct.acct}:role/{acct.name}-orders-api-task"},
             "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"arn:aws:s3:::{b}/*"}]}
        req = {"bucketPolicy": pol, "bucketName": b, "Host": f"{b}.s3.{region}.amazonaws.com", "policy": ""}
        return g.event(t, ident, "s3.amazonaws.com", "PutBucketPolicy", region, ip, g.ua("terraform", "s3", "PutBucketPolicy"), req, None,
                       False, acct.acct, family="terraform", extra=self.s3_extra(acct, req))

    def other_change(self, t, ident, acct, region, ip, ua_fam="terraform", invoked_by=None):
        g = self.g
        rng = g.rng
        x = acct.r[region]
        k = rng.randrange(6)
        if k == 0:
            src, name, req = "ec2.amazonaws.com", "CreateTags", {"resourcesSet": {"items": [{"resourceId": rng.choice(x["instances"])}]},
                                                                 "tagSet": {"items": [{"key": "CostCenter", "value": "cc-%d" % rng.randint(100, 130)}]}}
        elif k == 1:
            src, name, req = "logs.amazonaws.com", "PutRetentionPolicy", {"logGroupName": rng.choice(x["loggroups"]), "retentionInDays": rng.choice([30, 90, 365])}
        elif k == 2:
            src, name, req = "monitoring.amazonaws.com", "PutMetricAlarm", {"alarmName": rng.choice(x["alarms"]), "metricName": "HTTPCode_Target_5XX_Count",
                                                                              "namespace": "AWS/ApplicationELB", "statistic": "Sum", "period": 60,
                                                                              "evaluationPeriods": 5, "threshold": 10.0, "comparisonOperator": "GreaterThanThreshold",
                                                                              "alarmActions": [x["topics"][0]]}
        elif k == 3:
            src, name, req = "lambda.amazonaws.com", "TagResource20170331v2", {"resource": f"arn:aws:lambda:{region}:{acct.acct}:function:{rng.choice(x['functions'])}",
                                                                             "tags": {"Team": "platform", "ManagedBy": "terraform"}}
        elif k == 4:
            src, name, req = "ssm.amazonaws.com", "PutParameter", {"name": f"/{acct.name}/platform/release", "type": "String", "overwrite": True, "tier": "Standard"}
        else:
            src, name, req = "events.amazonaws.com", "PutRule", {"name": rng.choice(x["rules"]), "scheduleExpression": "rate(1 hour)", "state": "ENABLED"}
        svc = src.split(".")[0]
        if invoked_by:
            ev = g.event(t, ident, src, name, region, invoked_by, invoked_by, req, None, False, acct.acct, tls=False)
            invoked(ev, invoked_by)
            return ev
        return g.event(t, ident, src, name, region, ip, g.ua(ua_fam, svc, name), req, None, False, acct.acct, family=ua_fam)

    def cfn_deploy(self, ts):
        g = self.g
        rng = g.rng
        c = self.pick(g.ci, self.ci_cw)
        acct = c["acct"]
        login, ident, ip = self.ci_login(ts, c)
        out = [(ts, login)]
        region = self.region_of(acct)
        x = acct.r[region]
        stack = rng.choice(x["stacks"])
        stack_id = f"arn:aws:cloudformation:{region}:{acct.acct}:stack/{stack}/{g.uuid()}"
        cs = f"awscli-cloudformation-package-deploy-{ts}"
        cs_arn = f"arn:aws:cloudformation:{region}:{acct.acct}:changeSet/{cs}/{g.uuid()}"
        t = ts + rng.randint(3, 10)
        cli = lambda n: g.ua("cli-ci", "cloudformation", n)

        def cfn(n, req, resp=None, ro=True):
            nonlocal t
            t += rng.randint(1, 6)
            out.append((t, g.event(t, ident, "cloudformation.amazonaws.com", n, region, ip, cli(n), req, resp, ro, acct.acct, family="cli-ci")))

        cfn("DescribeStacks", {"stackName": stack})
        cfn("CreateChangeSet", {"stackName": stack, "templateURL": f"https://s3.{region}.amazonaws.com/{acct.buckets[5]}/cfn/{g.hex(32)}.template",
                                "parameters": [], "capabilities": ["CAPABILITY_IAM"], "roleARN": c["cfn_role"]["arn"], "changeSetName": cs,
                                "changeSetType": "UPDATE", "description": "Created by AWS CLI at " + g.iso(t) + " UTC"},
            {"id": cs_arn, "stackId": stack_id}, ro=False)
        for _ in range(rng.randint(2, 4)):
            cfn("DescribeChangeSet", {"changeSetName": cs_arn, "stackName": stack})
        cfn("ExecuteChangeSet", {"changeSetName": cs_arn, "stackName": stack}, None, ro=False)
        cfn_ident = g.assumed(c["cfn_role"], "AWSCloudFormation", t)
        for _ in range(rng.randint(1, 4)):
            t += rng.randint(2, 30)
            if rng.random() < 0.08:
                out.append((t, self.iam_policy_change(t, cfn_ident, acct, "cloudformation.amazonaws.com", "cloudformation.amazonaws.com",
                                                      invoked_by="cloudformation.amazonaws.com")))
            else:
                out.append((t, self.other_change(t, cfn_ident, acct, region, None, invoked_by="cloudformation.amazonaws.com")))
        for _ in range(rng.randint(3, 8)):
            cfn("DescribeStackEvents" if rng.random() < .5 else "DescribeStacks", {"stackName": stack})
        return out

    def lambda_deploy(self, ts):
        g = self.g
        rng = g.rng
        c = self.pick(g.ci, self.ci_cw)
        acct = c["acct"]
        login, ident, ip = self.ci_login(ts, c)
        out = [(ts, login)]
        region = self.region_of(acct)
        x = acct.r[region]
        fn = rng.choice(x["functions"][:4])
        farn = f"arn:aws:lambda:{region}:{acct.acct}:function:{fn}"
        t = ts + rng.randint(3, 12)
        sha = __import__("base64").b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode()
        version = str(rng.randint(40, 400))
        cli = lambda n: g.ua("cli-ci", "lambda", n)
        req = {"functionName": fn, "publish": False, "dryRun": False, "s3Bucket": acct.buckets[5], "s3Key": f"lambda/{fn}/{g.hex(40)}.zip"}
        resp = {"functionName": fn, "functionArn": farn, "runtime": "python3.12", "role": f"arn:aws:iam::{acct.acct}:role/{acct.name}-{fn.split('-', 1)[1]}-lambda",
                "handler": "app.handler", "codeSize": rng.randint(200_000, 9_000_000), "description": "", "timeout": 30, "memorySize": 512,
                "lastModified": time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(t)), "codeSha256": sha, "version": "$LATEST",
                "tracingConfig": {"mode": "PassThrough"}, "revisionId": g.uuid(), "state": "Active", "lastUpdateStatus": "InProgress",
                "lastUpdateStatusReason": "The function is being created.", "lastUpdateStatusReasonCode": "Creating",
                "packageType": "Zip", "architectures": ["arm64"], "ephemeralStorage": {"size": 512},
                "snapStart": {"applyOn": "None", "optimizationStatus": "Off"},
                "loggingConfig": {"logFormat": "Text", "logGroup": f"/aws/lambda/{fn}"}}
        out.append((t, g.event(t, ident, "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", region, ip, cli("UpdateFunctionCode20150331v2"),
                               req, resp, False, acct.acct, family="cli-ci")))
        for _ in range(rng.randint(1, 3)):
            t += rng.randint(1, 5)
            out.append((t, g.event(t, ident, "lambda.amazonaws.com", "GetFunctionConfiguration20150331v2", region, ip,
                                   cli("GetFunctionConfiguration20150331v2"), {"functionName": fn}, None, True, acct.acct, family="cli-ci")))
        t += rng.randint(1, 5)
        out.append((t, g.event(t, ident, "lambda.amazonaws.com", "PublishVersion20150331", region, ip, cli("PublishVersion20150331"),
                               {"functionName": fn, "codeSha256": sha}, {"functionName": fn, "functionArn": f"{farn}:{version}", "version": version,
                                                                         "codeSha256": sha, "state": "Active"}, False, acct.acct, family="cli-ci")))
        t += rng.randint(1, 5)
        out.append((t, g.event(t, ident, "lambda.amazonaws.com", "UpdateAlias20150331", region, ip, cli("UpdateAlias20150331"),
                               {"functionName": fn, "name": "live", "functionVersion": version},
                               {"aliasArn": f"{farn}:live", "name": "live", "functionVersion": version, "description": "", "revisionId": g.uuid()},
                               False, acct.acct, family="cli-ci")))
        return out

    def ecs_deploy(self, ts):
        g = self.g
        rng = g.rng
        c = self.pick(g.ci, self.ci_cw)
        acct = c["acct"]
        if acct.name == "security":
            acct = g.by_name["staging"]
            c = g.ci[1]
        login, ident, ip = self.ci_login(ts, c)
        out = [(ts, login)]
        region = self.region_of(acct)
        x = acct.r[region]
        svc = rng.choice(x["services"])
        cluster = x["clusters"][0]
        rev = rng.randint(100, 900)
        t = ts + rng.randint(3, 12)
        cli = lambda n: g.ua("cli-ci", "ecs", n)
        image = f"{acct.acct}.dkr.ecr.{region}.amazonaws.com/{svc}:release-{rng.randint(300, 340)}"
        out.append((t, g.event(t, ident, "ecs.amazonaws.com", "DescribeTaskDefinition", region, ip, cli("DescribeTaskDefinition"),
                               {"taskDefinition": svc}, None, True, acct.acct, family="cli-ci")))
        t += rng.randint(1, 4)
        out.append((t, g.event(t, ident, "ecs.amazonaws.com", "RegisterTaskDefinition", region, ip, cli("RegisterTaskDefinition"),
                               {"family": svc, "taskRoleArn": f"arn:aws:iam::{acct.acct}:role/{acct.name}-{svc}-task",
                                "executionRoleArn": f"arn:aws:iam::{acct.acct}:role/ecsTaskExecutionRole", "networkMode": "awsvpc",
                                "containerDefinitions": [{"name": svc, "image": image, "cpu": 512, "memory": 1024, "essential": True,
                                                          "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
                                                          "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": f"/ecs/{acct.name}/{svc}",
                                                                                                                  "awslogs-region": region, "awslogs-stream-prefix": "ecs"}}}],
                                "requiresCompatibilities": ["FARGATE"], "cpu": "512", "memory": "1024"},
                               {"taskDefinition": {"taskDefinitionArn": f"arn:aws:ecs:{region}:{acct.acct}:task-definition/{svc}:{rev}",
                                                   "family": svc, "revision": rev, "status": "ACTIVE"}}, False, acct.acct, family="cli-ci")))
        t += rng.randint(1, 4)
        out.append((t, g.event(t, ident, "ecs.amazonaws.com", "UpdateService", region, ip, cli("UpdateService"),
                               {"cluster": cluster, "service": svc, "taskDefinition": f"{svc}:{rev}", "forceNewDeployment": False},
                               {"service": {"serviceArn": f"arn:aws:ecs:{region}:{acct.acct}:service/{cluster}/{svc}", "serviceName": svc,
                                            "clusterArn": f"arn:aws:ecs:{region}:{acct.acct}:cluster/{cluster}", "status": "ACTIVE",
                                            "desiredCount": rng.choice([2, 3, 4, 6]), "launchType": "FARGATE",
                                            "taskDefinition": f"arn:aws:ecs:{region}:{acct.acct}:task-definition/{svc}:{rev}"}},
                               False, acct.acct, family="cli-ci")))
        slr_ident = g.assumed(g.slr[(acct.acct, "ecs")], "ecs-service-scheduler", t)
        for _ in range(rng.randint(3, 8)):
            t += rng.randint(10, 40)
            out.append((t, g.event(t, ident, "ecs.amazonaws.com", "DescribeServices", region, ip, cli("DescribeServices"),
                                   {"cluster": cluster, "services": [svc]}, None, True, acct.acct, family="cli-ci")))
            if rng.random() < 0.5:
                name = "RegisterTargets" if rng.random() < .5 else "DeregisterTargets"
                ev = g.event(t, slr_ident, "elasticloadbalancing.amazonaws.com", name, region, "ecs.amazonaws.com", "ecs.amazonaws.com",
                             {"targetGroupArn": rng.choice(x["tgs"]), "targets": [{"id": f"10.{10 + REGIONS.index(region)}.{rng.randint(32, 47)}.{rng.randint(2, 254)}", "port": 8080}]},
                             None, False, acct.acct, tls=False)
                invoked(ev, "ecs.amazonaws.com")
                out.append((t, ev))
        return out

    # -- (c) AWS services -------------------------------------------------------------------
    def service_assume_role(self, ts):
        g = self.g
        rng = g.rng
        app = self.pick(g.apps, self.app_cw)
        region = rng.choice(app["regions"])
        acct = app["acct"]
        principal = {"ecs": "ecs-tasks.amazonaws.com", "lambda": "lambda.amazonaws.com", "ec2": "ec2.amazonaws.com"}[app["kind"]]
        ident = self.app_ident(app, ts, region)
        session = ident["arn"].rsplit("/", 1)[1]
        role_arn = app["role"]["arn"]
        ev = g.event(ts, {"type": "AWSService", "invokedBy": principal}, "sts.amazonaws.com", "AssumeRole", region, principal, principal,
                     {"roleArn": role_arn, "roleSessionName": session},
                     {"credentials": {"accessKeyId": ident["accessKeyId"], "sessionToken": "IQoJb3JpZ2luX2VjE" + g.hex(40) + "...",
                                      "expiration": time.strftime("%b %-d, %Y, %-I:%M:%S %p", time.gmtime(ts + 3600 * 6))},
                      "assumedRoleUser": {"assumedRoleId": f"{app['role']['principalId']}:{session}", "arn": ident["arn"]}},
                     True, acct.acct, tls=False,
                     extra={"resources": [{"accountId": acct.acct, "type": "AWS::IAM::Role", "ARN": role_arn}]})
        ev["sharedEventID"] = g.uuid()
        return [(ts, ev)]

    def service_linked(self, ts):
        g = self.g
        rng = g.rng
        acct = rng.choice(g.accts)
        region = self.region_of(acct)
        x = acct.r[region]
        k = rng.random()
        if k < 0.45:  # AWS Config recording
            ident = g.assumed(g.slr[(acct.acct, "config")], "AWSConfig-Describe", (ts // 3600) * 3600)
            out = []
            for i in range(rng.randint(1, 5)):
                ev = self.read_event(ts + i, ident, acct, region, "config.amazonaws.com", "", self.pool_config, ua="config.amazonaws.com")
                ev.pop("tlsDetails", None)
                ev["sourceIPAddress"] = "config.amazonaws.com"
                invoked(ev, "config.amazonaws.com")
                out.append((ts + i, ev))
            return out
        if k < 0.75:  # ELB health of ENIs
            ident = g.assumed(g.slr[(acct.acct, "elasticloadbalancing")], "ElasticLoadBalancing", (ts // 3600) * 3600)
            name = rng.choice(["DescribeNetworkInterfaces", "DescribeSubnets", "DescribeSecurityGroups", "DescribeVpcs"])
            base, (src, fn, w) = read_entry(name)
            ev = g.event(ts, ident, src, name, region, "elasticloadbalancing.amazonaws.com", "elasticloadbalancing.amazonaws.com",
                         fn(g, acct, region, x), None, True, acct.acct, tls=False)
            invoked(ev, "elasticloadbalancing.amazonaws.com")
            return [(ts, ev)]
        # Auto Scaling: scale out/in
        ident = g.assumed(g.slr[(acct.acct, "autoscaling")], "AutoScaling", (ts // 3600) * 3600)
        asg = rng.choice(x["asgs"])
        out = []
        if rng.random() < 0.25:
            itype = rng.choice(["m6i.large", "m7g.large", "c6i.xlarge", "t3.medium", "r6i.large"])
            iid = "i-0" + g.hex(16)
            subnet = rng.choice(x["subnets"])
            req = {"instancesSet": {"items": [{"minCount": 1, "maxCount": 1}]}, "subnetId": subnet,
                   "launchTemplate": {"launchTemplateName": asg.rsplit("-", 1)[0] + "-lt", "version": "$Latest"}, "instanceType": itype,
                   "tagSpecificationSet": {"items": [{"resourceType": "instance", "tags": [{"key": "aws:autoscaling:groupName", "value": asg}]}]},
                   "clientToken": g.uuid()}
            resp = {"requestId": g.uuid(), "reservationId": "r-0" + g.hex(16), "ownerId": acct.acct, "groupSet": {},
                    "instancesSet": {"items": [{"instanceId": iid, "imageId": x["amis"][0], "instanceState": {"code": 0, "name": "pending"},
                                                "privateDnsName": f"ip-10-{10 + REGIONS.index(region)}-{rng.randint(32, 47)}-{rng.randint(2, 254)}.ec2.internal",
                                                "amiLaunchIndex": 0, "productCodes": {}, "instanceType": itype, "launchTime": ts * 1000,
                                                "placement": {"availabilityZone": region + rng.choice("abc"), "tenancy": "default"},
                                                "monitoring": {"state": "disabled"}, "subnetId": subnet, "vpcId": x["vpc"]}]},
                    "requesterId": "940372691376"}
            ev = g.event(ts, ident, "ec2.amazonaws.com", "RunInstances", region, "autoscaling.amazonaws.com", "autoscaling.amazonaws.com",
                         req, resp, False, acct.acct, tls=False)
            invoked(ev, "autoscaling.amazonaws.com")
            out.append((ts, ev))
            ts += rng.randint(1, 10)
            ev = g.event(ts, ident, "ec2.amazonaws.com", "CreateTags", region, "autoscaling.amazonaws.com", "autoscaling.amazonaws.com",
                         {"resourcesSet": {"items": [{"resourceId": iid}]}, "tagSet": {"items": [{"key": "Name", "value": asg.rsplit("-", 1)[0]}]}},
                         {"requestId": g.uuid(), "_return": True}, False, acct.acct, tls=False)
            invoked(ev, "autoscaling.amazonaws.com")
            out.append((ts, ev))
        else:
            name = rng.choice(["DescribeInstanceStatus", "DescribeInstances", "DescribeLaunchTemplateVersions", "DescribeAccountAttributes"])
            base, (src, fn, w) = read_entry(name)
            ev = g.event(ts, ident, src, name, region, "autoscaling.amazonaws.com", "autoscaling.amazonaws.com",
                         fn(g, acct, region, x), None, True, acct.acct, tls=False)
            invoked(ev, "autoscaling.amazonaws.com")
            out.append((ts, ev))
        return out

    def rotation(self, ts):
        g = self.g
        rng = g.rng
        acct = rng.choice(g.accts)
        region = acct.regions[0]
        x = acct.r[region]
        if rng.random() < 0.3:
            key = rng.choice(x["keys"])
            arn = f"arn:aws:kms:{region}:{acct.acct}:key/{key}"
            ev = g.event(ts, {"accountId": acct.acct, "invokedBy": "kms.amazonaws.com"}, "kms.amazonaws.com", "RotateKey", region,
                         "kms.amazonaws.com", "kms.amazonaws.com", None, None, False, acct.acct, etype="AwsServiceEvent", tls=False,
                         request_id=False, extra={"additionalEventData": {"keyId": arn},
                                                  "resources": [{"accountId": acct.acct, "type": "AWS::KMS::Key", "ARN": arn}]})
            return [(ts, ev)]
        apps = [a for a in g.apps if a["acct"] is acct and region in a["regions"]]
        if not apps:
            return []
        app = rng.choice(apps)
        secret = app["secrets"][0]
        sarn = f"arn:aws:secretsmanager:{region}:{acct.acct}:secret:{secret}-{app['suffixes'][region][secret]}"
        out = []
        for i, name in enumerate(("RotationStarted", "RotationSucceeded")):
            t = ts + i * rng.randint(3, 20)
            ev = g.event(t, {"accountId": acct.acct, "invokedBy": "secretsmanager.amazonaws.com"}, "secretsmanager.amazonaws.com", name, region,
                         "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com", None, None, False, acct.acct, etype="AwsServiceEvent",
                         tls=False, request_id=False, extra={"additionalEventData": {"SecretId": sarn},
                                                             "serviceEventDetails": {"SecretId": sarn}})
            out.append((t, ev))
        return out

    # -- (f) errors -------------------------------------------------------------------------
    def access_denied(self, ts):
        g = self.g
        rng = g.rng
        k = rng.random()
        if k < 0.35:  # the monitoring integration lacks a permission on some buckets
            m = rng.choice([m for m in g.monitors if m["fam"] == "go1"])
            acct = m["acct"]
            ident = self.mon_ident(m, ts)
            region = self.region_of(acct)
            b = rng.choice(acct.buckets)
            req = {"bucketName": b, "Host": f"{b}.s3.{region}.amazonaws.com", "tagging": ""}
            ev = g.event(ts, ident, "s3.amazonaws.com", "GetBucketTagging", region, rng.choice(m["ips"]), UA_GO1, req, None, True,
                         acct.acct, family="go1", error=("AccessDenied", "Access Denied"), extra=self.s3_extra(acct, req))
            return [(ts, ev)]
        if k < 0.65:  # read-only people in the console
            u = rng.choice([u for u in g.sso_users if u["pset"] == "ReadOnlyAccess"])
            acct = rng.choice(u["accts"])
            ident = g.assumed(u["issuer"][acct.name], u["user"], ts - rng.randint(60, 3000))
            region = self.region_of(acct)
            name, src, action, res = rng.choice([
                ("GetCostAndUsage", "ce.amazonaws.com", "ce:GetCostAndUsage", f"arn:aws:ce:us-east-1:{acct.acct}:/GetCostAndUsage"),
                ("DescribeEventAggregates", "health.amazonaws.com", "health:DescribeEventAggregates", "*"),
                ("GetParametersByPath", "ssm.amazonaws.com", "ssm:GetParametersByPath", f"arn:aws:ssm:{region}:{acct.acct}:parameter/{acct.name}"),
            ])
            if src != "ssm.amazonaws.com":
                region = "us-east-1"
            msg = (f"User: {ident['arn']} is not authorized to perform: {action} on resource: {res} "
                   f"because no identity-based policy allows the {action} action")
            req = {"path": f"/{acct.name}", "recursive": True, "withDecryption": False} if name == "GetParametersByPath" else None
            code = "AccessDenied" if src != "ssm.amazonaws.com" else "AccessDeniedException"
            ev = g.event(ts, ident, src, name, region, rng.choice(u["ips"]), u["console_ua"], req, None, True, acct.acct,
                         family="console", error=(code, msg), console=True)
            return [(ts, ev)]
        if k < 0.85:  # the scanner meets a service its audit policy does not cover
            s = rng.choice(g.scanners)
            acct = s["acct"]
            region = self.region_of(acct)
            ident = g.assumed(s["role"], s["session"], ts - rng.randint(60, 1200))
            action = "ec2:DescribeTransitGatewayAttachments"
            msg = ("You are not authorized to perform this operation. User: %s is not authorized to perform: %s because no identity-based "
                   "policy allows the %s action" % (ident["arn"], action, action))
            ev = g.event(ts, ident, "ec2.amazonaws.com", "DescribeTransitGatewayAttachments", region, s["ips"][0], g.ua("boto3", "x", "x", env="EC2"),
                         {"DescribeTransitGatewayAttachmentsRequest": {"MaxResults": 1000}}, None, True, acct.acct, family="boto3",
                         error=("Client.UnauthorizedOperation", msg))
            return [(ts, ev)]
        # an application tries to decrypt with a key of another service
        app = self.pick(g.apps, self.app_cw)
        region = rng.choice(app["regions"])
        acct = app["acct"]
        ident = self.app_ident(app, ts, region)
        ip, vp = self.app_source(app, region, "kms", ident)
        key_arn = f"arn:aws:kms:{region}:{acct.acct}:key/{acct.r[region]['keys'][3]}"
        msg = (f"User: {ident['arn']} is not authorized to perform: kms:Decrypt on resource: {key_arn} "
               f"because no identity-based policy allows the kms:Decrypt action")
        ev = g.event(ts, ident, "kms.amazonaws.com", "Decrypt", region, ip, g.ua(app["fam"], "kms", "Decrypt"),
                     {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}, None, True, acct.acct, family=app["fam"], vpce=vp,
                     error=("AccessDenied", msg), extra={"resources": [{"accountId": acct.acct, "type": "AWS::KMS::Key", "ARN": key_arn}]})
        return [(ts, ev)]

    def other_error(self, ts):
        g = self.g
        rng = g.rng
        app = self.pick(g.apps, self.app_cw)
        region = rng.choice(app["regions"])
        acct = app["acct"]
        ident = self.app_ident(app, ts, region)
        if rng.random() < 0.5:
            ip, vp = self.app_source(app, region, "ssm", ident)
            name = f"/{acct.name}/{app['app']}/feature-flags-v2"
            ev = g.event(ts, ident, "ssm.amazonaws.com", "GetParameter", region, ip, g.ua(app["fam"], "ssm", "GetParameter"),
                         {"name": name, "withDecryption": False}, None, True, acct.acct, family=app["fam"], vpce=vp,
                         error=("ParameterNotFound", None))
            del ev["errorMessage"]
            return [(ts, ev)]
        ip, vp = self.app_source(app, region, "kms", ident)
        ev = g.event(ts, ident, "kms.amazonaws.com", "GenerateDataKey", region, ip, g.ua(app["fam"], "kms", "GenerateDataKey"),
                     {"keyId": f"alias/{acct.name}-{app['app']}", "keySpec": "AES_256"}, None, True, acct.acct, family=app["fam"], vpce=vp,
                     error=("ThrottlingException", "Rate exceeded"))
        return [(ts, ev)]


def hash_str(s):
    h = 1469598103934665603
    for c in s.encode():
        h = ((h ^ c) * 1099511628211) & (2 ** 64 - 1)
    return h


def invoked(ev, by):
    ev["userIdentity"] = dict(ev["userIdentity"], invokedBy=by)


def reorder_error(ev):
    """Put errorCode/errorMessage after userAgent, where CloudTrail writes them."""
    items = list(ev.items())
    ev.clear()
    err = [(k, v) for k, v in items if k in ("errorCode", "errorMessage")]
    for k, v in items:
        if k in ("errorCode", "errorMessage"):
            continue
        ev[k] = v
        if k == "userAgent":
            for ek, evv in err:
                ev[ek] = evv


def cum(ws):
    out, acc = [], 0
    for w in ws:
        acc += w
        out.append(acc)
    return out


# ----------------------------------------------------------------------------------------------
# time profiles: relative rate per hour of week (Monday 00 UTC = 0)

def profile(kind, how, dow):
    weekday = dow < 5
    if kind == "flat":
        return 1.0 + 0.35 * math.sin((how % 24 - 9) / 24 * 2 * math.pi)
    if kind == "business":
        h = how % 24
        if weekday and 7 <= h < 18:
            return 1.0
        if weekday and (6 <= h < 7 or 18 <= h < 21):
            return 0.25
        return 0.02 if weekday else 0.01
    if kind == "ci":
        h = how % 24
        if weekday and 7 <= h < 19:
            return 1.0
        return 0.05 if weekday else 0.02
    if kind == "nightly":
        h = how % 24
        return 1.0 if 2 <= h < 4 else 0.0
    raise ValueError(kind)


# class name, share of events, mean events per activity, profile, method
CLASSES = [
    ("app", 0.37, 1.1, "flat", "app_activity"),
    ("agent", 0.06, 1.0, "flat", "agent_activity"),
    ("monitor", 0.18, 2.5, "flat", "monitor_activity"),
    ("scanner", 0.07, 5.5, "nightly", "scanner_activity"),
    ("sso_console", 0.045, 16.0, "business", "sso_console"),
    ("sso_cli", 0.03, 6.0, "business", "sso_cli"),
    ("iam_user_console", 0.012, 15.0, "business", "iam_user_console"),
    ("cost_report", 0.004, 1.0, "nightly", "cost_report"),
    ("terraform", 0.065, 36.0, "ci", "terraform_run"),
    ("cfn", 0.012, 17.0, "ci", "cfn_deploy"),
    ("lambda_deploy", 0.006, 6.0, "ci", "lambda_deploy"),
    ("ecs_deploy", 0.008, 12.0, "ci", "ecs_deploy"),
    ("svc_assume", 0.08, 1.0, "flat", "service_assume_role"),
    ("svc_linked", 0.06, 2.0, "flat", "service_linked"),
    ("rotation", 0.0004, 1.7, "flat", "rotation"),
    ("access_denied", 0.0035, 1.0, "flat", "access_denied"),
    ("other_error", 0.0015, 1.0, "flat", "other_error"),
]


# ----------------------------------------------------------------------------------------------
# writers

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


class DeliveryWriter:
    def __init__(self, out, seed):
        self.out = out
        self.frng = random.Random(f"cloudtrail-files:{seed}")
        self.files = 0
        self.dirs = set()

    def window(self, wstart, groups):
        stamp_ts = wstart + WINDOW
        tm = time.gmtime(stamp_ts)
        ymd = time.strftime("%Y/%m/%d", tm)
        stamp = time.strftime("%Y%m%dT%H%MZ", tm)
        for (acct, region) in sorted(groups):
            lines = groups[(acct, region)]
            d = os.path.join(self.out, "AWSLogs", acct, "CloudTrail", region, ymd)
            if d not in self.dirs:
                os.makedirs(d, exist_ok=True)
                self.dirs.add(d)
            for i in range(0, len(lines), FILE_CAP):
                chunk = lines[i:i + FILE_CAP]
                name = f"{acct}_CloudTrail_{region}_{stamp}_{''.join(self.frng.choices(ALNUM, k=16))}.json.gz"
                data = ('{"Records":[' + ",".join(chunk) + "]}").encode()
                with open(os.path.join(d, name), "wb") as f:
                    f.write(gzip.compress(data, 6, mtime=0))
                self.files += 1

    def close(self):
        pass


class NdjsonWriter:
    def __init__(self, out, seed):
        self.out = out
        self.files = 0
        self.day = None
        self.f = None

    def window(self, wstart, groups):
        day = time.strftime("%Y-%m-%d", time.gmtime(wstart))
        if day != self.day:
            if self.f:
                self.f.close()
            self.f = open(os.path.join(self.out, f"events-{day}.ndjson"), "w")
            self.day = day
            self.files += 1
        lines = sorted(((ts, s) for grp in groups.values() for ts, s in grp), key=lambda p: p[0])
        self.f.write("".join(s + "\n" for _, s in lines))

    def close(self):
        if self.f:
            self.f.close()


class ArrayWriter:
    def __init__(self, out, seed, start):
        self.out = out
        self.start = start
        self.files = 0
        self.week = None
        self.f = None
        self.first = True

    def window(self, wstart, groups):
        week = (wstart - self.start) // (7 * 86400) + 1
        if week != self.week:
            self.close()
            self.f = open(os.path.join(self.out, "events-week-%02d.json" % week), "w")
            self.f.write("[")
            self.first = True
            self.week = week
            self.files += 1
        lines = sorted(((ts, s) for grp in groups.values() for ts, s in grp), key=lambda p: p[0])
        for _, s in lines:
            self.f.write(("\n" if self.first else ",\n") + s)
            self.first = False

    def close(self):
        if self.f:
            self.f.write("\n]\n")
            self.f.close()
            self.f = None


# ----------------------------------------------------------------------------------------------

def parse_time(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def generate(n_events, out, form, seed, start_s, days, quiet=False):
    t0 = time.time()
    start = parse_time(start_s)
    g = Gen(seed, start, days)
    acts = Activities(g)
    rng = g.rng
    os.makedirs(out, exist_ok=True)
    if form == "delivery":
        writer = DeliveryWriter(out, seed)
    elif form == "ndjson":
        writer = NdjsonWriter(out, seed)
    else:
        writer = ArrayWriter(out, seed, start)

    n_windows = days * 86400 // WINDOW
    # expected events per window from the class profiles
    how_weights = []  # per hour of week: cumulative pick weights per class
    means = {}
    for name, share, mlen, prof, _ in CLASSES:
        vals = [profile(prof, h, h // 24) for h in range(168)]
        means[prof] = sum(vals) / 168
    intens_how = []
    for h in range(168):
        w_events, w_pick = [], []
        for name, share, mlen, prof, _ in CLASSES:
            rel = profile(prof, h, h // 24) / means[prof]
            w_events.append(share * rel)
            w_pick.append(share * rel / mlen)
        intens_how.append(sum(w_events))
        how_weights.append(cum(w_pick))
    # the start's hour of week: 1970-01-01 was a Thursday (dow 3)
    def how_of(ts):
        days_since = ts // 86400
        dow = (days_since + 3) % 7
        return dow * 24 + (ts % 86400) // 3600

    intens = [intens_how[how_of(start + w * WINDOW)] for w in range(n_windows)]
    total_i = sum(intens)
    methods = [getattr(acts, m) for *_, m in CLASSES]

    heap = []
    seq = 0
    produced = 0
    emitted = 0
    bytes_total = 0
    counts = {}
    names = {}
    cat_names = {}
    read_only = 0
    acc = 0.0
    dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
    last_report = time.time()
    for w in range(n_windows):
        wstart = start + w * WINDOW
        wend = wstart + WINDOW
        acc += intens[w] / total_i * n_events
        target = n_events if w == n_windows - 1 else min(n_events, int(acc))
        cw = how_weights[how_of(wstart)]
        while produced < target:
            ts0 = wstart + rng.randrange(WINDOW)
            ci = bisect.bisect_right(cw, rng.random() * cw[-1])
            evs = methods[ci](ts0)
            for ts, ev in evs:
                if produced >= n_events:
                    break
                if ts >= g.end:
                    ts = g.end - 1
                    ev["eventTime"] = g.iso(ts)
                heapq.heappush(heap, (ts, seq, ev))
                seq += 1
                produced += 1
        groups = {}
        while heap and (heap[0][0] < wend or w == n_windows - 1):
            ts, _, ev = heapq.heappop(heap)
            name = ev["eventName"]
            if name in EXCLUDED_EVENT_NAMES:
                raise AssertionError(f"generated an excluded event: {name}")
            names[name] = names.get(name, 0) + 1
            cat = categorize(ev)
            if cat:
                counts[cat] = counts.get(cat, 0) + 1
                cat_names.setdefault(cat, set()).add(ev.get("errorCode") or name)
            if ev["readOnly"]:
                read_only += 1
            s = dumps(ev)
            bytes_total += len(s) + 1
            key = (ev["recipientAccountId"], ev["awsRegion"])
            groups.setdefault(key, []).append((ts, s) if form != "delivery" else s)
            emitted += 1
        if groups:
            writer.window(wstart, groups)
        if not quiet and time.time() - last_report > 5:
            last_report = time.time()
            print(f"  {emitted:,}/{n_events:,} events, {writer.files:,} files, {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
    writer.close()
    assert emitted == n_events, (emitted, n_events)
    manifest = {
        "generator": "scripts/gen-cloudtrail.py",
        "generator_version": GENERATOR_VERSION,
        "events": emitted,
        "files": writer.files,
        "bytes": bytes_total,
        "seed": seed,
        "form": form,
        "start": start_s,
        "days": days,
        "accounts": {a.acct: a.name for a in g.accts},
        "regions": sorted({r for a in g.accts for r in a.regions}),
        "contained": {k: counts.get(k, 0) for k in sorted(CATEGORY_DOC)},
        "contained_event_names": {k: sorted(cat_names.get(k, ())) for k in sorted(CATEGORY_DOC)},
        "contained_doc": {k: CATEGORY_DOC[k] for k in sorted(CATEGORY_DOC)},
        "read_only_share": round(read_only / max(1, emitted), 4),
        "event_names": dict(sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))),
        "excluded_event_names": sorted(EXCLUDED_EVENT_NAMES),
    }
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    dt = time.time() - t0
    if not quiet:
        print(f"{emitted:,} events in {writer.files:,} files ({bytes_total / 1e6:.1f} MB of JSON, "
              f"{bytes_total / max(1, emitted):.0f} B/event) to {out} in {dt:.1f}s", file=sys.stderr)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--form", choices=["delivery", "ndjson", "array"], default="delivery")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--start", default="2026-11-01T00:00:00Z")
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    if a.events < 1 or a.days < 1:
        ap.error("--events and --days must be positive")
    generate(a.events, a.out, a.form, a.seed, a.start, a.days, a.quiet)


if __name__ == "__main__":
    main()
