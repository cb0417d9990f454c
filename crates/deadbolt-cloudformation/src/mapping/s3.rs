//! S3: `AWS::S3::Bucket` (its encryption, versioning, logging and Block Public Access are
//! properties) and `AWS::S3::BucketPolicy`.

use deadbolt_model::Settings as _;
use deadbolt_model::aws::s3::{Bucket, Encryption, PublicAccessBlock};
use deadbolt_model::{Attr, Model};

use super::{Res, join, kebab};
use crate::props::Props;

pub(super) fn primary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::S3::Bucket" {
        return false;
    }
    let p = &r.props;
    let pab = p.nested("PublicAccessBlockConfiguration");
    let public_access_block = if p.has("PublicAccessBlockConfiguration") {
        Attr::set(
            Some(PublicAccessBlock {
                block_public_acls: pab.bool("BlockPublicAcls", false),
                block_public_policy: pab.bool("BlockPublicPolicy", false),
                ignore_public_acls: pab.bool("IgnorePublicAcls", false),
                restrict_public_buckets: pab.bool("RestrictPublicBuckets", false),
            }),
            p.span_for("PublicAccessBlockConfiguration"),
        )
    } else {
        Attr::default(None, p.span())
    };
    let encryption = if p.has("BucketEncryption") {
        Attr::set(
            Some(encryption_of(p.nested("BucketEncryption"))),
            p.span_for("BucketEncryption"),
        )
    } else {
        Attr::default(None, p.span())
    };
    let versioning = p
        .nested("VersioningConfiguration")
        .string("Status", "Disabled")
        .map(|s| s == "Enabled");
    let versioning = if p.has("VersioningConfiguration") {
        versioning
    } else {
        Attr::default(false, p.span())
    };
    let logging = if p.has("LoggingConfiguration") {
        Attr::set(true, p.span_for("LoggingConfiguration"))
    } else {
        Attr::default(false, p.span())
    };
    model.push(Bucket {
        meta: r.meta.clone(),
        name: p.string("BucketName", ""),
        acl: p.string("AccessControl", "Private").map(|a| kebab(&a)),
        grants: Vec::new(),
        public_access_block,
        policy: Attr::default(None, p.span()),
        encryption,
        versioning,
        // CloudFormation cannot enable MFA Delete (only the root user can, through the API).
        mfa_delete: Attr::default(false, p.span()),
        logging,
    });
    true
}

pub(super) fn secondary(r: &Res<'_>, model: &mut Model) -> bool {
    if r.kind != "AWS::S3::BucketPolicy" {
        return false;
    }
    let p = &r.props;
    let policy = p.policy("PolicyDocument");
    let targets = p.references_in("Bucket");
    let name = p.string("Bucket", "");
    join::<Bucket>(
        model,
        &targets,
        name.known().map(String::as_str),
        |b| &b.meta,
        |b| b.name.known().map(String::as_str),
        |b| b.policy = policy,
    );
    // Kept as a resource of its own too, so it counts as scanned.
    model.push(deadbolt_model::OtherResource {
        meta: r.meta.clone(),
    });
    true
}

fn encryption_of(enc: Props<'_>) -> Encryption {
    let rule = enc
        .list("ServerSideEncryptionConfiguration")
        .into_iter()
        .next();
    let default = rule.map(|r| r.nested("ServerSideEncryptionByDefault"));
    match default {
        Some(d) if d.node.is_some() => {
            let key = d.reference("KMSMasterKeyID");
            let kms_key = match key.known() {
                Some(None) => None,
                _ => Some(key.map(Option::unwrap_or_default)),
            };
            Encryption {
                algorithm: d.string("SSEAlgorithm", ""),
                kms_key,
            }
        }
        _ => Encryption {
            algorithm: Attr::default(String::new(), enc.span()),
            kms_key: None,
        },
    }
}
