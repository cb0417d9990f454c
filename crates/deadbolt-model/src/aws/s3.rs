//! Amazon S3 buckets and Block Public Access.

use serde::Serialize;

use crate::attr::Attr;
use crate::aws::iam::PolicyDocument;
use crate::resource::ResourceMeta;

/// The four Block Public Access switches (bucket or account level). Each defaults to `false`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PublicAccessBlock {
    /// Reject new public ACLs.
    pub block_public_acls: Attr<bool>,
    /// Reject new public bucket policies.
    pub block_public_policy: Attr<bool>,
    /// Ignore existing public ACLs.
    pub ignore_public_acls: Attr<bool>,
    /// Restrict access under existing public policies to AWS principals in the account.
    pub restrict_public_buckets: Attr<bool>,
}

/// A grant in a bucket ACL.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grant {
    /// The grantee: a group URI (`http://acs.amazonaws.com/groups/global/AllUsers`), canonical user ID
    /// or email.
    pub grantee: Attr<String>,
    /// `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP` or `FULL_CONTROL`.
    pub permission: Attr<String>,
}

/// Default encryption of new objects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Encryption {
    /// `AES256` (SSE-S3), `aws:kms` (SSE-KMS) or `aws:kms:dsse`.
    pub algorithm: Attr<String>,
    /// The KMS key, when SSE-KMS names one: its ID, ARN or alias, or the address of the resource it
    /// comes from (`aws_kms_key.logs`) when the value is only known after apply. `None` when SSE-KMS
    /// uses the AWS managed key `aws/s3`.
    pub kms_key: Option<Attr<String>>,
}

/// An S3 bucket with everything joined to it (AWS provider v4+ splits these into separate resources).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bucket {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The bucket name; unknown when generated.
    pub name: Attr<String>,
    /// The canned ACL (`private` when unset).
    pub acl: Attr<String>,
    /// Explicit ACL grants.
    pub grants: Vec<Grant>,
    /// Bucket-level Block Public Access; known `None` when none is configured.
    pub public_access_block: Attr<Option<PublicAccessBlock>>,
    /// The bucket policy; known `None` when there is none.
    pub policy: Attr<Option<PolicyDocument>>,
    /// Default encryption configuration; known `None` when none is configured (S3 still applies
    /// SSE-S3 to new objects since January 2023).
    pub encryption: Attr<Option<Encryption>>,
    /// Versioning enabled (not suspended, not never-enabled).
    pub versioning: Attr<bool>,
    /// MFA Delete enabled.
    pub mfa_delete: Attr<bool>,
    /// Server access logging configured (a target bucket is named).
    pub logging: Attr<bool>,
}

/// The account-level Block Public Access settings (`aws_s3_account_public_access_block`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountPublicAccessBlock {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The four switches.
    pub settings: PublicAccessBlock,
}

/// Canned ACLs that grant access to everyone or to any AWS account.
pub const PUBLIC_CANNED_ACLS: [&str; 3] =
    ["public-read", "public-read-write", "authenticated-read"];

/// The ACL group URIs that mean everyone (anonymous) and any authenticated AWS account.
pub const PUBLIC_GRANTEE_URIS: [&str; 2] = [
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
];
