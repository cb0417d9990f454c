use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// Remote administration ports: SSH and RDP.
const ADMIN_PORTS: [(i64, &str); 2] = [(22, "SSH"), (3389, "RDP")];

declare_rule! {
    /// ## What it checks
    /// A network ACL ingress rule that allows SSH (TCP 22) or RDP (TCP 3389) from anywhere
    /// (`0.0.0.0/0` or `::/0`), including port ranges and all-protocol rules that contain them.
    /// Inline `ingress` blocks of `aws_network_acl` / `aws_default_network_acl` and
    /// `aws_network_acl_rule` resources are judged together.
    ///
    /// NACLs apply the lowest-numbered matching rule first, so an allow is harmless when a
    /// lower-numbered deny of the same address family from the whole internet (`0.0.0.0/0` or
    /// `::/0`) covers the port. Denies that together cover the internet only in pieces
    /// (`0.0.0.0/1` plus `128.0.0.0/1`) are not combined, and the allow is then still reported.
    /// When the ACL's rules are not all known (a rule resource whose ACL cannot be resolved), an
    /// open allow is not evaluated.
    ///
    /// ## Why it matters
    /// NACLs are the subnet-wide second layer under security groups. One that lets administration
    /// ports in from the internet leaves every instance in the subnet one security-group mistake
    /// away from exposure.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_network_acl" "public" {
    ///   vpc_id = "vpc-0123456789abcdef0"
    /// }
    ///
    /// resource "aws_network_acl_rule" "ssh" {
    ///   network_acl_id = aws_network_acl.public.id
    ///   rule_number    = 100
    ///   egress         = false
    ///   protocol       = "tcp"
    ///   rule_action    = "allow"
    ///   cidr_block     = "0.0.0.0/0"
    ///   from_port      = 22
    ///   to_port        = 22
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_network_acl" "public" {
    ///   vpc_id = "vpc-0123456789abcdef0"
    /// }
    ///
    /// resource "aws_network_acl_rule" "ssh" {
    ///   network_acl_id = aws_network_acl.public.id
    ///   rule_number    = 100
    ///   egress         = false
    ///   protocol       = "tcp"
    ///   rule_action    = "allow"
    ///   cidr_block     = "10.20.0.0/16"
    ///   from_port      = 22
    ///   to_port        = 22
    /// }
    /// ```
    ///
    /// ## Fix
    /// Allow administration ports only from known CIDRs, or add a lower-numbered rule that denies
    /// 22 and 3389 from `0.0.0.0/0` and `::/0`.
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.1
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, AC-17
    /// - Amazon VPC User Guide, "Control subnet traffic with network access control lists"
    pub(crate) struct NaclAdminPortsWorld;
    id: "AWS-VPC-001",
    name: "vpc-nacl-admin-ports-open-to-world",
    title: "Network ACL allows SSH or RDP from anywhere",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "vpc",
    fix: "Allow ports 22 and 3389 only from known CIDRs, or deny them from the internet with a lower-numbered rule.",
    references: References {
        cis_aws_v3: &["5.1"],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "AC-17"],
    },
    equivalents: Equivalents {
        checkov: &["CKV_AWS_232", "CKV_AWS_231"],
        trivy: &["AVD-AWS-0105"],
    },
}

impl Rule for NaclAdminPortsWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        // A deny shadows the allow only if it covers every administration port the allow admits.
        for (port, name) in ADMIN_PORTS {
            super::judge_world_nacl_rules(
                model,
                checks,
                |r| r.covers_tcp_port(port),
                |r| format!("{name} ({})", r.traffic()),
            );
        }
    }
}
