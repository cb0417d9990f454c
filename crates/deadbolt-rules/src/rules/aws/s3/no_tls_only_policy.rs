use deadbolt_model::aws::iam::{Effect, Statement, Text};
use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, State, Unknown};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket whose policy does not refuse plain-HTTP requests: there is no bucket policy, or
    /// no statement in it that denies everyone (`"Principal": "*"`) at least `s3:GetObject` and
    /// `s3:PutObject` (normally `s3:*`) when `aws:SecureTransport` is `false`.
    ///
    /// ## Why it matters
    /// S3 answers on both HTTP and HTTPS. Over HTTP, object contents, keys and signed headers cross
    /// the network in clear text and can be read or altered on the way. S3 has no switch to turn
    /// HTTP off; only a bucket policy can, and it must be a `Deny`, because an `Allow` with the
    /// condition is overridden by any other grant.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "claims" {
    ///   bucket = "agency-claims"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "claims" {
    ///   bucket = "claims-example"
    /// }
    ///
    /// resource "aws_s3_bucket_policy" "claims" {
    ///   bucket = aws_s3_bucket.claims.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Sid       = "DenyInsecureTransport"
    ///       Effect    = "Deny"
    ///       Principal = "*"
    ///       Action    = "s3:*"
    ///       Resource  = [aws_s3_bucket.claims.arn, "${aws_s3_bucket.claims.arn}/*"]
    ///       Condition = { Bool = { "aws:SecureTransport" = "false" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Add a bucket policy statement that denies `s3:*` to `*` on the bucket and its objects when
    /// `aws:SecureTransport` is `false` (optionally also when `s3:TlsVersion` is below 1.2).
    ///
    /// ## References
    /// - Checkov has no equivalent: CKV_AWS_379 looks at TLS only on buckets with a public ACL.
    /// - CIS AWS Foundations Benchmark v3.0.0, 2.1.1 (deny HTTP requests)
    /// - NIST CSF 2.0 PR.DS-02; NIST SP 800-53 SC-8(1)
    /// - AWS S3 User Guide, "Security best practices for Amazon S3" (enforce encryption of data in
    ///   transit)
    pub(crate) struct BucketNoTlsOnlyPolicy;
    id: "AWS-S3-012",
    name: "s3-bucket-no-tls-only-policy",
    title: "S3 bucket policy does not deny requests over plain HTTP",
    severity: Severity::Medium,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Add a bucket policy statement denying `s3:*` to everyone when `aws:SecureTransport` is `false`.",
    references: References {
        cis_aws_v3: &["2.1.1"],
        nist_csf_2: &["PR.DS-02"],
        nist_800_53: &["SC-8(1)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

/// Whether the statement denies reads and writes to everyone over plain HTTP; the reason when
/// unknown values decide it.
fn denies_plain_http(statement: &Statement) -> Result<bool, Unknown> {
    match statement.effect {
        Some(Effect::Deny) => {}
        Some(Effect::Allow) => return Ok(false),
        None => return Err(Unknown::new("a statement's `Effect` is unknown")),
    }
    let insecure = statement.conditions.iter().find(|c| {
        c.key.eq_ignore_ascii_case("aws:SecureTransport")
            && (c.operator.eq_ignore_ascii_case("Bool")
                || c.operator.eq_ignore_ascii_case("BoolIfExists"))
    });
    let Some(condition) = insecure else {
        return Ok(false);
    };
    if let Some(Text::Unknown(reason)) = condition
        .values
        .iter()
        .find(|v| matches!(v, Text::Unknown(_)))
    {
        return Err(reason.clone());
    }
    if !condition
        .values
        .iter()
        .any(|v| v.known().is_some_and(|v| v.eq_ignore_ascii_case("false")))
    {
        return Ok(false);
    }
    let everyone = statement.principal.as_ref().is_some_and(|p| p.is_anyone());
    if !everyone {
        return match statement.principal.as_ref().and_then(|p| {
            p.entries.iter().find_map(|(_, v)| match v {
                Text::Unknown(u) => Some(u),
                Text::Known(_) => None,
            })
        }) {
            Some(reason) => Err(reason.clone()),
            None => Ok(false),
        };
    }
    match (
        statement.action.covers("s3:GetObject"),
        statement.action.covers("s3:PutObject"),
    ) {
        (Some(true), Some(true)) => Ok(true),
        (Some(false), _) | (_, Some(false)) => Ok(false),
        _ => Err(statement
            .action
            .first_unknown()
            .cloned()
            .unwrap_or_else(|| Unknown::new("the actions of the HTTP deny statement are unknown"))),
    }
}

impl Rule for BucketNoTlsOnlyPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            let policy = match &bucket.policy.state {
                State::Unknown(reason) => {
                    checks.not_evaluated(&bucket.meta, reason);
                    continue;
                }
                State::Known(None) => {
                    checks.fail(
                        &bucket.meta,
                        &bucket.policy.span,
                        "no bucket policy, so requests over plain HTTP are allowed",
                    );
                    continue;
                }
                State::Known(Some(policy)) => policy,
            };
            let mut undecided = policy.unknown_statements.clone();
            let mut denied = false;
            for statement in &policy.statements {
                match denies_plain_http(statement) {
                    Ok(true) => denied = true,
                    Ok(false) => {}
                    Err(reason) => {
                        undecided.get_or_insert(reason);
                    }
                }
            }
            match (denied, undecided) {
                (true, _) => checks.pass(&bucket.meta),
                (false, Some(reason)) => checks.not_evaluated(&bucket.meta, &reason),
                (false, None) => checks.fail(
                    &bucket.meta,
                    &bucket.policy.span,
                    "the bucket policy does not deny reads and writes to everyone when `aws:SecureTransport` is `false`",
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use deadbolt_model::aws::iam::PolicyDocument;

    use super::denies_plain_http;

    fn denies(statement: &str) -> bool {
        let doc = PolicyDocument::from_json_str(&format!(r#"{{"Statement":[{statement}]}}"#))
            .expect("test policy is valid");
        denies_plain_http(&doc.statements[0]).expect("no unknowns")
    }

    #[test]
    fn recognises_the_standard_deny() {
        assert!(denies(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#
        ));
        assert!(denies(
            r#"{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"*","Condition":{"Bool":{"aws:securetransport":false}}}"#
        ));
    }

    #[test]
    fn rejects_partial_or_misdirected_statements() {
        // An Allow on TLS only is overridden by any other grant.
        assert!(!denies(
            r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#
        ));
        // Deletes only.
        assert!(!denies(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#
        ));
        // One role only.
        assert!(!denies(
            r#"{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}"#
        ));
        // Denies HTTPS instead.
        assert!(!denies(
            r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#
        ));
    }
}
