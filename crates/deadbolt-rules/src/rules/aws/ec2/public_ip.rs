use deadbolt_model::aws::ec2::Instance;
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// An EC2 instance, launch template (any network interface) or launch configuration with
    /// `associate_public_ip_address = true`. When the attribute is not set the subnet's
    /// `map_public_ip_on_launch` decides, which this rule does not judge.
    ///
    /// ## Why it matters
    /// A public address makes the instance directly reachable from the internet, so its security
    /// group becomes the only barrier, and a single permissive rule exposes it. Instances behind a
    /// load balancer, NAT gateway or Session Manager rarely need one.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami                         = "ami-0abcdef1234567890"
    ///   instance_type               = "t3.micro"
    ///   associate_public_ip_address = true
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_instance" "app" {
    ///   ami                         = "ami-0abcdef1234567890"
    ///   instance_type               = "t3.micro"
    ///   associate_public_ip_address = false
    /// }
    /// ```
    ///
    /// ## Fix
    /// Launch instances in private subnets without public addresses and publish them through a load
    /// balancer; use Session Manager for administration.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7
    /// - Amazon EC2 User Guide, "Amazon EC2 instance IP addressing"
    pub(crate) struct InstancePublicIp;
    id: "AWS-EC2-012",
    name: "ec2-instance-public-ip",
    title: "EC2 instance or launch template assigns a public IP address",
    severity: Severity::Medium,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Do not associate a public IP address (`AssociatePublicIpAddress` false); reach the instance through a load balancer or Session Manager.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7"],
    },
    equivalents: Equivalents { checkov: &["CKV_AWS_88", "CKV_AWS_389"], trivy: &[] },
}

impl Rule for InstancePublicIp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        for instance in model.all::<Instance>() {
            checks.require(
                &instance.meta,
                &instance.public_ip,
                |p| *p != Some(true),
                |_| "`AssociatePublicIpAddress` is true".to_string(),
            );
        }
    }
}
