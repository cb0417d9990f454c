use deadbolt_model::aws::ec2::Instance;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::{Checks, mask};
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};
use crate::rules::secrets;

declare_rule! {
    /// ## What it checks
    /// User data of an EC2 instance, launch template or launch configuration (base64 user data is
    /// decoded first) that contains a credential: an AWS access key ID (`AKIA`, `ASIA`, `ABIA` or
    /// `ACCA` followed by 16 upper-case letters or digits), an `aws_secret_access_key` assignment,
    /// a private key (`-----BEGIN ... PRIVATE KEY-----`), a URL with a password
    /// (`postgres://app:pw@db/x`) or a `password=` / `password:` assignment with a literal
    /// value. Values taken from shell or template variables (`$DB_PASSWORD`) are not reported.
    /// Evidence is masked.
    ///
    /// ## Why it matters
    /// User data is not secret: anyone who can call `DescribeInstanceAttribute`, read the launch
    /// template or reach the metadata service from the instance (including through SSRF) can read
    /// it, and it is stored in Terraform state and plan files. A key or password written there is
    /// effectively shared with everyone who has read access to the account.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    ///   user_data     = "export DB_PASSWORD=Sup3rSecretValue"
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami           = "ami-0abcdef1234567890"
    ///   instance_type = "t3.micro"
    ///   user_data     = "export DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id db --query SecretString --output text)"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the credential, rotate it, and have the instance fetch secrets at boot from Secrets
    /// Manager or SSM Parameter Store using its instance role.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.AA-01; NIST SP 800-53 IA-5(7)
    /// - Amazon EC2 User Guide, "Run commands when you launch an EC2 instance with user data input"
    pub(crate) struct UserDataSecrets;
    id: "AWS-EC2-013",
    name: "ec2-user-data-secrets",
    title: "EC2 user data contains credentials",
    severity: Severity::High,
    layer: Layer::IdentityAccess,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Remove and rotate the credential; fetch secrets at boot from Secrets Manager or Parameter Store.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.AA-01"],
        nist_800_53: &["IA-5(7)"],
    },
    equivalents: Equivalents {
        checkov: &["CKV_AWS_46"],
        trivy: &["AVD-AWS-0029", "AVD-AWS-0129", "AVD-AWS-0122"],
    },
}

/// Credentials found in `text`, each as a description with masked evidence.
fn find_secrets(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();

    for key in secrets::aws_access_key_ids(text) {
        found.push(format!("AWS access key ID `{}`", mask(key)));
    }
    for (at, _) in lower.match_indices("aws_secret_access_key") {
        if let Some(value) = assigned_value(text, at + "aws_secret_access_key".len()) {
            found.push(format!("AWS secret access key `{}`", mask(value)));
        }
    }
    if let Some(header) = secrets::private_key_header(text) {
        found.push(format!("private key `{header}`"));
    }
    if secrets::has_url_password(text) {
        found.push("a connection string with a password".to_string());
    }
    for (at, _) in lower.match_indices("password") {
        // Skip the rest of an identifier such as `password_file` or `DB_PASSWORD`.
        let mut end = at + "password".len();
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        if let Some(value) = assigned_value(text, end) {
            found.push(format!("password `{}`", mask(value)));
        }
    }
    found
}

/// The literal value assigned right after byte `from`: optional quotes and spaces, `=` or `:`,
/// optional spaces and quotes, then the value up to a space, quote or separator. `None` when there
/// is no assignment or the value is empty or comes from a variable or command.
fn assigned_value(text: &str, from: usize) -> Option<&str> {
    let rest = text.get(from..)?;
    let rest = rest.trim_start_matches(['"', '\'', ' ', '\t']);
    let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
    if rest.starts_with('=') {
        return None;
    }
    let rest = rest.trim_start_matches([' ', '\t', '"', '\'']);
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ';' | ',' | ')' | '}'))
        .unwrap_or(rest.len());
    let value = &rest[..end];
    if value.is_empty() || value.starts_with(['$', '<', '%', '{', '[']) {
        return None;
    }
    Some(value)
}

impl Rule for UserDataSecrets {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for instance in model.all::<Instance>() {
            let user_data = &instance.user_data;
            let Some(text) = user_data.known() else {
                if let Some(reason) = user_data.unknown_reason() {
                    checks.not_evaluated(&instance.meta, reason);
                }
                continue;
            };
            let secrets = text.as_deref().map(find_secrets).unwrap_or_default();
            if secrets.is_empty() {
                checks.pass(&instance.meta);
            }
            for secret in secrets {
                checks.fail(
                    &instance.meta,
                    &user_data.span,
                    format!("user data contains {secret}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find_secrets;

    #[test]
    fn finds_keys_and_passwords_but_not_variables() {
        let text = "export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n\
                    aws_secret_access_key = abcdEFGHijklMNOPqrst\n\
                    DB_PASSWORD=$FROM_ENV\nmysql --password='hunter2hunter2'\n\
                    -----BEGIN OPENSSH PRIVATE KEY-----\n";
        let found = find_secrets(text);
        assert_eq!(
            found,
            vec![
                "AWS access key ID `AKIA****************`",
                "AWS secret access key `abcd****************`",
                "private key `-----BEGIN OPENSSH PRIVATE KEY-----`",
                "password `hunt**********`",
            ]
        );
        assert!(find_secrets("NOTAKIAABCDEFGHIJKLMNOPQ password == other").is_empty());
    }
}
