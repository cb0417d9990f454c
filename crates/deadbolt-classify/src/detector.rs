//! Detectors: the data identifiers, read from the TOML files under `detectors/` (compiled in).

use std::fmt;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::mask::MaskStyle;
use crate::validate::{self, Validator};

/// What kind of data a detector finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Payment data: card numbers, bank accounts (PCI DSS scope).
    Payment,
    /// Personal data that identifies a person (GDPR, CCPA).
    Personal,
    /// Health identifiers (HIPAA).
    Health,
    /// Secrets that grant access: keys, tokens, passwords.
    Credential,
    /// Network identifiers (IP addresses).
    Network,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Category::Payment => "payment",
            Category::Personal => "personal",
            Category::Health => "health",
            Category::Credential => "credential",
            Category::Network => "network",
        })
    }
}

/// A classification label, from least to most sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// Nothing sensitive was found.
    Public,
    /// Internal details (addresses of hosts) that are not personal data.
    Internal,
    /// Personal data.
    Confidential,
    /// Payment data, health data, credentials.
    Restricted,
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Label::Public => "public",
            Label::Internal => "internal",
            Label::Confidential => "confidential",
            Label::Restricted => "restricted",
        })
    }
}

/// How sure a finding is. A detector has a base level; a passing validator and a context keyword
/// each raise it one level (capped at high).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// The shape matches; nothing else supports it.
    #[default]
    Low,
    /// The shape and one supporting signal.
    Medium,
    /// A validated value, or one named by its context.
    High,
}

impl Confidence {
    /// One level up, capped at [`Confidence::High`].
    pub fn raised(self) -> Confidence {
        match self {
            Confidence::Low => Confidence::Medium,
            _ => Confidence::High,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

impl std::str::FromStr for Confidence {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "low" => Ok(Confidence::Low),
            "medium" => Ok(Confidence::Medium),
            "high" => Ok(Confidence::High),
            _ => Err(format!("`{s}` is not a confidence (low, medium, high)")),
        }
    }
}

/// When a detector needs a context keyword before it reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextRequired {
    /// Context only raises confidence.
    #[default]
    Never,
    /// Without context the match is dropped (SWIFT codes look like words).
    Always,
    /// Required when the value has no separator (a bare 9-digit SSN is any number).
    IfUnseparated,
}

/// The positive and negative examples of a detector, run by the test suite.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Texts in which this detector must report a finding.
    #[serde(default)]
    pub positive: Vec<String>,
    /// Texts in which it must not.
    #[serde(default)]
    pub negative: Vec<String>,
}

/// A detector as written in a detector file (`[[detector]]` tables).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    id: String,
    name: String,
    category: Category,
    label: Label,
    pattern: String,
    #[serde(default)]
    validator: Option<String>,
    #[serde(default)]
    context: Vec<String>,
    #[serde(default = "default_window")]
    window: usize,
    #[serde(default)]
    context_required: ContextRequired,
    #[serde(default)]
    exclusions: Vec<String>,
    #[serde(default)]
    exclusion_patterns: Vec<String>,
    #[serde(default)]
    exclusions_before: Vec<String>,
    #[serde(default)]
    search_inside_rejected: bool,
    #[serde(default)]
    min_entropy: Option<f64>,
    confidence: Confidence,
    mask: MaskStyle,
    #[serde(default)]
    examples: Examples,
}

/// How much of the line before a value [`Detector::exclusions_before`] see, bytes: bounded, so a
/// long line costs no more per value than a short one.
pub const BEFORE_WINDOW: usize = 256;

/// The context window when a detector names none (characters each side).
fn default_window() -> usize {
    40
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    detector: Vec<Spec>,
}

/// One data identifier: a pattern, an optional validator, context keywords, exclusions, a base
/// confidence and a mask style.
#[derive(Debug)]
pub struct Detector {
    /// Stable ID (`credit-card-number`).
    pub id: String,
    /// Human name.
    pub name: String,
    /// What kind of data.
    pub category: Category,
    /// The label a file holding it gets.
    pub label: Label,
    /// The pattern; its `value` capture group, when present, is the finding's span.
    pub pattern: Regex,
    /// The validator's name, if any.
    pub validator_name: Option<String>,
    pub(crate) validator: Option<Validator>,
    /// Context keywords, folded as text around a value is ([`fold`]: lower case, no accents).
    pub context: Vec<String>,
    /// How far (characters, each side) context keywords are looked for.
    pub window: usize,
    /// When context is required.
    pub context_required: ContextRequired,
    /// Literal values never reported (test card numbers, documentation keys), compared with
    /// separators removed and ignoring case.
    pub exclusions: Vec<String>,
    /// Values matching one of these are never reported.
    pub exclusion_patterns: Vec<Regex>,
    /// Values whose line, up to the value (its last [`BEFORE_WINDOW`] bytes), matches one of
    /// these are never reported: what stands before a value can say it is something else.
    pub exclusions_before: Vec<Regex>,
    /// Whether, after a candidate that fails (its validator, an exclusion or its context), the
    /// search goes on from inside it rather than from its end: a year before a card (`2026 4123
    /// 3320 5478 9178`) starts four groups that fail the Luhn check, and the card starts at the
    /// second. Off by default: a sub-span of a number that failed is, for most types, no value
    /// (the national part of an invalid international phone number).
    pub search_inside_rejected: bool,
    /// Minimum Shannon entropy of the value (bits per character), for secrets.
    pub min_entropy: Option<f64>,
    /// Base confidence.
    pub confidence: Confidence,
    /// How samples are masked.
    pub mask: MaskStyle,
    /// Examples the tests run.
    pub examples: Examples,
}

/// A detector file that could not be read.
#[derive(Debug)]
pub struct DetectorError {
    /// The file (`payment.toml`).
    pub file: String,
    /// What is wrong, naming the detector.
    pub message: String,
}

impl fmt::Display for DetectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for DetectorError {}

/// The built-in detector files (name, text).
pub(crate) const BUILTIN: &[(&str, &str)] = &[
    ("payment.toml", include_str!("../detectors/payment.toml")),
    ("personal.toml", include_str!("../detectors/personal.toml")),
    ("health.toml", include_str!("../detectors/health.toml")),
    (
        "credential.toml",
        include_str!("../detectors/credential.toml"),
    ),
    ("network.toml", include_str!("../detectors/network.toml")),
];

/// Parses detector files (name, TOML text) into detectors.
///
/// # Errors
/// The first file that is not valid TOML of the detector shape, a bad regex, an unknown validator
/// or a duplicate ID.
pub fn parse(files: &[(&str, &str)]) -> Result<Vec<Detector>, DetectorError> {
    let mut out: Vec<Detector> = Vec::new();
    for (name, text) in files {
        let err = |message: String| DetectorError {
            file: (*name).to_string(),
            message,
        };
        let file: File = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        for s in file.detector {
            if out.iter().any(|d| d.id == s.id) {
                return Err(err(format!("duplicate detector id `{}`", s.id)));
            }
            let pattern = Regex::new(&s.pattern)
                .map_err(|e| err(format!("detector `{}`: pattern: {e}", s.id)))?;
            let validator =
                match &s.validator {
                    Some(v) => Some(validate::by_name(v).ok_or_else(|| {
                        err(format!("detector `{}`: unknown validator `{v}`", s.id))
                    })?),
                    None => None,
                };
            let compile = |patterns: &[String], what: &str| {
                patterns
                    .iter()
                    .map(|p| {
                        Regex::new(p).map_err(|e| err(format!("detector `{}`: {what}: {e}", s.id)))
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            let exclusion_patterns = compile(&s.exclusion_patterns, "exclusion pattern")?;
            let exclusions_before = compile(&s.exclusions_before, "exclusion before")?;
            out.push(Detector {
                pattern,
                validator,
                validator_name: s.validator,
                context: s.context.iter().map(|k| fold(k).into_owned()).collect(),
                exclusions: s.exclusions.iter().map(|e| normalize(e)).collect(),
                exclusion_patterns,
                exclusions_before,
                search_inside_rejected: s.search_inside_rejected,
                id: s.id,
                name: s.name,
                category: s.category,
                label: s.label,
                window: s.window,
                context_required: s.context_required,
                min_entropy: s.min_entropy,
                confidence: s.confidence,
                mask: s.mask,
                examples: s.examples,
            });
        }
    }
    Ok(out)
}

/// `s` in lower case with its accents taken off (compatibility decomposition, combining marks
/// dropped; Unicode Standard Annex #15) and typographic apostrophes written `'`: how context keywords
/// and the text around a value are compared, so that `Téléphone`, `TELEPHONE` and `telephone` are
/// one word, as are `Driver’s` (Word's apostrophe) and `Driver's`, `ﬁ` and `fi`, `ＮＨＳ` and `nhs`.
/// Borrowed when `s` is already lower-case ASCII (column headers and key paths mostly are).
pub(crate) fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if s.is_ascii() {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(s.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(s)
        }
    } else {
        std::borrow::Cow::Owned(
            s.to_lowercase()
                .nfkd()
                .filter(|&c| !unicode_normalization::char::is_combining_mark(c))
                .map(|c| match c {
                    '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
                    c => c,
                })
                .collect(),
        )
    }
}

/// A value with separators (space, `-`, `.`) removed, lower case: how exclusions compare.
pub(crate) fn normalize(value: &str) -> String {
    value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Shannon entropy of `value` in bits per character.
pub(crate) fn entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in value.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}
