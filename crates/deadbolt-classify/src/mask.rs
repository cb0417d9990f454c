//! Masking: what of a value may leave the engine. Only masked samples are ever returned.

use serde::Deserialize;

/// How a detector's samples are masked. Every style hides at least half of the value's letters
/// and digits, whatever the style asks for, and a run of more than [`MAX_STARS`] stars is
/// shortened to that many (a sample of a long token stays one readable line and does not give its
/// length away).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", tag = "style")]
pub enum MaskStyle {
    /// Keep the first `start` and last `end` letters and digits, replace the others with `*`,
    /// keep separators where they are: card `4111 **** **** 1111` (4, 4), AWS key
    /// `AKIA************MPLE` (4, 4), SSN `***-**-6789` (0, 4).
    Ends {
        /// Letters and digits kept at the start.
        start: usize,
        /// Letters and digits kept at the end.
        end: usize,
    },
    /// An e-mail address: the first character of the local part, `***`, and the domain
    /// (`j***@example.org`); the domain names an organisation, not a person.
    Email,
}

/// The longest run of `*` a masked sample shows.
pub const MAX_STARS: usize = 12;

/// `value` masked by `style`.
pub fn mask(value: &str, style: MaskStyle) -> String {
    let masked = match style {
        MaskStyle::Ends { start, end } => ends(value, start, end),
        MaskStyle::Email => match value.rsplit_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => ends(value, 1, 0),
        },
    };
    let mut out = String::with_capacity(masked.len());
    let mut run = 0;
    for c in masked.chars() {
        run = if c == '*' { run + 1 } else { 0 };
        if run <= MAX_STARS {
            out.push(c);
        }
    }
    out
}

/// Keeps `start` leading and `end` trailing alphanumerics (fewer if they would show more than half
/// of them), stars the rest, keeps other characters.
fn ends(value: &str, start: usize, end: usize) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let budget = total / 2;
    let end = end.min(budget);
    let start = start.min(budget - end);
    let mut seen = 0;
    value
        .chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= start || seen > total - end {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        let card = MaskStyle::Ends { start: 4, end: 4 };
        assert_eq!(mask("4111 1111 1111 1111", card), "4111 **** **** 1111");
        assert_eq!(mask("AKIAIOSFODNN7EXAMPLE", card), "AKIA************MPLE");
        assert_eq!(
            mask("536-22-1234", MaskStyle::Ends { start: 0, end: 4 }),
            "***-**-1234"
        );
        assert_eq!(
            mask("jane@example.org", MaskStyle::Email),
            "j***@example.org"
        );
    }

    #[test]
    fn short_values_stay_half_hidden() {
        // Four of six would show: capped at three.
        assert_eq!(
            mask("abcdef", MaskStyle::Ends { start: 4, end: 4 }),
            "***def"
        );
        assert_eq!(mask("ab", MaskStyle::Ends { start: 4, end: 4 }), "*b");
    }

    #[test]
    fn long_star_runs_are_shortened() {
        let token = format!("ghp_{}", "a".repeat(36));
        assert_eq!(
            mask(&token, MaskStyle::Ends { start: 4, end: 4 }),
            "ghp_a************aaaa"
        );
    }
}
