# Brightside Studio — a six-person digital agency. One web host for client sites, a bucket of client
# deliverables, a MySQL database behind the sites, and one IAM user the freelancers share.
# Every shortcut below is one a busy agency takes; `deadbolt scan examples/agency` finds them.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "eu-west-2"
}

variable "office_cidr" {
  description = "The studio's office IP range"
  type        = string
  default     = "203.0.113.0/24"
}

locals {
  name = "brightside"
  tags = {
    owner   = "ops@brightside.example"
    project = "client-sites"
  }
}

# --- web host -------------------------------------------------------------------------------------

resource "aws_security_group" "web" {
  name        = "${local.name}-web"
  description = "Client sites"

  ingress {
    description = "HTTPS from anywhere"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  # "Temporary" so the freelancer could deploy from a café. Still here.
  ingress {
    description = "SSH"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}

resource "aws_instance" "web" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.small"
  vpc_security_group_ids      = [aws_security_group.web.id]
  associate_public_ip_address = true

  root_block_device {
    volume_size = 30
  }

  user_data = <<-EOT
    #!/bin/bash
    apt-get update && apt-get install -y nginx
  EOT

  tags = merge(local.tags, { Name = "${local.name}-web" })
}

# --- client files ---------------------------------------------------------------------------------

resource "aws_s3_bucket" "client_files" {
  bucket = "${local.name}-client-files"
  tags   = local.tags
}

# Shared so clients can download their deliverables without logging in.
resource "aws_s3_bucket_acl" "client_files" {
  bucket = aws_s3_bucket.client_files.id
  acl    = "public-read"
}

resource "aws_s3_bucket_public_access_block" "client_files" {
  bucket                  = aws_s3_bucket.client_files.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

# --- database -------------------------------------------------------------------------------------

resource "aws_db_instance" "sites" {
  identifier              = "${local.name}-sites"
  engine                  = "mysql"
  engine_version          = "8.0"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  username                = "admin"
  password                = var.db_password
  storage_encrypted       = false
  backup_retention_period = 1
  skip_final_snapshot     = true
}

variable "db_password" {
  type      = string
  sensitive = true
}

# --- people ---------------------------------------------------------------------------------------

resource "aws_iam_user" "freelancers" {
  name = "freelancers"
}

resource "aws_iam_user_policy" "freelancers" {
  name = "do-anything"
  user = aws_iam_user.freelancers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "*"
      Resource = "*"
    }]
  })
}
