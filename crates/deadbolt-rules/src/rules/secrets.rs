//! Credential shapes that rules look for in configuration text (user data, environment values).
//! Shared so every rule recognises the same set; the data-identifier engine of `deadbolt
//! classify` is the fuller version of this.

/// The prefixes of AWS access key IDs: long-term user keys (`AKIA`), temporary STS keys (`ASIA`),
/// STS service bearer tokens (`ABIA`) and context-specific keys (`ACCA`). IAM User Guide, "IAM
/// identifiers", unique ID prefixes.
const ACCESS_KEY_PREFIXES: [&str; 4] = ["AKIA", "ASIA", "ABIA", "ACCA"];

/// Prefixes of well-known token formats, with what they are.
const TOKEN_PREFIXES: &[(&str, &str)] = &[
    ("ghp_", "a GitHub token"),
    ("github_pat_", "a GitHub token"),
    ("xoxb-", "a Slack token"),
    ("xoxp-", "a Slack token"),
    ("sk_live_", "a Stripe secret key"),
];

/// Every AWS access key ID in `text`: a 20-character token of upper-case letters and digits with
/// one of the known prefixes, not part of a longer word.
pub(crate) fn aws_access_key_ids(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| {
            t.len() == 20
                && ACCESS_KEY_PREFIXES.iter().any(|p| t.starts_with(p))
                && t.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
        .collect()
}

/// The header line of the first PEM or OpenSSH private key in `text`.
pub(crate) fn private_key_header(text: &str) -> Option<&str> {
    text.match_indices("-----BEGIN ").find_map(|(at, _)| {
        let line = text[at..].lines().next().unwrap_or("");
        line.contains("PRIVATE KEY-----").then_some(line.trim())
    })
}

/// Whether `text` has a URL with a password in its user info (`postgres://app:s3cret@db/x`,
/// RFC 3986 section 3.2.1). Template placeholders (`${PASSWORD}`, `%s`, `{{...}}`) do not count.
pub(crate) fn has_url_password(text: &str) -> bool {
    text.match_indices("://").any(|(at, _)| {
        let rest = &text[at + 3..];
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let Some((user_info, _host)) = authority.rsplit_once('@') else {
            return false;
        };
        let Some((_user, password)) = user_info.split_once(':') else {
            return false;
        };
        !password.is_empty() && !password.starts_with("${") && !password.starts_with(['%', '{'])
    })
}

/// What kind of well-known token `value` starts with.
pub(crate) fn token_kind(value: &str) -> Option<&'static str> {
    TOKEN_PREFIXES
        .iter()
        .find(|(p, _)| value.starts_with(p))
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_shapes() {
        assert_eq!(
            aws_access_key_ids("key=AKIAIOSFODNN7EXAMPLE;"),
            ["AKIAIOSFODNN7EXAMPLE"]
        );
        assert!(
            aws_access_key_ids("AKIAIOSFODNN7EXAMPLEX").is_empty(),
            "21 characters"
        );
        assert!(
            aws_access_key_ids("xAKIAIOSFODNN7EXAMPLE").is_empty(),
            "inside a word"
        );
        assert_eq!(
            private_key_header("a\n-----BEGIN OPENSSH PRIVATE KEY-----\nb"),
            Some("-----BEGIN OPENSSH PRIVATE KEY-----")
        );
        assert_eq!(private_key_header("-----BEGIN CERTIFICATE-----"), None);
        assert!(has_url_password(
            "postgres://admin:Pa55w0rd@db.internal:5432/app"
        ));
        assert!(!has_url_password("postgres://admin@db:5432/app"));
        assert!(!has_url_password(
            "postgres://admin:${DB_PASSWORD}@db:5432/app"
        ));
        assert!(!has_url_password("https://example.com/a:b@c"));
        assert_eq!(token_kind("ghp_0123456789abcdef"), Some("a GitHub token"));
    }
}
