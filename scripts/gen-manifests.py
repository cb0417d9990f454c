#!/usr/bin/env python3
"""Generates a benchmark corpus of CloudFormation templates and Kubernetes manifests.

usage: python3 scripts/gen-manifests.py OUT_DIR N
Writes N CloudFormation templates (YAML with short-form intrinsics, Parameters, Conditions, and about
one in five as JSON) under OUT_DIR/cloudformation/ and N Kubernetes manifest files (multi-document:
a Deployment or StatefulSet, a Service, RBAC, sometimes a NetworkPolicy) under OUT_DIR/kubernetes/.
Deterministic (seeded), so runs compare like with like; some resources are misconfigured on purpose.
"""
import json
import os
import random
import sys


def cfn_template(i, rng):
    public = rng.random() < 0.3
    port = rng.choice([22, 443, 3389, 5432, 8080])
    open_cidr = "0.0.0.0/0" if rng.random() < 0.4 else "10.0.0.0/8"
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"service {i}",
        "Parameters": {
            "Environment": {"Type": "String", "Default": rng.choice(["test", "production"])},
            "Prefix": {"Type": "String", "Default": f"svc{i}"},
        },
        "Conditions": {"IsProduction": {"Fn::Equals": [{"Ref": "Environment"}, "production"]}},
        "Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": rng.random() < 0.7}},
            "Data": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": {"Fn::Sub": "${Prefix}-${Environment}-data"},
                    "AccessControl": "PublicRead" if public else "Private",
                    "VersioningConfiguration": {"Status": {"Fn::If": ["IsProduction", "Enabled", "Suspended"]}},
                    "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": ["Key", "Arn"]}}}]},
                },
            },
            "DataPolicy": {
                "Type": "AWS::S3::BucketPolicy",
                "Properties": {
                    "Bucket": {"Ref": "Data"},
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow",
                        "Principal": "*" if public else {"AWS": "arn:aws:iam::111122223333:root"},
                        "Action": "s3:GetObject",
                        "Resource": {"Fn::Sub": "${Data.Arn}/*"},
                    }]},
                },
            },
            "Web": {
                "Type": "AWS::EC2::SecurityGroup",
                "Properties": {
                    "GroupDescription": "web tier",
                    "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                                              "CidrIp": open_cidr, "Description": "service port"}],
                },
            },
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {
                        "Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                    "Policies": [{"PolicyName": "app", "PolicyDocument": {"Statement": [{
                        "Effect": "Allow",
                        "Action": rng.choice(["s3:*", "s3:GetObject", "*"]),
                        "Resource": "*"}]}}],
                },
            },
            "Fn": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12", "Handler": "app.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "Code": {"ZipFile": "def handler(e, c):\n    return e\n"},
                    "Environment": {"Variables": {"TABLE": {"Fn::Sub": "${Prefix}-table"}}},
                },
            },
        },
    }


def to_yaml(value, indent=0):
    """A small YAML emitter for the generated shapes, writing intrinsics in their short form."""
    pad = "  " * indent
    short = {"Ref": "!Ref", "Fn::Sub": "!Sub", "Fn::GetAtt": "!GetAtt", "Fn::If": "!If", "Fn::Equals": "!Equals"}
    lines = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict) and len(v) == 1 and next(iter(v)) in short:
                (fn, arg), = v.items()
                lines.append(f"{pad}{k}: {short[fn]} {json.dumps(arg)}")
            elif isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{k}:")
                lines.append(to_yaml(v, indent + 1))
            else:
                lines.append(f"{pad}{k}: {json.dumps(v)}")
    else:
        for item in value:
            body = to_yaml(item, indent + 1) if isinstance(item, (dict, list)) else f"{pad}  {json.dumps(item)}"
            first, *rest = body.split("\n")
            lines.append(f"{pad}- {first.strip()}")
            lines.extend(rest)
    return "\n".join(lines)


def k8s_manifest(i, rng):
    name = f"svc{i}"
    ns = rng.choice(["default", "payments", "web", "batch"])
    privileged = rng.random() < 0.2
    image = rng.choice(["nginx:1.27", "nginx:latest", "redis", f"registry.example.com/{name}@sha256:" + "a" * 64])
    kind = rng.choice(["Deployment", "Deployment", "StatefulSet", "DaemonSet"])
    container = {
        "name": name, "image": image,
        "ports": [{"containerPort": 8080}],
        "env": [{"name": "LOG_LEVEL", "value": "info"}] + ([{"name": "DB_PASSWORD", "value": "hunter2hunter2"}]
                                                          if rng.random() < 0.1 else []),
        "securityContext": {"privileged": privileged, "allowPrivilegeEscalation": privileged,
                            "readOnlyRootFilesystem": not privileged, "runAsNonRoot": not privileged},
    }
    if rng.random() < 0.6:
        container["resources"] = {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}
    pod = {"serviceAccountName": name, "containers": [container]}
    if rng.random() < 0.1:
        pod["hostNetwork"] = True
        pod["volumes"] = [{"name": "docker", "hostPath": {"path": "/var/run/docker.sock"}}]
        container["volumeMounts"] = [{"name": "docker", "mountPath": "/var/run/docker.sock"}]
    docs = [
        {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, "namespace": ns},
         "spec": {"selector": {"matchLabels": {"app": name}},
                  "template": {"metadata": {"labels": {"app": name}}, "spec": pod}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
         "spec": {"type": rng.choice(["ClusterIP", "ClusterIP", "LoadBalancer", "NodePort"]),
                  "selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": name, "namespace": ns},
         "rules": [{"apiGroups": [""], "resources": rng.choice([["configmaps"], ["secrets"], ["*"]]),
                    "verbs": rng.choice([["get"], ["get", "list", "watch"], ["*"]])}]},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": name, "namespace": ns},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
         "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": ns}]},
    ]
    if rng.random() < 0.5:
        docs.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                     "metadata": {"name": f"{name}-default-deny", "namespace": ns},
                     "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}})
    return "\n---\n".join(to_yaml(d) for d in docs) + "\n"


def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    for i in range(n):
        cfn_dir = os.path.join(out, "cloudformation", f"{i // 500:03d}")
        k8s_dir = os.path.join(out, "kubernetes", f"{i // 500:03d}")
        os.makedirs(cfn_dir, exist_ok=True)
        os.makedirs(k8s_dir, exist_ok=True)
        template = cfn_template(i, rng)
        if i % 5 == 4:
            with open(os.path.join(cfn_dir, f"stack{i}.json"), "w") as f:
                json.dump(template, f, indent=2)
        else:
            with open(os.path.join(cfn_dir, f"stack{i}.yaml"), "w") as f:
                f.write(to_yaml(template) + "\n")
        with open(os.path.join(k8s_dir, f"app{i}.yaml"), "w") as f:
            f.write(k8s_manifest(i, rng))
    print(f"wrote {n} templates and {n} manifests under {out}")


if __name__ == "__main__":
    main()
