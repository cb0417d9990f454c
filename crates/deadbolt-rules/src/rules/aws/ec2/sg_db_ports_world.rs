use deadbolt_model::aws::ec2::{Direction, FirewallRule};
use deadbolt_model::{Layer, Model, Provider, ServiceModel, Severity};

use crate::checks::Checks;
use crate::rule::{Equivalents, References, Rule, RuleMeta, declare_rule};

/// Database and cache ports that should never face the internet, with the usual service name.
const DB_PORTS: [(i64, &str); 10] = [
    (3306, "MySQL/MariaDB"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (27017, "MongoDB"),
    (6379, "Redis"),
    (9200, "Elasticsearch/OpenSearch"),
    (5439, "Redshift"),
    (11211, "Memcached"),
    (9042, "Cassandra"),
];

declare_rule! {
    /// ## What it checks
    /// A security group ingress rule that admits anywhere (`0.0.0.0/0` or `::/0`) to a database or
    /// cache port over TCP: MySQL/MariaDB 3306, PostgreSQL 5432, SQL Server 1433, Oracle 1521,
    /// MongoDB 27017, Redis 6379, Elasticsearch/OpenSearch 9200, Redshift 5439, Memcached 11211 and
    /// Cassandra 9042, including port ranges and all-protocol rules that contain them.
    ///
    /// ## Why it matters
    /// Internet-facing databases are found by mass scanners within hours; Redis, MongoDB,
    /// Elasticsearch and Memcached in particular have been wiped, ransomed or abused for DDoS
    /// amplification by the tens of thousands. A data store should only be reachable from the
    /// application tier that uses it.
    ///
    /// ## Failing example
    /// ```hcl
    /// resource "aws_security_group_rule" "postgres" {
    ///   type              = "ingress"
    ///   from_port         = 5432
    ///   to_port           = 5432
    ///   protocol          = "tcp"
    ///   cidr_blocks       = ["0.0.0.0/0"]
    ///   security_group_id = aws_security_group.db.id
    /// }
    /// ```
    ///
    /// ## Passing example
    /// ```hcl
    /// resource "aws_security_group_rule" "postgres" {
    ///   type                     = "ingress"
    ///   from_port                = 5432
    ///   to_port                  = 5432
    ///   protocol                 = "tcp"
    ///   source_security_group_id = aws_security_group.app.id
    ///   security_group_id        = aws_security_group.db.id
    /// }
    /// ```
    ///
    /// ## Fix
    /// Admit the database port only from the application's security group (or private CIDRs), and
    /// keep data stores in private subnets.
    ///
    /// ## References
    /// - NIST CSF 2.0 PR.IR-01; NIST SP 800-53 SC-7
    /// - Amazon VPC User Guide, "Security group rules"
    pub(crate) struct SgDbPortsWorld;
    id: "AWS-EC2-003",
    name: "ec2-sg-database-port-open-to-world",
    title: "Security group allows a database port from anywhere",
    severity: Severity::High,
    layer: Layer::NetworkControls,
    service_models: &[ServiceModel::Iaas],
    provider: Provider::Aws,
    service: "ec2",
    fix: "Admit database ports only from the application's security group or private CIDRs.",
    references: References {
        cis_aws_v3: &[],
        nist_csf_2: &["PR.IR-01"],
        nist_800_53: &["SC-7"],
    },
    equivalents: Equivalents { checkov: &[], trivy: &[] },
}

/// The database ports `rule` covers, `None` when that depends on an unknown value.
fn db_ports(rule: &FirewallRule) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for (port, name) in DB_PORTS {
        if rule.covers_tcp_port(port)? {
            out.push(format!("{name} {port}"));
        }
    }
    Some(out)
}

impl Rule for SgDbPortsWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check<'m>(&self, model: &'m Model, checks: &mut Checks<'m>) {
        super::judge_world_sg_rules(
            model,
            checks,
            Direction::Ingress,
            |r| db_ports(r).map(|p| !p.is_empty()),
            |r| {
                let ports = db_ports(r).unwrap_or_default().join(", ");
                format!("{ports} ({})", r.traffic())
            },
        );
    }
}
