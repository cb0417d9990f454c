//! S3: `aws_s3_bucket` and the split resources the AWS provider v4+ introduced.

use deadbolt_model::Attr;
use deadbolt_model::Settings as _;
use deadbolt_model::aws::s3::{
    AccountPublicAccessBlock, Bucket, Encryption, Grant, PublicAccessBlock,
};

use crate::evaluated::{EvalBody, EvaluatedResource};
use crate::mapping::{Joined, MapContext, meta};

use super::policy::policy_attr;

/// Maps `aws_s3_bucket` (with its legacy inline blocks) and `aws_s3_account_public_access_block`.
pub(super) fn map_primary(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    match res.resource_type.as_str() {
        "aws_s3_bucket" => {
            let encryption = match body.block("server_side_encryption_configuration") {
                Some(sse) => Attr::set(Some(encryption_of(sse)), sse.span.clone()),
                None => Attr::default(None, body.span.clone()),
            };
            let versioning = match body.block("versioning") {
                Some(v) => v.bool("enabled", false),
                None => Attr::default(false, body.span.clone()),
            };
            let mfa_delete = match body.block("versioning") {
                Some(v) => v.bool("mfa_delete", false),
                None => Attr::default(false, body.span.clone()),
            };
            let logging = match body.block("logging") {
                Some(l) => Attr::set(true, l.span.clone()),
                None => Attr::default(false, body.span.clone()),
            };
            cx.model.push(Bucket {
                meta: meta(res),
                name: body.string("bucket", ""),
                acl: body.string("acl", "private"),
                grants: body.blocks("grant").flat_map(grants_of).collect(),
                public_access_block: Attr::default(None, body.span.clone()),
                policy: policy_attr(body, "policy"),
                encryption,
                versioning,
                mfa_delete,
                logging,
            });
            true
        }
        "aws_s3_account_public_access_block" => {
            cx.model.push(AccountPublicAccessBlock {
                meta: meta(res),
                settings: pab_of(body),
            });
            true
        }
        _ => false,
    }
}

/// Joins `aws_s3_bucket_{acl,public_access_block,server_side_encryption_configuration,versioning,
/// logging,policy}` into their bucket.
pub(super) fn map_split(res: &EvaluatedResource, cx: &mut MapContext) -> bool {
    let body = &res.body;
    let kind: &'static str = match res.resource_type.as_str() {
        "aws_s3_bucket_acl" => "aws_s3_bucket_acl",
        "aws_s3_bucket_public_access_block" => "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration" => {
            "aws_s3_bucket_server_side_encryption_configuration"
        }
        "aws_s3_bucket_versioning" => "aws_s3_bucket_versioning",
        "aws_s3_bucket_logging" => "aws_s3_bucket_logging",
        "aws_s3_bucket_policy" => "aws_s3_bucket_policy",
        _ => return false,
    };
    let apply: Box<dyn Fn(&mut Bucket)> = match kind {
        "aws_s3_bucket_acl" => {
            let acl = body.opt_string("acl");
            let grants: Vec<Grant> = body
                .blocks("access_control_policy")
                .flat_map(|p| p.blocks("grant").flat_map(grants_of).collect::<Vec<_>>())
                .collect();
            Box::new(move |b: &mut Bucket| {
                match acl.known() {
                    Some(Some(a)) => b.acl = Attr::set(a.clone(), acl.span.clone()),
                    Some(None) => {}
                    None => b.acl = acl.clone().map(|a| a.unwrap_or_default()),
                }
                b.grants.extend(grants.iter().cloned());
            })
        }
        "aws_s3_bucket_public_access_block" => {
            let pab = pab_of(body);
            let span = body.span.clone();
            Box::new(move |b: &mut Bucket| {
                b.public_access_block = Attr::set(Some(pab.clone()), span.clone());
            })
        }
        "aws_s3_bucket_server_side_encryption_configuration" => {
            let enc = encryption_of(body);
            let span = body.span.clone();
            Box::new(move |b: &mut Bucket| {
                b.encryption = Attr::set(Some(enc.clone()), span.clone())
            })
        }
        "aws_s3_bucket_versioning" => {
            let cfg = body.block("versioning_configuration");
            let status = match cfg {
                Some(c) => c.string("status", "Disabled"),
                None => Attr::default("Disabled".to_string(), body.span.clone()),
            };
            let mfa = match cfg {
                Some(c) => c.string("mfa_delete", "Disabled"),
                None => Attr::default("Disabled".to_string(), body.span.clone()),
            };
            Box::new(move |b: &mut Bucket| {
                b.versioning = status.clone().map(|s| s == "Enabled");
                b.mfa_delete = mfa.clone().map(|s| s == "Enabled");
            })
        }
        "aws_s3_bucket_logging" => {
            let target = body.reference("target_bucket");
            Box::new(move |b: &mut Bucket| b.logging = target.clone().map(|t| t.is_some()))
        }
        "aws_s3_bucket_policy" => {
            let policy = policy_attr(body, "policy");
            Box::new(move |b: &mut Bucket| b.policy = policy.clone())
        }
        _ => unreachable!("matched above"),
    };
    let joined = cx.join::<Bucket, _>(
        body.attr("bucket"),
        |b| b.name.known().map(String::as_str),
        |b| &b.meta,
        |b| apply(b),
    );
    if let Joined::Unresolved(reason) = joined {
        cx.unresolved.push((kind, reason));
    }
    // The split resource is also kept as a resource of its own, so it counts as scanned.
    cx.model
        .push(deadbolt_model::OtherResource { meta: meta(res) });
    true
}

/// A bucket whose Block Public Access or policy might be set by a split resource deadbolt could not
/// attach cannot be judged absent: make those attributes unknown.
pub(super) fn finish(cx: &mut MapContext) {
    let reason_for = |kind: &str| cx.unresolved_reason(kind, "bucket");
    let pab = reason_for("aws_s3_bucket_public_access_block");
    let enc = reason_for("aws_s3_bucket_server_side_encryption_configuration");
    let ver = reason_for("aws_s3_bucket_versioning");
    let log = reason_for("aws_s3_bucket_logging");
    let pol = reason_for("aws_s3_bucket_policy");
    let acl = reason_for("aws_s3_bucket_acl");
    for b in cx.model.all_mut::<Bucket>() {
        if let Some(r) = &acl
            && !b.acl.explicit
        {
            b.acl = Attr::unknown(r.clone(), b.meta.span.clone());
        }
        if let Some(r) = &pab
            && !b.public_access_block.explicit
        {
            b.public_access_block = Attr::unknown(r.clone(), b.meta.span.clone());
        }
        if let Some(r) = &enc
            && !b.encryption.explicit
        {
            b.encryption = Attr::unknown(r.clone(), b.meta.span.clone());
        }
        if let Some(r) = &ver
            && !b.versioning.explicit
        {
            b.versioning = Attr::unknown(r.clone(), b.meta.span.clone());
            b.mfa_delete = Attr::unknown(r.clone(), b.meta.span.clone());
        }
        if let Some(r) = &log
            && !b.logging.explicit
        {
            b.logging = Attr::unknown(r.clone(), b.meta.span.clone());
        }
        if let Some(r) = &pol
            && !b.policy.explicit
        {
            b.policy = Attr::unknown(r.clone(), b.meta.span.clone());
        }
    }
}

fn pab_of(body: &EvalBody) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: body.bool("block_public_acls", false),
        block_public_policy: body.bool("block_public_policy", false),
        ignore_public_acls: body.bool("ignore_public_acls", false),
        restrict_public_buckets: body.bool("restrict_public_buckets", false),
    }
}

fn encryption_of(sse: &EvalBody) -> Encryption {
    let default = sse
        .block("rule")
        .and_then(|r| r.block("apply_server_side_encryption_by_default"));
    match default {
        Some(d) => {
            let key = d.reference("kms_master_key_id");
            let kms_key = match key.known() {
                Some(None) => None,
                _ => Some(key.map(Option::unwrap_or_default)),
            };
            Encryption {
                algorithm: d.string("sse_algorithm", ""),
                kms_key,
            }
        }
        None => Encryption {
            algorithm: Attr::default(String::new(), sse.span.clone()),
            kms_key: None,
        },
    }
}

fn grants_of(grant: &EvalBody) -> Vec<Grant> {
    // Legacy inline grant: `uri` + `permissions` list. Split resource: `grantee { uri }` +
    // `permission`.
    let grantee = match grant.block("grantee") {
        Some(g) if g.attr("uri").is_some() => g.string("uri", ""),
        Some(g) => g.string("id", ""),
        None if grant.attr("uri").is_some() => grant.string("uri", ""),
        None => grant.string("id", ""),
    };
    if grant.attr("permissions").is_some() {
        let perms = grant.strings("permissions");
        match perms.known() {
            Some(list) => list
                .iter()
                .map(|p| Grant {
                    grantee: grantee.clone(),
                    permission: Attr::set(p.clone(), perms.span.clone()),
                })
                .collect(),
            None => vec![Grant {
                grantee,
                permission: perms.map(|_| String::new()),
            }],
        }
    } else {
        vec![Grant {
            grantee,
            permission: grant.string("permission", ""),
        }]
    }
}
