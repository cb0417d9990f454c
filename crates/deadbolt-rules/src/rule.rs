//! What a rule is: its metadata and the [`Rule`] trait.

use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};
use serde::Serialize;

use crate::checks::Checks;

/// Framework references for a rule. Each entry is the identifier as the framework writes it.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct References {
    /// CIS Amazon Web Services Foundations Benchmark v3.0.0 recommendation numbers (`"2.1.4"`).
    pub cis_aws_v3: &'static [&'static str],
    /// NIST Cybersecurity Framework 2.0 subcategories (`"PR.DS-01"`).
    pub nist_csf_2: &'static [&'static str],
    /// NIST SP 800-53 Rev. 5 controls (`"SC-28"`).
    pub nist_800_53: &'static [&'static str],
}

/// IDs of the equivalent checks in peer tools, for migration and de-duplication.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Equivalents {
    /// Checkov check IDs (`"CKV_AWS_20"`).
    pub checkov: &'static [&'static str],
    /// Trivy (formerly tfsec/defsec) AVD IDs (`"AVD-AWS-0086"`).
    pub trivy: &'static [&'static str],
}

/// Everything about a rule except its logic.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct RuleMeta {
    /// The stable ID: `PROVIDER-SERVICE-NNN` (`"AWS-S3-001"`). Never reused or renumbered.
    pub id: &'static str,
    /// A kebab-case name that says what is wrong (`"s3-bucket-public-acl"`).
    pub name: &'static str,
    /// One line: what the rule finds.
    pub title: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// The customer-side responsibility layer.
    pub layer: Layer,
    /// The service models the control applies to.
    pub service_models: &'static [ServiceModel],
    /// The provider of the resources it judges.
    pub provider: Provider,
    /// The provider's service (`"s3"`).
    pub service: &'static str,
    /// The fix, in one or two sentences.
    pub fix: &'static str,
    /// Framework references.
    pub references: References,
    /// Peer tool equivalents.
    pub equivalents: Equivalents,
    /// The full documentation (Markdown), taken from the rule's doc comment.
    #[serde(skip)]
    pub doc: &'static str,
}

impl RuleMeta {
    /// The documentation with the one-space indent of doc comments removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// A control over the model. Implementations read only the [`Model`] and report one outcome per
/// resource they judge through [`Checks`].
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Judges the model.
    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>);
}

/// Declares a rule struct whose doc comment becomes `META.doc`.
///
/// ```text
/// declare_rule! {
///     /// ## What it checks
///     /// ...
///     pub struct BucketPublicAcl;
///     id: "AWS-S3-001", name: "...", ...
/// }
/// ```
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])+
        $vis:vis struct $name:ident;
        $($field:ident : $value:expr),+ $(,)?
    ) => {
        $(#[doc = $doc])+
        $vis struct $name;

        impl $name {
            /// The rule's metadata; `doc` is the doc comment above.
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                doc: concat!($($doc, "\n"),+),
                $($field: $value),+
            };
        }
    };
}
pub(crate) use declare_rule;
