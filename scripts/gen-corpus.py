#!/usr/bin/env python3
"""Generates a synthetic Terraform corpus for benchmarks: N .tf files spread over root modules that
call a shared local module with count and for_each, and that build IAM policies with jsonencode and
aws_iam_policy_document. Deterministic for a given N (no randomness), so runs compare.

usage: gen-corpus.py OUT_DIR [N_FILES]   (default 10000)
"""
import os
import sys

FILES_PER_ROOT = 50

MODULE = '''variable "name" {}
variable "public" {
  default = false
}
variable "ports" {
  default = [443]
}

resource "aws_s3_bucket" "this" {
  bucket = "${var.name}-data"
}

resource "aws_s3_bucket_acl" "this" {
  bucket = aws_s3_bucket.this.id
  acl    = var.public ? "public-read" : "private"
}

resource "aws_security_group" "this" {
  name = "${var.name}-sg"
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}

output "bucket" {
  value = aws_s3_bucket.this.bucket
}
'''


def root_file(root: int, i: int) -> str:
    name = f"r{root}f{i}"
    kind = i % 5
    if kind == 0:
        return f'''module "svc_{name}" {{
  source = "../modules/svc"
  count  = 2
  name   = "{name}-${{count.index}}"
  public = {str(i % 10 == 0).lower()}
  ports  = [22, 443]
}}
'''
    if kind == 1:
        return f'''locals {{
  envs_{name} = {{ dev = "private", prod = "private", demo = "public-read" }}
}}

resource "aws_s3_bucket" "{name}" {{
  for_each = local.envs_{name}
  bucket   = "{name}-${{each.key}}"
  acl      = each.value
}}
'''
    if kind == 2:
        return f'''resource "aws_iam_policy" "{name}" {{
  name = "{name}"
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject"]
        Resource = "arn:aws:s3:::{name}/*"
      }},
      {{
        Effect   = "Allow"
        Action   = "{'*' if i % 20 == 2 else 'logs:CreateLogStream'}"
        Resource = "*"
      }}
    ]
  }})
}}
'''
    if kind == 3:
        return f'''data "aws_iam_policy_document" "{name}" {{
  statement {{
    actions   = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "{name}" {{
  name               = "{name}"
  assume_role_policy = data.aws_iam_policy_document.{name}.json
}}
'''
    return f'''variable "ami_{name}" {{
  default = "ami-0123456789abcdef0"
}}

resource "aws_instance" "{name}" {{
  ami           = var.ami_{name}
  instance_type = "t3.micro"
  metadata_options {{
    http_tokens = "{'required' if i % 3 else 'optional'}"
  }}
  root_block_device {{
    encrypted = {str(i % 4 != 0).lower()}
  }}
  tags = {{
    Name = "{name}"
  }}
}}
'''


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    os.makedirs(os.path.join(out, "modules", "svc"), exist_ok=True)
    with open(os.path.join(out, "modules", "svc", "main.tf"), "w") as f:
        f.write(MODULE)
    written = 1
    root = 0
    while written < n:
        d = os.path.join(out, f"root{root:04d}")
        os.makedirs(d, exist_ok=True)
        for i in range(min(FILES_PER_ROOT, n - written)):
            with open(os.path.join(d, f"f{i:03d}.tf"), "w") as f:
                f.write(root_file(root, i))
            written += 1
        root += 1
    print(f"wrote {written} files in {root} root modules to {out}")


if __name__ == "__main__":
    main()
