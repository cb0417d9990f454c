use deadbolt_model::aws::iam::{Condition, Effect, Statement, Text};
use deadbolt_model::aws::s3::Bucket;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity, State, Unknown};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An S3 bucket policy with an `Allow` statement for everyone — `"Principal": "*"`,
    /// `"Principal": {"AWS": "*"}`, or a `NotPrincipal` — that no condition narrows to a network,
    /// an organization, an account or a source resource. Conditions that narrow are equality or
    /// match tests (not `...Not...`, `...IfExists` or `ForAllValues:`) with a concrete value on
    /// `aws:SourceVpce`, `aws:SourceVpc`, `aws:SourceIp` (not `0.0.0.0/0` or `::/0`),
    /// `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`,
    /// `s3:DataAccessPointAccount` or `s3:DataAccessPointArn`.
    ///
    /// ## Why it matters
    /// Such a statement opens the granted actions to anyone on the internet, anonymous requests
    /// included: read access leaks every object, write access lets strangers plant or overwrite
    /// content (and run up the bill). A condition such as `aws:SecureTransport` does not narrow
    /// who may ask, only how.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_s3_bucket" "site" {
    ///   bucket = "site-example"
    /// }
    ///
    /// resource "aws_s3_bucket_policy" "site" {
    ///   bucket = aws_s3_bucket.site.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "s3:GetObject"
    ///       Resource  = "${aws_s3_bucket.site.arn}/*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_s3_bucket" "site" {
    ///   bucket = "site-example"
    /// }
    ///
    /// resource "aws_s3_bucket_policy" "site" {
    ///   bucket = aws_s3_bucket.site.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "s3:GetObject"
    ///       Resource  = "${aws_s3_bucket.site.arn}/*"
    ///       Condition = { StringEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f60718" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the principals that need access (roles, accounts, the `cloudfront.amazonaws.com`
    /// service with an `aws:SourceArn` condition for a CloudFront origin), or add a condition that
    /// pins the source (`aws:SourceVpce`, `aws:PrincipalOrgID`). Keep Block Public Access on so S3
    /// refuses such a policy.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-05, PR.DS-01; NIST SP 800-53 AC-3, AC-6
    /// - AWS S3 User Guide, "Bucket policies for Amazon S3" and "The meaning of public"
    pub(crate) struct BucketPublicPolicy;
    id: "AWS-S3-002",
    name: "s3-bucket-policy-public",
    title: "S3 bucket policy allows access to everyone",
    severity: Severity::High,
    layer: Layer::DataProtection,
    service_models: &[ServiceModel::Paas],
    provider: Provider::Aws,
    service: "s3",
    fix: "Grant the bucket policy to named principals, or narrow `Principal: \"*\"` with a condition on the source VPC endpoint, organization or account.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-05", "PR.DS-01"],
        nist_800_53: &["AC-3", "AC-6"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_70"], trivy: &[] },
}

/// Condition keys that, tested for equality with a concrete value, limit who can use a statement.
const NARROWING_KEYS: [&str; 13] = [
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceip",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "s3:dataaccesspointaccount",
    "s3:dataaccesspointarn",
];

/// Values that match every request, so a condition on them narrows nothing.
const MATCH_ALL: [&str; 3] = ["*", "0.0.0.0/0", "::/0"];

/// Whether one condition narrows the statement; the reason when it would, but a value is unknown
/// (the value could be `*`).
fn narrows(condition: &Condition) -> Result<bool, Unknown> {
    let operator = condition.operator.to_ascii_lowercase();
    // A missing key satisfies `...IfExists` and `ForAllValues:`, and a negated operator admits
    // everyone except the named values: none of these keeps out an anonymous caller.
    if operator.contains("not")
        || operator.ends_with("ifexists")
        || operator.starts_with("forallvalues:")
        || operator == "null"
        || !NARROWING_KEYS.contains(&condition.key.to_ascii_lowercase().as_str())
        || condition.values.is_empty()
    {
        return Ok(false);
    }
    let mut unknown = None;
    for value in &condition.values {
        match value {
            Text::Known(v) if MATCH_ALL.contains(&v.as_str()) => return Ok(false),
            Text::Known(_) => {}
            Text::Unknown(reason) => unknown = Some(reason),
        }
    }
    match unknown {
        Some(reason) => Err(reason.clone()),
        None => Ok(true),
    }
}

/// Who one statement opens the bucket to: `Ok(Some(who))` when it allows everyone with no
/// narrowing condition, `Ok(None)` when it does not, `Err(reason)` when unknown values decide it.
fn public_grant(statement: &Statement) -> Result<Option<&'static str>, Unknown> {
    if statement.effect == Some(Effect::Deny) {
        return Ok(None);
    }
    let who = if statement.not_principal.is_some() {
        "everyone outside `NotPrincipal`"
    } else if let Some(principal) = &statement.principal {
        if principal.is_anyone() {
            "everyone (`*`)"
        } else if let Some(Text::Unknown(reason)) = principal
            .entries
            .iter()
            .map(|(_, v)| v)
            .find(|v| matches!(v, Text::Unknown(_)))
        {
            return Err(reason.clone());
        } else {
            return Ok(None);
        }
    } else {
        return Ok(None);
    };
    if statement.effect.is_none() {
        return Err(Unknown::new(
            "a statement open to everyone has an unknown `Effect`",
        ));
    }
    let mut undecided = statement.conditions_unknown.clone();
    for condition in &statement.conditions {
        match narrows(condition) {
            Ok(true) => return Ok(None),
            Ok(false) => {}
            Err(reason) => {
                undecided.get_or_insert(reason);
            }
        }
    }
    match undecided {
        Some(reason) => Err(reason),
        None => Ok(Some(who)),
    }
}

fn describe(statement: &Statement, index: usize) -> String {
    let name = match &statement.sid {
        Some(sid) if !sid.is_empty() => format!("statement `{sid}`"),
        _ => format!("statement {}", index + 1),
    };
    let actions: Vec<&str> = statement.action.known().take(4).collect();
    let list = if actions.is_empty() {
        "?".to_string()
    } else {
        actions.join("`, `")
    };
    let except = if statement.action.negated {
        "all actions except "
    } else {
        ""
    };
    format!("{name} allows {except}`{list}`")
}

impl Rule for BucketPublicPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for bucket in model.all::<Bucket>() {
            let doc = match &bucket.policy.state {
                State::Known(Some(doc)) => doc,
                State::Known(None) => {
                    checks.pass(&bucket.meta);
                    continue;
                }
                State::Unknown(reason) => {
                    checks.not_evaluated(&bucket.meta, reason);
                    continue;
                }
            };
            let mut failed = false;
            let mut undecided = doc.unknown_statements.clone();
            for (index, statement) in doc.statements.iter().enumerate() {
                match public_grant(statement) {
                    Ok(Some(who)) => {
                        failed = true;
                        checks.fail(
                            &bucket.meta,
                            &bucket.policy.span,
                            format!(
                                "{} to {who} with no condition limiting the caller",
                                describe(statement, index)
                            ),
                        );
                    }
                    Ok(None) => {}
                    Err(reason) => {
                        undecided.get_or_insert(reason);
                    }
                }
            }
            if !failed {
                match &undecided {
                    Some(reason) => checks.not_evaluated(&bucket.meta, reason),
                    None => checks.pass(&bucket.meta),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use deadbolt_model::aws::iam::PolicyDocument;
    use deadbolt_model::{Unknown, Value};

    use super::public_grant;

    fn grant(json: &str) -> Result<Option<&'static str>, Unknown> {
        let doc = PolicyDocument::from_json_str(json).expect("test policy is valid");
        public_grant(&doc.statements[0])
    }

    fn public_with(condition: &str) -> String {
        format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{condition}}}]}}"#
        )
    }

    #[test]
    fn conditions_that_admit_anonymous_callers_do_not_narrow() {
        for condition in [
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
            r#"{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}"#,
            r#"{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-1"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
            r#"{"StringLike":{"aws:PrincipalArn":"*"}}"#,
            r#"{"ForAllValues:StringEquals":{"aws:PrincipalOrgPaths":["o-1/r-1/ou-1/"]}}"#,
        ] {
            assert_eq!(
                grant(&public_with(condition)),
                Ok(Some("everyone (`*`)")),
                "{condition}"
            );
        }
    }

    #[test]
    fn source_and_organization_conditions_narrow() {
        for condition in [
            r#"{"StringEquals":{"aws:SourceVpce":"vpce-1"}}"#,
            r#"{"StringEquals":{"aws:principalorgid":"o-a1b2c3"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24"]}}"#,
            r#"{"ArnLike":{"aws:SourceArn":"arn:aws:cloudfront::111122223333:distribution/E1"}}"#,
        ] {
            assert_eq!(grant(&public_with(condition)), Ok(None), "{condition}");
        }
    }

    #[test]
    fn named_principals_denies_and_not_principal() {
        let named = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*"}]}"#;
        assert_eq!(grant(named), Ok(None));
        let deny = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*"}]}"#;
        assert_eq!(grant(deny), Ok(None));
        let not_principal = r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*"}]}"#;
        assert_eq!(
            grant(not_principal),
            Ok(Some("everyone outside `NotPrincipal`"))
        );
    }

    #[test]
    fn unknown_principal_or_condition_value_is_not_guessed() {
        let unknown =
            || Value::Unknown(Unknown::new("var.x has no default and no value was given"));
        let object = |pairs: Vec<(&str, Value)>| {
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect::<BTreeMap<_, _>>(),
            )
        };
        let statement = |principal: Value, condition: Option<Value>| {
            let mut pairs = vec![
                ("Effect", Value::String("Allow".into())),
                ("Principal", principal),
                ("Action", Value::String("s3:GetObject".into())),
            ];
            if let Some(c) = condition {
                pairs.push(("Condition", c));
            }
            let doc = object(vec![("Statement", Value::List(vec![object(pairs)]))]);
            let doc = PolicyDocument::from_value(&doc).expect("test policy is valid");
            public_grant(&doc.statements[0])
        };
        assert!(statement(object(vec![("AWS", unknown())]), None).is_err());
        let vpce = object(vec![(
            "StringEquals",
            object(vec![("aws:SourceVpce", unknown())]),
        )]);
        assert!(statement(Value::String("*".into()), Some(vpce)).is_err());
    }
}
