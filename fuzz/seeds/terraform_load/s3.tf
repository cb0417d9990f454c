resource "aws_s3_bucket" "client_files" {
  bucket = "agency-client-files"
}

resource "aws_s3_bucket_acl" "client_files" {
  bucket = aws_s3_bucket.client_files.id
  acl    = "public-read"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "agency-legacy"
  acl    = "public-read-write"
}

resource "aws_s3_bucket" "granted" {
  bucket = "agency-granted"
}

resource "aws_s3_bucket_acl" "granted" {
  bucket = "agency-granted"
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
    owner {
      id = "abc"
    }
  }
}
