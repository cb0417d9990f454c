//! S3 buckets and the account's Block Public Access.
//!
//! Reads `s3:ListBuckets` (which buckets exist), per bucket `GetBucketLocation` (its region: the
//! primary [`Location`]), `GetBucketAcl` (`grants`; live buckets have no canned ACL, so `acl` is
//! the default `private` and the grants decide), `GetPublicAccessBlock`, `GetBucketPolicy`,
//! `GetBucketEncryption`, `GetBucketVersioning` (`versioning`, `mfa_delete`), `GetBucketLogging`
//! and `GetBucketReplication` (replica [`Location`]s), and `s3control:GetPublicAccessBlock` (the
//! [`AccountPublicAccessBlock`]). `GetBucketPolicyStatus` has no model field: the rules judge the
//! policy itself.

use deadbolt_model::aws::iam::PolicyDocument;
use deadbolt_model::aws::s3::{
    AccountPublicAccessBlock, Bucket, Encryption, Grant, PublicAccessBlock,
};
use deadbolt_model::{Attr, Location, LocationRole, Span, Unknown};
use serde_json::Value;

use super::resource::{meta, required};
use super::{Context, Lookup, attr, lookup, span_of};
use crate::format::Call;
use crate::json::{boolean, list, path, text};

/// Reads every bucket `ListBuckets` listed, then the account-level Block Public Access.
pub(super) fn normalise(cx: &mut Context<'_>) {
    let mut names: Vec<(String, &Call)> = Vec::new();
    for call in cx.calls.all("s3", "ListBuckets") {
        let Some(response) = cx.listing(call) else {
            continue;
        };
        for bucket in list(path(response, &["Buckets", "Bucket"])) {
            if let Some(name) = required(cx, call, bucket, "Name")
                && !names.iter().any(|(n, _)| *n == name)
            {
                names.push((name, call));
            }
        }
    }
    for (name, listed_by) in &names {
        let bucket = bucket(cx, name, listed_by);
        cx.model.push(bucket);
    }
    account_block(cx);
}

/// Error codes meaning "this bucket has none".
const NO_POLICY: &[&str] = &["NoSuchBucketPolicy"];
const NO_BLOCK: &[&str] = &["NoSuchPublicAccessBlockConfiguration"];
const NO_ENCRYPTION: &[&str] = &["ServerSideEncryptionConfigurationNotFoundError"];
const NO_REPLICATION: &[&str] = &["ReplicationConfigurationNotFoundError"];

fn bucket(cx: &mut Context<'_>, name: &str, listed_by: &Call) -> Bucket {
    let calls = cx.calls;
    let span = span_of(listed_by);
    let get = |operation: &str, absent: &[&str]| {
        lookup(calls, "s3", operation, &[("Bucket", name)], absent, &span)
    };

    let mut locations = vec![Location {
        region: bucket_region(cx, &get("GetBucketLocation", &[])),
        role: LocationRole::Primary,
    }];
    locations.extend(replicas(cx, &get("GetBucketReplication", NO_REPLICATION)));

    let acl_lookup = get("GetBucketAcl", &[]);
    let acl = attr(&acl_lookup, String::new(), "private".to_string(), |_| None);
    let grants = match &acl_lookup {
        Lookup::Found(call, response) => grants(cx, call, response),
        _ => Vec::new(),
    };

    let public_access_block = match get("GetPublicAccessBlock", NO_BLOCK) {
        Lookup::Found(call, response) => {
            Attr::set(Some(switches(response, &span_of(call))), span_of(call))
        }
        other => attr(&other, None, None, |_| None),
    };

    let policy = match get("GetBucketPolicy", NO_POLICY) {
        Lookup::Found(call, response) => match policy_document(response) {
            Ok(document) => Attr::set(Some(document), span_of(call)),
            Err(error) => {
                cx.malformed(call, &format!("the bucket policy does not parse: {error}"));
                Attr::unknown(
                    Unknown::new(format!(
                        "the policy s3:GetBucketPolicy returned does not parse: {error}"
                    )),
                    span_of(call),
                )
            }
        },
        other => attr(&other, None, None, |_| None),
    };

    let encryption_lookup = get("GetBucketEncryption", NO_ENCRYPTION);
    let encryption = attr(&encryption_lookup, None, None, |response| {
        let span = found_span(&encryption_lookup)?;
        Some(Some(encryption(response, span)))
    });

    let versioning_lookup = get("GetBucketVersioning", &[]);
    let versioning = attr(&versioning_lookup, false, false, |v| {
        text(v.get("Status")).map(|s| s == "Enabled")
    });
    let mfa_delete = attr(&versioning_lookup, false, false, |v| {
        text(v.get("MfaDelete")).map(|s| s == "Enabled")
    });
    let logging = attr(&get("GetBucketLogging", &[]), false, false, |v| {
        v.get("LoggingEnabled")
            .map(|enabled| text(enabled.get("TargetBucket")).is_some_and(|t| !t.is_empty()))
    });

    Bucket {
        meta: meta(
            format!("arn:{}:s3:::{name}", cx.partition()),
            "AWS::S3::Bucket",
            span.clone(),
            locations,
        ),
        name: Attr::set(name.to_string(), span),
        acl,
        grants,
        public_access_block,
        policy,
        encryption,
        versioning,
        mfa_delete,
        logging,
    }
}

/// The span of a lookup's call when it answered.
fn found_span(lookup: &Lookup<'_>) -> Option<Span> {
    match lookup {
        Lookup::Found(call, _) => Some(span_of(call)),
        _ => None,
    }
}

/// The region `GetBucketLocation` names: an empty `LocationConstraint` is us-east-1 and the legacy
/// `EU` is eu-west-1 (S3 API Reference, GetBucketLocation).
fn bucket_region(cx: &mut Context<'_>, lookup: &Lookup<'_>) -> Attr<String> {
    match lookup {
        Lookup::Found(call, response) => {
            // The XML root `LocationConstraint` is dropped, so the body is its text; an element
            // with attributes keeps it in `#text`.
            let constraint = match response {
                Value::Object(_) => {
                    text(response.get("#text")).or_else(|| text(response.get("LocationConstraint")))
                }
                other => text(Some(other)),
            };
            let Some(constraint) = constraint else {
                cx.malformed(call, "no LocationConstraint");
                return Attr::unknown(
                    Unknown::new("s3:GetBucketLocation returned no LocationConstraint"),
                    span_of(call),
                );
            };
            Attr::set(crate::bucket_region(Some(&constraint)), span_of(call))
        }
        Lookup::None(call) => Attr::unknown(
            Unknown::new("s3:GetBucketLocation gave no region"),
            span_of(call),
        ),
        Lookup::Unknown(reason, span) => Attr::unknown(reason.clone(), span.clone()),
    }
}

fn grants(cx: &mut Context<'_>, call: &Call, response: &Value) -> Vec<Grant> {
    let span = span_of(call);
    let mut out = Vec::new();
    for grant in list(path(response, &["AccessControlList", "Grant"])) {
        let grantee = grant.get("Grantee");
        let who = ["URI", "ID", "EmailAddress"]
            .iter()
            .find_map(|k| text(grantee.and_then(|g| g.get(*k))));
        let (Some(who), Some(permission)) = (who, text(grant.get("Permission"))) else {
            cx.malformed(call, "an ACL grant has no grantee or permission");
            continue;
        };
        out.push(Grant {
            grantee: Attr::set(who, span.clone()),
            permission: Attr::set(permission, span.clone()),
        });
    }
    out
}

/// The four switches of a `PublicAccessBlockConfiguration`; a missing one is off.
fn switches(response: &Value, span: &Span) -> PublicAccessBlock {
    let switch = |name: &str| match boolean(response.get(name)) {
        Some(on) => Attr::set(on, span.clone()),
        None => Attr::default(false, span.clone()),
    };
    PublicAccessBlock {
        block_public_acls: switch("BlockPublicAcls"),
        block_public_policy: switch("BlockPublicPolicy"),
        ignore_public_acls: switch("IgnorePublicAcls"),
        restrict_public_buckets: switch("RestrictPublicBuckets"),
    }
}

/// A policy document returned as JSON, or as the JSON text when the body was kept as a string.
pub(super) fn policy_document(response: &Value) -> Result<PolicyDocument, String> {
    let text = match response {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    PolicyDocument::from_json_str(&text).map_err(|e| e.to_string())
}

/// The first rule's default encryption (a bucket has one rule in practice).
fn encryption(response: &Value, span: Span) -> Encryption {
    let default = list(response.get("Rule"))
        .into_iter()
        .find_map(|rule| rule.get("ApplyServerSideEncryptionByDefault"));
    let algorithm = text(default.and_then(|d| d.get("SSEAlgorithm")));
    let kms_key = text(default.and_then(|d| d.get("KMSMasterKeyID"))).filter(|k| !k.is_empty());
    Encryption {
        algorithm: match algorithm {
            Some(a) => Attr::set(a, span.clone()),
            None => Attr::default(String::new(), span.clone()),
        },
        kms_key: kms_key.map(|k| Attr::set(k, span)),
    }
}

/// The regions replication rules copy to: a destination bucket of this snapshot has its region;
/// another account's bucket is an unknown region.
fn replicas(cx: &mut Context<'_>, lookup: &Lookup<'_>) -> Vec<Location> {
    let (call, response) = match lookup {
        Lookup::Found(call, response) => (*call, *response),
        Lookup::None(_) => return Vec::new(),
        Lookup::Unknown(reason, span) => {
            return vec![Location {
                region: Attr::unknown(reason.clone(), span.clone()),
                role: LocationRole::Replica,
            }];
        }
    };
    let mut out = Vec::new();
    for rule in list(response.get("Rule")) {
        if text(rule.get("Status")).as_deref() != Some("Enabled") {
            continue;
        }
        let Some(destination) = text(path(rule, &["Destination", "Bucket"])) else {
            cx.malformed(call, "a replication rule has no Destination.Bucket");
            continue;
        };
        let name = destination
            .rsplit(":::")
            .next()
            .unwrap_or(&destination)
            .to_string();
        let fallback = span_of(call);
        let region = match lookup_location(cx, &name, &fallback) {
            Some(region) => region,
            None => Attr::unknown(
                Unknown::new(format!(
                    "the replication destination bucket `{name}` is not in the snapshot"
                )),
                fallback,
            ),
        };
        out.push(Location {
            region,
            role: LocationRole::Replica,
        });
    }
    out
}

fn lookup_location(cx: &mut Context<'_>, bucket: &str, fallback: &Span) -> Option<Attr<String>> {
    let calls = cx.calls;
    calls.find("s3", "GetBucketLocation", &[("Bucket", bucket)])?;
    let found = lookup(
        calls,
        "s3",
        "GetBucketLocation",
        &[("Bucket", bucket)],
        &[],
        fallback,
    );
    Some(bucket_region(cx, &found))
}

/// The account's Block Public Access (`s3control:GetPublicAccessBlock`): always pushed, since
/// every account has the setting; an account that never set it has all four switches off.
fn account_block(cx: &mut Context<'_>) {
    let address = format!(
        "arn:{}:s3::{}:account-public-access-block",
        cx.partition(),
        cx.account()
    );
    let home = cx.snapshot.regions.first().cloned().unwrap_or_default();
    let fallback = super::live_span(format!("aws://{home}/s3control"));
    // One call per account; its parameters (the account ID) identify nothing more.
    let found = lookup(
        cx.calls,
        "s3control",
        "GetPublicAccessBlock",
        &[],
        NO_BLOCK,
        &fallback,
    );
    let (settings, span) = match &found {
        Lookup::Found(call, response) => {
            // The S3 Control body keeps the configuration under its element name.
            let config = response
                .get("PublicAccessBlockConfiguration")
                .unwrap_or(response);
            (switches(config, &span_of(call)), span_of(call))
        }
        Lookup::None(call) => {
            let span = span_of(call);
            let off = || Attr::default(false, span.clone());
            (
                PublicAccessBlock {
                    block_public_acls: off(),
                    block_public_policy: off(),
                    ignore_public_acls: off(),
                    restrict_public_buckets: off(),
                },
                span.clone(),
            )
        }
        Lookup::Unknown(reason, span) => {
            let unknown = || Attr::unknown(reason.clone(), span.clone());
            (
                PublicAccessBlock {
                    block_public_acls: unknown(),
                    block_public_policy: unknown(),
                    ignore_public_acls: unknown(),
                    restrict_public_buckets: unknown(),
                },
                span.clone(),
            )
        }
    };
    cx.model.push(AccountPublicAccessBlock {
        meta: meta(
            address,
            "AWS::S3::AccountPublicAccessBlock",
            span,
            Vec::new(),
        ),
        settings,
    });
}
