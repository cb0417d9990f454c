//! The normalisers of DynamoDB, ELBv2, CloudFront, EKS, ECR, SNS, SQS, Lightsail and Backup on
//! hand-written snapshots (`fixtures/<service>.json`, response bodies in the shape collection
//! records them): model values, unknown-with-reason on AccessDenied, and the existing rules
//! firing on each planted misconfiguration and staying quiet on its clean counterpart.

use deadbolt_aws_snapshot::{Normalised, normalise, parse};
use deadbolt_model::{Attr, LocationRole, Typed};
use deadbolt_rules::{Selection, evaluate, registry};

fn load(name: &str) -> Normalised {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    normalise(&parse(&path, &text).unwrap(), &path)
}

fn one<'m, T: Typed + 'static>(n: &'m Normalised, address: &str) -> &'m T {
    n.model
        .resources()
        .iter()
        .filter(|r| r.meta().address == address)
        .find_map(T::from_resource)
        .unwrap_or_else(|| panic!("no {address} of that type"))
}

fn reason<T>(attr: &Attr<T>) -> String {
    attr.unknown_reason().expect("unknown").to_string()
}

/// Every diagnostic, one per line: `file message`.
fn diagnostics(n: &Normalised) -> String {
    n.diagnostics
        .iter()
        .map(|d| format!("{} {}\n", d.file, d.message))
        .collect()
}

/// Checks that every diagnostic is an AWS error answer of one of `denied` (call labels), and
/// that the rules find every `planted` (rule, address) and none of `clean`.
fn judge(n: &Normalised, denied: &[&str], planted: &[(&str, String)], clean: &[(&str, String)]) {
    for d in &n.diagnostics {
        assert!(
            denied.iter().any(|label| *d.file == **label) && d.message.starts_with("AWS answered"),
            "unexpected diagnostic {} {}",
            d.file,
            d.message
        );
    }
    let eval = evaluate(
        &n.model,
        registry::all(),
        &Selection::default(),
        &registry::ids(),
    );
    let found: Vec<(&str, &str)> = eval
        .findings
        .iter()
        .map(|f| (f.rule.id, f.address.as_str()))
        .collect();
    for (rule, address) in planted {
        assert!(
            found.contains(&(rule, address.as_str())),
            "{rule} {address} not found in {found:#?}"
        );
    }
    for (rule, address) in clean {
        assert!(
            !found.contains(&(rule, address.as_str())),
            "{rule} {address} was reported"
        );
    }
}

mod dynamodb {
    use super::*;
    use deadbolt_model::aws::dynamodb::Table;

    const A: &str = "arn:aws:dynamodb:eu-west-1:123456789012:table/";

    #[test]
    fn tables_join_description_and_backups() {
        let n = load("dynamodb");
        let plain: &Table = one(&n, &format!("{A}orders-plain"));
        assert_eq!(plain.meta.kind, "AWS::DynamoDB::Table");
        assert_eq!(
            &*plain.meta.span.file,
            "aws://eu-west-1/dynamodb/ListTables"
        );
        assert_eq!(plain.kms_encryption.known(), Some(&false));
        assert!(!plain.kms_encryption.explicit);
        assert_eq!(plain.kms_key.known(), Some(&None));
        assert_eq!(plain.point_in_time_recovery.known(), Some(&false));
        assert_eq!(
            &*plain.point_in_time_recovery.span.file,
            "aws://eu-west-1/dynamodb/DescribeContinuousBackups?TableName=orders-plain"
        );

        let ledger: &Table = one(&n, &format!("{A}ledger"));
        assert_eq!(ledger.kms_encryption.known(), Some(&true));
        assert_eq!(
            ledger.kms_key.known().unwrap().as_deref(),
            Some("arn:aws:kms:eu-west-1:123456789012:key/k-cmk")
        );
        assert_eq!(
            &*ledger.kms_key.span.file,
            "aws://eu-west-1/dynamodb/DescribeTable?TableName=ledger"
        );
        assert_eq!(ledger.point_in_time_recovery.known(), Some(&true));
        let replica = &ledger.meta.locations[1];
        assert_eq!(replica.role, LocationRole::Replica);
        assert_eq!(replica.region.known().unwrap(), "eu-central-1");

        // The AWS managed key, named by its key ARN, is recognised through kms:DescribeKey.
        let managed: &Table = one(&n, &format!("{A}managed"));
        assert_eq!(
            managed.kms_key.known().unwrap().as_deref(),
            Some("arn:aws:kms:eu-west-1:123456789012:alias/aws/dynamodb")
        );
        // The second ListTables page is read too.
        let locked: &Table = one(&n, &format!("{A}locked"));
        assert_eq!(
            reason(&locked.kms_encryption),
            "dynamodb:DescribeTable failed in eu-west-1 (AccessDeniedException)"
        );
        assert_eq!(
            reason(&locked.point_in_time_recovery),
            "dynamodb:DescribeContinuousBackups failed in eu-west-1 (AccessDeniedException)"
        );
    }

    #[test]
    fn rules_judge_tables() {
        let n = load("dynamodb");
        judge(
            &n,
            &[
                "aws://eu-west-1/dynamodb/DescribeTable?TableName=locked",
                "aws://eu-west-1/dynamodb/DescribeContinuousBackups?TableName=locked",
            ],
            &[
                ("AWS-DYNAMODB-001", format!("{A}orders-plain")),
                ("AWS-DYNAMODB-002", format!("{A}orders-plain")),
                ("AWS-DYNAMODB-002", format!("{A}managed")),
            ],
            &[
                ("AWS-DYNAMODB-001", format!("{A}ledger")),
                ("AWS-DYNAMODB-002", format!("{A}ledger")),
                ("AWS-DYNAMODB-001", format!("{A}managed")),
                ("AWS-DYNAMODB-001", format!("{A}locked")),
            ],
        );
        assert!(diagnostics(&n).contains("AccessDeniedException"));
    }
}

mod elb {
    use super::*;
    use deadbolt_model::aws::elb::{Listener, LoadBalancer};

    const P: &str = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:";

    fn lb(name: &str) -> String {
        let kind = if name.starts_with("nlb") {
            "net"
        } else {
            "app"
        };
        format!("{P}loadbalancer/{kind}/{name}/50dc6c495c0c9188")
    }

    fn listener(lb: &str, id: &str) -> String {
        format!("{P}listener/app/{lb}/50dc6c495c0c9188/{id}")
    }

    #[test]
    fn load_balancers_and_listeners_from_every_page() {
        let n = load("elb");
        let open: &LoadBalancer = one(&n, &lb("alb-open"));
        assert_eq!(open.meta.kind, "AWS::ElasticLoadBalancingV2::LoadBalancer");
        assert_eq!(open.lb_type.known().unwrap(), "application");
        assert_eq!(open.internal.known(), Some(&false));
        assert_eq!(open.drop_invalid_headers.known(), Some(&false));
        assert!(open.drop_invalid_headers.explicit);
        assert_eq!(
            &*open.drop_invalid_headers.span.file,
            format!(
                "aws://eu-west-1/elbv2/DescribeLoadBalancerAttributes?LoadBalancerArn={}",
                lb("alb-open")
            )
        );
        let clean: &LoadBalancer = one(&n, &lb("alb-clean"));
        assert_eq!(clean.internal.known(), Some(&true));
        assert_eq!(clean.drop_invalid_headers.known(), Some(&true));

        let http: &Listener = one(&n, &listener("alb-open", "l-http"));
        assert_eq!(http.meta.kind, "AWS::ElasticLoadBalancingV2::Listener");
        assert_eq!(http.protocol.known().unwrap(), "HTTP");
        assert_eq!(http.port.known(), Some(&80));
        assert_eq!(http.ssl_policy.known(), Some(&None));
        assert_eq!(
            http.default_actions[0].action_type.known().unwrap(),
            "forward"
        );
        assert!(http.default_actions[0].redirect_protocol.is_none());
        let https: &Listener = one(&n, &listener("alb-open", "l-https"));
        assert_eq!(
            https.ssl_policy.known().unwrap().as_deref(),
            Some("ELBSecurityPolicy-2016-08")
        );
        // The second page of the clean balancer's listeners is read too.
        let redirect: &Listener = one(&n, &listener("alb-clean", "l-http"));
        let action = &redirect.default_actions[0];
        assert_eq!(action.action_type.known().unwrap(), "redirect");
        assert_eq!(
            action.redirect_protocol.as_ref().unwrap().known().unwrap(),
            "HTTPS"
        );
        let _: &Listener = one(&n, &listener("alb-clean", "l-https"));

        // Denied: the attribute is unknown, the listeners are missing (and diagnosed).
        let locked: &LoadBalancer = one(&n, &lb("nlb-locked"));
        assert_eq!(locked.lb_type.known().unwrap(), "network");
        assert_eq!(
            reason(&locked.drop_invalid_headers),
            "elbv2:DescribeLoadBalancerAttributes failed in eu-west-1 (AccessDenied)"
        );
        assert!(diagnostics(&n).contains("elbv2/DescribeListeners?LoadBalancerArn="));
    }

    #[test]
    fn rules_judge_load_balancers_and_listeners() {
        let n = load("elb");
        let locked = lb("nlb-locked");
        judge(
            &n,
            &[
                &format!(
                    "aws://eu-west-1/elbv2/DescribeLoadBalancerAttributes?LoadBalancerArn={locked}"
                ),
                &format!("aws://eu-west-1/elbv2/DescribeListeners?LoadBalancerArn={locked}"),
            ],
            &[
                ("AWS-ELB-001", listener("alb-open", "l-http")),
                ("AWS-ELB-002", listener("alb-open", "l-https")),
                ("AWS-ELB-003", lb("alb-open")),
            ],
            &[
                ("AWS-ELB-001", listener("alb-clean", "l-http")),
                ("AWS-ELB-002", listener("alb-clean", "l-https")),
                ("AWS-ELB-003", lb("alb-clean")),
                ("AWS-ELB-003", lb("nlb-locked")),
            ],
        );
    }
}

mod cloudfront {
    use super::*;
    use deadbolt_model::aws::cloudfront::Distribution;

    const ARN: &str = "arn:aws:cloudfront::123456789012:distribution/";

    #[test]
    fn distributions_read_the_configuration_or_the_summary() {
        let n = load("cloudfront");
        let open: &Distribution = one(&n, &format!("{ARN}E1OPEN"));
        assert_eq!(open.meta.kind, "AWS::CloudFront::Distribution");
        assert!(open.meta.locations.is_empty());
        assert_eq!(open.viewer_protocol_policies.len(), 1);
        assert_eq!(
            open.viewer_protocol_policies[0].known().unwrap(),
            "allow-all"
        );
        assert_eq!(
            &*open.viewer_protocol_policies[0].span.file,
            "aws://us-east-1/cloudfront/GetDistributionConfig?Id=E1OPEN"
        );
        assert_eq!(open.default_certificate.known(), Some(&true));
        assert_eq!(open.minimum_protocol_version.known().unwrap(), "TLSv1");
        assert_eq!(open.web_acl.known(), Some(&None));
        assert_eq!(open.logging.known(), Some(&false));

        let clean: &Distribution = one(&n, &format!("{ARN}E2CLEAN"));
        let policies: Vec<&str> = clean
            .viewer_protocol_policies
            .iter()
            .map(|p| p.known().unwrap().as_str())
            .collect();
        assert_eq!(policies, ["redirect-to-https", "https-only"]);
        assert_eq!(clean.default_certificate.known(), Some(&false));
        assert_eq!(
            clean.minimum_protocol_version.known().unwrap(),
            "TLSv1.2_2021"
        );
        assert!(clean.web_acl.known().unwrap().is_some());
        assert_eq!(clean.logging.known(), Some(&true));

        // Denied configuration: the summary (second listing page) gives all but logging.
        let locked: &Distribution = one(&n, &format!("{ARN}E3LOCKED"));
        assert_eq!(locked.viewer_protocol_policies.len(), 3);
        assert_eq!(
            &*locked.viewer_protocol_policies[0].span.file,
            "aws://us-east-1/cloudfront/ListDistributions"
        );
        assert_eq!(
            locked.minimum_protocol_version.known().unwrap(),
            "TLSv1.2_2021"
        );
        assert_eq!(
            reason(&locked.logging),
            "cloudfront:GetDistributionConfig failed in us-east-1 (AccessDenied)"
        );
    }

    #[test]
    fn rules_judge_distributions() {
        let n = load("cloudfront");
        let open = format!("{ARN}E1OPEN");
        let clean = format!("{ARN}E2CLEAN");
        judge(
            &n,
            &["aws://us-east-1/cloudfront/GetDistributionConfig?Id=E3LOCKED"],
            &[
                ("AWS-CLOUDFRONT-001", open.clone()),
                ("AWS-CLOUDFRONT-002", open.clone()),
                ("AWS-CLOUDFRONT-003", open.clone()),
                ("AWS-CLOUDFRONT-004", open),
            ],
            &[
                ("AWS-CLOUDFRONT-001", clean.clone()),
                ("AWS-CLOUDFRONT-002", clean.clone()),
                ("AWS-CLOUDFRONT-003", clean.clone()),
                ("AWS-CLOUDFRONT-004", clean),
                ("AWS-CLOUDFRONT-001", format!("{ARN}E3LOCKED")),
            ],
        );
    }
}

mod eks {
    use super::*;
    use deadbolt_model::aws::eks::Cluster;

    const ARN: &str = "arn:aws:eks:eu-west-1:123456789012:cluster/";

    #[test]
    fn clusters_come_from_describe_cluster() {
        let n = load("eks");
        let open: &Cluster = one(&n, &format!("{ARN}open"));
        assert_eq!(open.meta.kind, "AWS::EKS::Cluster");
        assert_eq!(open.endpoint_public_access.known(), Some(&true));
        assert_eq!(
            &*open.endpoint_public_access.span.file,
            "aws://eu-west-1/eks/DescribeCluster?name=open"
        );
        assert_eq!(open.public_access_cidrs.known().unwrap(), &["0.0.0.0/0"]);
        assert_eq!(open.secrets_encryption.known(), Some(&false));
        assert_eq!(open.control_plane_logs.known(), Some(&Vec::new()));

        let private: &Cluster = one(&n, &format!("{ARN}private"));
        assert_eq!(private.endpoint_public_access.known(), Some(&false));
        // An empty list is the API default, open to the internet (but the endpoint is private).
        assert!(!private.public_access_cidrs.explicit);
        assert_eq!(private.secrets_encryption.known(), Some(&true));
        assert_eq!(
            private.control_plane_logs.known().unwrap(),
            &["api", "audit", "authenticator"]
        );

        // The cluster of the other region, its description denied.
        let locked: &Cluster = one(&n, "arn:aws:eks:us-east-1:123456789012:cluster/locked");
        assert_eq!(
            locked.meta.locations[0].region.known().unwrap(),
            "us-east-1"
        );
        assert_eq!(
            reason(&locked.secrets_encryption),
            "eks:DescribeCluster failed in us-east-1 (AccessDeniedException)"
        );
    }

    #[test]
    fn rules_judge_clusters() {
        let n = load("eks");
        let (open, private) = (format!("{ARN}open"), format!("{ARN}private"));
        judge(
            &n,
            &["aws://us-east-1/eks/DescribeCluster?name=locked"],
            &[
                ("AWS-EKS-001", open.clone()),
                ("AWS-EKS-002", open.clone()),
                ("AWS-EKS-003", open.clone()),
                ("AWS-EKS-004", open),
            ],
            &[
                ("AWS-EKS-001", private.clone()),
                ("AWS-EKS-002", private.clone()),
                ("AWS-EKS-003", private.clone()),
                ("AWS-EKS-004", private),
            ],
        );
    }
}

mod ecr {
    use super::*;
    use deadbolt_model::aws::ecr::Repository;

    const ARN: &str = "arn:aws:ecr:eu-west-1:123456789012:repository/";

    #[test]
    fn repositories_and_registry_scanning_rules() {
        let n = load("ecr");
        let mutable: &Repository = one(&n, &format!("{ARN}app-mutable"));
        assert_eq!(mutable.meta.kind, "AWS::ECR::Repository");
        assert_eq!(mutable.name.known().unwrap(), "app-mutable");
        assert_eq!(mutable.tag_mutability.known().unwrap(), "MUTABLE");
        assert_eq!(mutable.scan_on_push.known(), Some(&false));
        assert_eq!(mutable.encryption_type.known().unwrap(), "AES256");
        assert_eq!(
            &*mutable.scan_on_push.span.file,
            "aws://eu-west-1/ecr/DescribeRepositories"
        );
        let pinned: &Repository = one(&n, &format!("{ARN}app-pinned"));
        assert_eq!(pinned.scan_on_push.known(), Some(&true));
        assert_eq!(pinned.encryption_type.known().unwrap(), "KMS");
        // Scanned on push by the registry's `prod-*` rule.
        let prod: &Repository = one(&n, &format!("{ARN}prod-api"));
        assert_eq!(prod.scan_on_push.known(), Some(&true));
        assert_eq!(
            &*prod.scan_on_push.span.file,
            "aws://eu-west-1/ecr/GetRegistryScanningConfiguration"
        );
        // The registry configuration denied: a registry rule may cover the repository.
        let other: &Repository = one(&n, "arn:aws:ecr:us-east-1:123456789012:repository/other");
        assert!(
            reason(&other.scan_on_push).contains(
                "ecr:GetRegistryScanningConfiguration failed in us-east-1 (AccessDeniedException)"
            ),
            "{}",
            reason(&other.scan_on_push)
        );
    }

    #[test]
    fn rules_judge_repositories() {
        let n = load("ecr");
        let (mutable, pinned) = (format!("{ARN}app-mutable"), format!("{ARN}app-pinned"));
        judge(
            &n,
            &["aws://us-east-1/ecr/GetRegistryScanningConfiguration"],
            &[
                ("AWS-ECR-001", mutable.clone()),
                ("AWS-ECR-002", mutable.clone()),
                ("AWS-ECR-003", mutable),
            ],
            &[
                ("AWS-ECR-001", pinned.clone()),
                ("AWS-ECR-002", pinned.clone()),
                ("AWS-ECR-003", pinned),
                ("AWS-ECR-002", format!("{ARN}prod-api")),
                (
                    "AWS-ECR-002",
                    "arn:aws:ecr:us-east-1:123456789012:repository/other".to_string(),
                ),
            ],
        );
    }
}

mod messaging {
    use super::*;
    use deadbolt_model::aws::datastore::{DataStore, StoreKind};

    const T: &str = "arn:aws:sns:eu-west-1:123456789012:";
    const Q: &str = "arn:aws:sqs:eu-west-1:123456789012:";

    #[test]
    fn topics_and_queues_are_data_stores() {
        let n = load("messaging");
        let plain: &DataStore = one(&n, &format!("{T}alerts-plain"));
        assert_eq!(plain.kind, StoreKind::SnsTopic);
        assert_eq!(plain.meta.kind, "AWS::SNS::Topic");
        assert_eq!(plain.encrypted_at_rest.known(), Some(&false));
        assert_eq!(
            &*plain.encrypted_at_rest.span.file,
            format!("aws://eu-west-1/sns/GetTopicAttributes?TopicArn={T}alerts-plain")
        );
        let kms: &DataStore = one(&n, &format!("{T}alerts-kms"));
        assert_eq!(kms.encrypted_at_rest.known(), Some(&true));
        let locked: &DataStore = one(&n, &format!("{T}locked"));
        assert_eq!(
            reason(&locked.encrypted_at_rest),
            "sns:GetTopicAttributes failed in eu-west-1 (AuthorizationError)"
        );

        let plain: &DataStore = one(&n, &format!("{Q}jobs-plain"));
        assert_eq!(plain.kind, StoreKind::SqsQueue);
        assert_eq!(plain.meta.kind, "AWS::SQS::Queue");
        assert_eq!(plain.encrypted_at_rest.known(), Some(&false));
        assert!(plain.encrypted_at_rest.explicit);
        let sse: &DataStore = one(&n, &format!("{Q}jobs-sse"));
        assert_eq!(sse.encrypted_at_rest.known(), Some(&true));
        let kms: &DataStore = one(&n, &format!("{Q}jobs-kms"));
        assert_eq!(kms.encrypted_at_rest.known(), Some(&true));
        // Denied: the address comes from the queue URL.
        let locked: &DataStore = one(&n, &format!("{Q}locked"));
        assert_eq!(
            reason(&locked.encrypted_at_rest),
            "sqs:GetQueueAttributes failed in eu-west-1 (AccessDenied)"
        );
    }

    #[test]
    fn rules_judge_topics_and_queues() {
        let n = load("messaging");
        judge(
            &n,
            &[
                &format!("aws://eu-west-1/sns/GetTopicAttributes?TopicArn={T}locked"),
                "aws://eu-west-1/sqs/GetQueueAttributes?QueueUrl=https://sqs.eu-west-1.amazonaws.com/123456789012/locked",
            ],
            &[
                ("AWS-SNS-001", format!("{T}alerts-plain")),
                ("AWS-SQS-001", format!("{Q}jobs-plain")),
            ],
            &[
                ("AWS-SNS-001", format!("{T}alerts-kms")),
                ("AWS-SNS-001", format!("{T}locked")),
                ("AWS-SQS-001", format!("{Q}jobs-sse")),
                ("AWS-SQS-001", format!("{Q}jobs-kms")),
                ("AWS-SQS-001", format!("{Q}locked")),
            ],
        );
    }
}

mod lightsail {
    use super::*;
    use deadbolt_model::aws::lightsail::Instance;

    const ARN: &str = "arn:aws:lightsail:eu-west-1:123456789012:Instance/";

    #[test]
    fn instances_with_their_open_ports() {
        let n = load("lightsail");
        let open: &Instance = one(&n, &format!("{ARN}0a1b"));
        assert_eq!(open.meta.kind, "AWS::Lightsail::Instance");
        assert_eq!(open.name.known().unwrap(), "wp-open");
        assert_eq!(open.blueprint.known().unwrap(), "wordpress");
        assert_eq!(open.ports.len(), 3);
        assert_eq!(open.ports[2].protocol.known().unwrap(), "-1");
        assert_eq!(open.ports[0].ipv4_cidrs.known().unwrap(), &["0.0.0.0/0"]);
        assert_eq!(
            &*open.ports[0].span.file,
            "aws://eu-west-1/lightsail/GetInstancePortStates?instanceName=wp-open"
        );
        // Closed port states are no rules.
        let clean: &Instance = one(&n, &format!("{ARN}2c3d"));
        assert_eq!(clean.ports.len(), 2);
        assert_eq!(clean.ports[1].ipv6_cidrs.known().unwrap(), &["::/0"]);
        // Port states denied: the listing's ports stand in (second page).
        let locked: &Instance = one(&n, &format!("{ARN}4e5f"));
        assert_eq!(locked.ports.len(), 1);
        assert_eq!(locked.ports[0].from_port.known(), Some(&3389));
        assert_eq!(
            &*locked.ports[0].span.file,
            "aws://eu-west-1/lightsail/GetInstances"
        );
    }

    #[test]
    fn rules_judge_instances() {
        let n = load("lightsail");
        judge(
            &n,
            &["aws://eu-west-1/lightsail/GetInstancePortStates?instanceName=locked"],
            &[
                ("AWS-LIGHTSAIL-001", format!("{ARN}0a1b")),
                ("AWS-LIGHTSAIL-002", format!("{ARN}0a1b")),
                ("AWS-LIGHTSAIL-001", format!("{ARN}4e5f")),
            ],
            &[
                ("AWS-LIGHTSAIL-001", format!("{ARN}2c3d")),
                ("AWS-LIGHTSAIL-002", format!("{ARN}2c3d")),
            ],
        );
    }
}

mod backup {
    use super::*;
    use deadbolt_model::{ResidencyPolicy, ResourceMeta};

    const P: &str = "arn:aws:backup:eu-west-1:123456789012:backup-plan:";

    /// The metadata of the plan at `address` (plans are untyped resources).
    fn plan<'m>(n: &'m Normalised, address: &str) -> &'m ResourceMeta {
        n.model
            .resources()
            .iter()
            .map(|r| r.meta())
            .find(|m| m.address == address)
            .unwrap_or_else(|| panic!("no {address}"))
    }

    fn regions(plan: &ResourceMeta) -> Vec<(LocationRole, Option<String>)> {
        plan.locations
            .iter()
            .map(|l| (l.role, l.region.known().cloned()))
            .collect()
    }

    #[test]
    fn copy_actions_are_backup_locations() {
        let n = load("backup");
        let abroad = plan(&n, &format!("{P}p-abroad"));
        assert_eq!(abroad.kind, "AWS::Backup::BackupPlan");
        assert_eq!(
            regions(abroad),
            [
                (LocationRole::Primary, Some("eu-west-1".to_string())),
                (LocationRole::Backup, Some("us-west-2".to_string())),
            ]
        );
        assert_eq!(
            &*abroad.locations[1].region.span.file,
            "aws://eu-west-1/backup/GetBackupPlan?BackupPlanId=p-abroad"
        );
        let locked = plan(&n, &format!("{P}p-locked"));
        assert_eq!(
            reason(&locked.locations[1].region),
            "backup:GetBackupPlan failed in eu-west-1 (AccessDeniedException)"
        );
        // Secrets, protected resources and log groups are collected, not modelled.
        let kinds: Vec<&str> = n
            .model
            .resources()
            .iter()
            .map(|r| r.meta().kind.as_str())
            .filter(|k| !k.starts_with("AWS::Backup::BackupPlan"))
            .collect();
        assert!(
            !kinds
                .iter()
                .any(|k| k.contains("SecretsManager") || k.contains("Logs")),
            "{kinds:?}"
        );
    }

    #[test]
    fn residency_judges_backup_copies() {
        let mut n = load("backup");
        n.model.set_residency(Some(ResidencyPolicy {
            label: Some("EU only".to_string()),
            allowed_regions: vec!["eu-*".to_string()],
            file: "deadbolt.yaml".to_string(),
        }));
        judge(
            &n,
            &["aws://eu-west-1/backup/GetBackupPlan?BackupPlanId=p-locked"],
            &[("AWS-RESIDENCY-001", format!("{P}p-abroad"))],
            &[
                ("AWS-RESIDENCY-001", format!("{P}p-home")),
                ("AWS-RESIDENCY-001", format!("{P}p-locked")),
            ],
        );
    }
}
