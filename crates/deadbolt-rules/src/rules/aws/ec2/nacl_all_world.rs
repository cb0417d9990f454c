use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A network ACL ingress rule that allows all traffic (protocol `-1`/`all`, or every port)
    /// from anywhere (`0.0.0.0/0` or `::/0`), unless a lower-numbered deny of the same address
    /// family covers all traffic from the whole internet first. A deny of only some ports does not
    /// make such an allow harmless: the remaining ports stay open. Denies that cover the internet
    /// only in pieces are not combined (the allow is then reported).
    ///
    /// ## Why it matters
    /// An allow-everything NACL does no filtering at all, leaving security groups as the only
    /// control for every instance in the subnet. The AWS default NACL looks like this; subnets that
    /// hold anything sensitive should have an ACL that admits only the traffic they serve.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_network_acl" "public" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     rule_no    = 100
    ///     protocol   = "-1"
    ///     action     = "allow"
    ///     cidr_block = "0.0.0.0/0"
    ///     from_port  = 0
    ///     to_port    = 0
    ///   }
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_network_acl" "public" {
    ///   vpc_id = aws_vpc.main.id
    ///   ingress {
    ///     rule_no    = 100
    ///     protocol   = "tcp"
    ///     action     = "allow"
    ///     cidr_block = "0.0.0.0/0"
    ///     from_port  = 443
    ///     to_port    = 443
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Replace the allow-all rule with rules for the ports the subnet serves (plus the ephemeral
    /// port range for return traffic).
    ///
    /// ## References
    /// - CIS AWS Foundations Benchmark v3.0.0, 5.1
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7, CM-7
    /// - Amazon VPC User Guide, "Control subnet traffic with network access control lists"
    pub(crate) struct NaclAllWorld;
    id: "AWS-VPC-002",
    name: "vpc-nacl-all-traffic-from-world",
    title: "Network ACL allows all traffic from anywhere",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "vpc",
    fix: "Replace the allow-all ingress rule with rules for the specific ports the subnet serves.",
    references: References {
        cis_aws_v3: &["5.1"],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7", "CM-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_352"], trivy: &["AVD-AWS-0102"] },
}

impl Rule for NaclAllWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_nacl_rules(model, checks, |r| r.covers_all_ports(), |r| r.traffic());
    }
}
