use deadbolt_model::{Layer, LocationRole, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Every place a resource keeps data — the region it is created in, the regions it replicates
    /// to, the regions its backups are copied to — against the residency policy in the
    /// organisation's stack file (`deadbolt.yaml`):
    ///
    /// ```yaml
    /// # deadbolt.yaml
    /// residency:
    ///   policy: EU only
    ///   allowed_regions: [eu-*]
    /// ```
    ///
    /// A location in a region no pattern allows fails. Regions come from the Terraform provider
    /// configuration the resource uses (`provider = aws.alias`, a module's `providers` map, the
    /// v6 per-resource `region`), DynamoDB `replica` blocks and global table `Replicas`, AWS Backup
    /// copy actions (the region of the destination vault's ARN), S3 replication destinations in
    /// the scan, and RDS `SourceRegion`. A CloudFormation template's own region is known only from
    /// `--region`; a region that is not known (an unset provider region, which `AWS_REGION` decides
    /// at plan time) is reported as not evaluated, never guessed. Without a residency policy the
    /// rule judges nothing.
    ///
    /// ## Why it matters
    /// Where personal data is stored is a legal question before it is a technical one. Under the
    /// GDPR (chapter V), copying personal data to a region outside the EEA is a transfer that needs
    /// an adequacy decision or safeguards; Brazil's LGPD (articles 33–36) and other national laws
    /// restrict international transfers the same way, and contracts with customers often promise a
    /// region. Replicas and backup copies are transfers too: a disaster-recovery copy in
    /// `us-east-1` breaks an "EU only" promise as surely as the primary would.
    ///
    /// ## Failing example
    /// ```hcl
    /// provider "aws" {
    ///   region = "eu-west-1"
    /// }
    ///
    /// resource "aws_dynamodb_table" "customers" {
    ///   name         = "customers"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "id"
    ///
    ///   attribute {
    ///     name = "id"
    ///     type = "S"
    ///   }
    ///
    ///   replica {
    ///     region_name = "us-east-1"
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// provider "aws" {
    ///   region = "eu-west-1"
    /// }
    ///
    /// resource "aws_dynamodb_table" "customers" {
    ///   name         = "customers"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "id"
    ///
    ///   attribute {
    ///     name = "id"
    ///     type = "S"
    ///   }
    ///
    ///   replica {
    ///     region_name = "eu-central-1"
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Create the resource, its replicas and its backup copies in allowed regions: set the provider
    /// configuration's `region` (or pass the module an allowed configuration), move replicas and
    /// copy-action vaults to allowed regions, or — if the transfer is lawful and intended — add the
    /// region to the policy with the safeguard that covers it.
    ///
    /// ## References
    /// - NIST CSF 2.0 GV.OC-03; NIST SP 800-53 SA-9(5)
    /// - Regulation (EU) 2016/679 (GDPR), chapter V, "Transfers of personal data to third countries"
    /// - Lei Geral de Proteção de Dados (LGPD), chapter V, articles 33–36
    /// - AWS, "Data residency" (AWS Well-Architected, Security pillar)
    pub(crate) struct OutsideAllowedRegions;
    id: "AWS-RESIDENCY-001",
    name: "resource-outside-allowed-regions",
    title: "Resource data is stored, replicated or backed up outside the allowed regions",
    severity: Severity::High,
    layer: Layer::ComplianceResidency,
    service_models: &[ServiceModel::Iaas, ServiceModel::Paas],
    provider: Provider::Aws,
    service: "residency",
    fix: "Keep the resource, its replicas and its backup copies in regions the residency policy allows.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["GV.OC-03"],
        nist_800_53: &["SA-9(5)"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

impl Rule for OutsideAllowedRegions {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        let Some(policy) = model.residency() else {
            return;
        };
        let label = match &policy.label {
            Some(label) => format!("the residency policy \"{label}\""),
            None => format!("the residency policy of {}", policy.file),
        };
        for resource in model.resources() {
            let meta = resource.meta();
            if meta.locations.is_empty() {
                continue;
            }
            let mut failed = false;
            let mut unknown = None;
            for location in &meta.locations {
                match location.region.known() {
                    Some(region) if !policy.allows(region) => {
                        let what = match location.role {
                            LocationRole::Primary => format!("created in {region}"),
                            role => format!("{} in {region}", role.as_str()),
                        };
                        checks.fail(
                            meta,
                            &location.region.span,
                            format!(
                                "{what}, outside {label} (allowed: {})",
                                policy.allowed_regions.join(", ")
                            ),
                        );
                        failed = true;
                    }
                    Some(_) => {}
                    None => unknown = unknown.or(location.region.unknown_reason()),
                }
            }
            match (failed, unknown) {
                (true, _) => {}
                (false, Some(reason)) => checks.not_evaluated(meta, reason),
                (false, None) => checks.pass(meta),
            }
        }
    }
}
