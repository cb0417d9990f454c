//! Amazon S3 rules.

use crate::rule::Rule;

mod access_block;
mod access_logging_disabled;
mod block_public_acls;
mod block_public_policy;
mod ignore_public_acls;
mod mfa_delete_disabled;
mod no_default_encryption;
mod no_kms_cmk;
mod no_public_access_block;
mod no_tls_only_policy;
mod public_acl;
mod public_policy;
mod restrict_public_buckets;
mod versioning_disabled;

/// The rules of this service.
pub(crate) const RULES: &[&dyn Rule] = &[
    &public_acl::BucketPublicAcl,
    &public_policy::BucketPublicPolicy,
    &no_public_access_block::BucketNoPublicAccessBlock,
    &block_public_acls::PabBlockPublicAcls,
    &block_public_policy::PabBlockPublicPolicy,
    &ignore_public_acls::PabIgnorePublicAcls,
    &restrict_public_buckets::PabRestrictPublicBuckets,
    &no_default_encryption::BucketNoDefaultEncryption,
    &no_kms_cmk::BucketNoKmsCmk,
    &versioning_disabled::BucketVersioningDisabled,
    &access_logging_disabled::BucketAccessLoggingDisabled,
    &no_tls_only_policy::BucketNoTlsOnlyPolicy,
    &mfa_delete_disabled::BucketMfaDeleteDisabled,
];
