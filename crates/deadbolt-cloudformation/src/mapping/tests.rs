//! Mapping tests that go through the whole template path (parse, evaluate, map), one intrinsic at
//! least per resource type.

use std::sync::Arc;

use deadbolt_model::aws::cloudfront::Distribution;
use deadbolt_model::aws::cloudtrail::Trail;
use deadbolt_model::aws::config::Recorder;
use deadbolt_model::aws::datastore::{DataStore, StoreKind};
use deadbolt_model::aws::dynamodb::Table;
use deadbolt_model::aws::ecr::Repository;
use deadbolt_model::aws::eks::Cluster;
use deadbolt_model::aws::elb::{Listener, LoadBalancer};
use deadbolt_model::aws::kms::Key;
use deadbolt_model::aws::lambda::{Function, FunctionUrl, Permission};
use deadbolt_model::aws::lightsail::Instance;
use deadbolt_model::aws::rds::Database;
use deadbolt_model::{Model, State, Typed};

use crate::{ParameterValues, load_template};

/// Maps a one-document YAML template, requiring that it loads without diagnostics.
fn load(yaml: &str) -> Model {
    let file: Arc<str> = Arc::from("template.yaml");
    let docs = deadbolt_yaml::parse(&file, yaml).expect("the test template parses");
    let mut diagnostics = Vec::new();
    let model = load_template(
        &file,
        yaml,
        &docs[0],
        &ParameterValues::new(),
        None,
        &mut diagnostics,
    );
    assert!(diagnostics.is_empty(), "diagnostics: {diagnostics:?}");
    model
}

/// The one resource of type `T` with logical ID `id`.
fn one<'m, T: Typed + 'static>(model: &'m Model, id: &str, meta: impl Fn(&T) -> &str) -> &'m T {
    model
        .all::<T>()
        .find(|t| meta(t) == id)
        .unwrap_or_else(|| panic!("{id} is mapped"))
}

fn db<'m>(model: &'m Model, id: &str) -> &'m Database {
    one::<Database>(model, id, |d| &d.meta.address)
}

#[test]
fn rds_instance_reads_parameters_and_conditions() {
    let model = load(
        r#"
Parameters:
  Encrypt: {Type: String, Default: "false"}
  Retention: {Type: Number, Default: 14}
  Env: {Type: String, Default: dev}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      StorageEncrypted: !Ref Encrypt
      BackupRetentionPeriod: !Ref Retention
      MultiAZ: !If [Prod, true, false]
"#,
    );
    let orders = db(&model, "Orders");
    assert_eq!(orders.multi_az.known(), Some(&false));
    assert!(orders.multi_az.explicit);
    assert_eq!(orders.storage_encrypted.known(), Some(&false));
    assert!(orders.storage_encrypted.explicit);
    assert_eq!(orders.backup_retention_days.known(), Some(&14));
    assert!(!orders.is_cluster && !orders.in_cluster);
    // Unset, the API decides from the VPC, which the template does not show.
    assert!(orders.publicly_accessible.unknown_reason().is_some());
    assert_eq!(orders.deletion_protection.known(), Some(&false));
    assert!(!orders.deletion_protection.explicit);
}

#[test]
fn rds_cluster_members_replicas_and_serverless() {
    let model = load(
        r#"
Resources:
  Analytics:
    Type: AWS::RDS::DBCluster
    Properties:
      Engine: aurora-postgresql
      EngineMode: serverless
  Member:
    Type: AWS::RDS::DBInstance
    Properties:
      DBClusterIdentifier: !Ref Analytics
      Engine: aurora-postgresql
      PubliclyAccessible: false
  Replica:
    Type: AWS::RDS::DBInstance
    Properties:
      SourceDBInstanceIdentifier: !Ref Standalone
  Standalone:
    Type: AWS::RDS::DBInstance
    Properties: {Engine: mysql, StorageEncrypted: true}
"#,
    );
    let cluster = db(&model, "Analytics");
    assert!(cluster.is_cluster);
    assert_eq!(cluster.storage_encrypted.known(), Some(&true));
    // An Aurora cluster has no public endpoint of its own.
    assert_eq!(cluster.publicly_accessible.known(), Some(&false));
    let member = db(&model, "Member");
    assert!(member.in_cluster);
    assert_eq!(member.publicly_accessible.known(), Some(&false));
    assert!(matches!(
        &db(&model, "Replica").storage_encrypted.state,
        State::Unknown(u) if u.to_string().contains("SourceDBInstanceIdentifier")
    ));
}

#[test]
fn docdb_and_neptune_encryption() {
    let model = load(
        r#"
Parameters:
  Encrypted: {Type: String, AllowedValues: ["true", "false"], Default: "true"}
Resources:
  Docs:
    Type: AWS::DocDB::DBCluster
    Properties:
      StorageEncrypted: !Ref Encrypted
  Graph:
    Type: AWS::Neptune::DBCluster
    Properties: {}
"#,
    );
    let store = |id: &str| one::<DataStore>(&model, id, |d| &d.meta.address);
    assert_eq!(store("Docs").kind, StoreKind::DocDbCluster);
    assert_eq!(store("Docs").encrypted_at_rest.known(), Some(&true));
    assert_eq!(store("Graph").kind, StoreKind::NeptuneCluster);
    assert_eq!(store("Graph").encrypted_at_rest.known(), Some(&false));
}

#[test]
fn dynamodb_tables_and_sam_simple_tables() {
    let model = load(
        r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Sse: {Type: String, Default: "true"}
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: !If [Never, RSA_2048, !Ref AWS::NoValue]
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
      SSESpecification:
        SSEEnabled: !Ref Sse
        KMSMasterKeyId: !GetAtt Key.Arn
  Cache:
    Type: AWS::Serverless::SimpleTable
    Properties:
      SSESpecification: {SSEEnabled: true}
Conditions:
  Never: !Equals [a, b]
"#,
    );
    let table = |id: &str| one::<Table>(&model, id, |t| &t.meta.address);
    assert_eq!(table("Orders").point_in_time_recovery.known(), Some(&true));
    assert_eq!(table("Orders").kms_encryption.known(), Some(&true));
    // A key of the template is certainly set, though its ARN is known only once it exists.
    assert_eq!(
        table("Orders").kms_key.known(),
        Some(&Some("Key".to_string()))
    );
    assert_eq!(table("Cache").point_in_time_recovery.known(), Some(&false));
    assert_eq!(table("Cache").kms_encryption.known(), Some(&true));
    assert_eq!(table("Cache").kms_key.known(), Some(&None));
    let key = one::<Key>(&model, "Key", |k| &k.meta.address);
    // `AWS::NoValue` removes the property, so the default spec applies.
    assert_eq!(
        key.key_spec.known().map(String::as_str),
        Some("SYMMETRIC_DEFAULT")
    );
    assert_eq!(key.policy.known(), Some(&None));
}

#[test]
fn sam_functions_inherit_globals_and_override_them_by_variable() {
    let model = load(
        r#"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: dev}
Conditions:
  Prod: !Equals [!Ref Stage, prod]
Globals:
  Function:
    Tracing: Active
    Environment:
      Variables:
        LOG_LEVEL: info
        TOKEN: shared
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Tracing: !If [Prod, Active, PassThrough]
      Environment:
        Variables:
          TOKEN: own
          DEBUG: !If [Prod, !Ref AWS::NoValue, "1"]
          AUDIT: !If [Prod, "1", !Ref AWS::NoValue]
      FunctionUrlConfig: {AuthType: AWS_IAM}
  Worker:
    Type: AWS::Serverless::Function
    Properties: {}
  Plain:
    Type: AWS::Lambda::Function
    Properties: {}
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      Principal: "*"
      SourceArn: !GetAtt Plain.Arn
"#,
    );
    let function = |id: &str| one::<Function>(&model, id, |f| &f.meta.address);
    let vars = |id: &str| -> Vec<(String, Option<String>)> {
        let mut vars: Vec<_> = function(id)
            .environment
            .known()
            .expect("known environment")
            .iter()
            .map(|v| (v.name.clone(), v.value.known().cloned()))
            .collect();
        vars.sort();
        vars
    };
    let pair = |n: &str, v: &str| (n.to_string(), Some(v.to_string()));
    assert_eq!(
        vars("Api"),
        vec![
            pair("DEBUG", "1"),
            pair("LOG_LEVEL", "info"),
            pair("TOKEN", "own")
        ]
    );
    assert_eq!(
        vars("Worker"),
        vec![pair("LOG_LEVEL", "info"), pair("TOKEN", "shared")]
    );
    assert_eq!(vars("Plain"), Vec::new());
    assert_eq!(
        function("Api").tracing_mode.known().map(String::as_str),
        Some("PassThrough")
    );
    assert_eq!(
        function("Worker").tracing_mode.known().map(String::as_str),
        Some("Active")
    );
    assert!(!function("Plain").tracing_mode.explicit);
    let urls: Vec<_> = model.all::<FunctionUrl>().collect();
    assert_eq!(urls.len(), 1);
    assert_eq!(urls[0].meta.address, "ApiUrl");
    assert_eq!(
        urls[0].auth_type.known().map(String::as_str),
        Some("AWS_IAM")
    );
    let permission = one::<Permission>(&model, "Invoke", |p| &p.meta.address);
    assert_eq!(
        permission.source_arn.known(),
        Some(&Some("Plain".to_string()))
    );
}

#[test]
fn trails_recorders_and_distributions() {
    let model = load(
        r#"
Parameters:
  Everything: {Type: String, Default: "yes"}
Conditions:
  All: !Equals [!Ref Everything, "yes"]
Resources:
  Key:
    Type: AWS::KMS::Key
  Acl:
    Type: AWS::WAFv2::WebACL
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      KMSKeyId: !GetAtt Key.Arn
      IsMultiRegionTrail: !If [All, true, false]
  Recorder:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RecordingGroup:
        AllSupported: !If [All, true, false]
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        WebACLId: !GetAtt Acl.Arn
        DefaultCacheBehavior: {ViewerProtocolPolicy: !If [All, https-only, allow-all]}
        CacheBehaviors:
          - ViewerProtocolPolicy: redirect-to-https
"#,
    );
    let trail = one::<Trail>(&model, "Trail", |t| &t.meta.address);
    assert_eq!(trail.kms_key.known(), Some(&Some("Key".to_string())));
    assert_eq!(trail.multi_region.known(), Some(&true));
    assert_eq!(trail.cloudwatch_logs_group.known(), Some(&None));
    // `IsLogging` is required: absent, it is not assumed.
    assert!(trail.logging.unknown_reason().is_some());
    let recorder = one::<Recorder>(&model, "Recorder", |r| &r.meta.address);
    assert_eq!(recorder.all_supported.known(), Some(&true));
    assert_eq!(recorder.include_global_resource_types.known(), Some(&false));
    let cdn = one::<Distribution>(&model, "Cdn", |d| &d.meta.address);
    assert_eq!(cdn.web_acl.known(), Some(&Some("Acl".to_string())));
    let policies: Vec<_> = cdn
        .viewer_protocol_policies
        .iter()
        .map(|p| p.known().cloned())
        .collect();
    assert_eq!(
        policies,
        vec![
            Some("https-only".to_string()),
            Some("redirect-to-https".to_string())
        ]
    );
    // No viewer certificate: the default `*.cloudfront.net` one, with its TLSv1 floor.
    assert_eq!(cdn.default_certificate.known(), Some(&true));
    assert_eq!(cdn.logging.known(), Some(&false));
}

#[test]
fn load_balancers_repositories_and_clusters() {
    let model = load(
        r#"
Parameters:
  Harden: {Type: String, Default: "true"}
  Prefix: {Type: String}
  Logs: {Type: String, Default: audit}
Resources:
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
      LoadBalancerAttributes:
        - {Key: routing.http.drop_invalid_header_fields.enabled, Value: !Ref Harden}
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      Protocol: HTTPS
      Port: 443
      DefaultActions:
        - {Type: redirect, RedirectConfig: {Protocol: HTTPS}}
  Named:
    Type: AWS::ECR::Repository
    Properties: {RepositoryName: prod/api}
  Unnamed:
    Type: AWS::ECR::Repository
    Properties: {RepositoryName: !Sub "${Prefix}/web"}
  Registry:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      Rules:
        - ScanFrequency: SCAN_ON_PUSH
          RepositoryFilters: [{Filter: prod/*, FilterType: WILDCARD}]
  Eks:
    Type: AWS::EKS::Cluster
    Properties:
      ResourcesVpcConfig: {PublicAccessCidrs: []}
      EncryptionConfig: [{Resources: [secrets]}]
      Logging: {ClusterLogging: {EnabledTypes: [{Type: api}, {Type: !Ref Logs}]}}
"#,
    );
    let alb = one::<LoadBalancer>(&model, "Alb", |l| &l.meta.address);
    assert_eq!(alb.drop_invalid_headers.known(), Some(&true));
    assert_eq!(alb.internal.known(), Some(&true));
    assert_eq!(alb.lb_type.known().map(String::as_str), Some("application"));
    let https = one::<Listener>(&model, "Https", |l| &l.meta.address);
    assert_eq!(
        https.ssl_policy.known(),
        Some(&Some("ELBSecurityPolicy-2016-08".to_string()))
    );
    assert!(!https.ssl_policy.explicit);
    let action = &https.default_actions[0];
    assert_eq!(
        action.action_type.known().map(String::as_str),
        Some("redirect")
    );
    assert_eq!(
        action
            .redirect_protocol
            .as_ref()
            .and_then(|p| p.known())
            .map(String::as_str),
        Some("HTTPS")
    );
    let repo = |id: &str| one::<Repository>(&model, id, |r| &r.meta.address);
    assert_eq!(repo("Named").scan_on_push.known(), Some(&true));
    // The rule may or may not cover a repository whose name is unknown.
    assert!(repo("Unnamed").scan_on_push.unknown_reason().is_some());
    let eks = one::<Cluster>(&model, "Eks", |c| &c.meta.address);
    assert_eq!(eks.endpoint_public_access.known(), Some(&true));
    assert_eq!(
        eks.public_access_cidrs.known(),
        Some(&vec!["0.0.0.0/0".to_string()])
    );
    assert_eq!(eks.secrets_encryption.known(), Some(&true));
    assert_eq!(
        eks.control_plane_logs.known(),
        Some(&vec!["api".to_string(), "audit".to_string()])
    );
}

#[test]
fn data_stores_and_lightsail_firewalls() {
    let model = load(
        r#"
Parameters:
  Engine: {Type: String}
  Office: {Type: CommaDelimitedList, Default: "203.0.113.0/24,0.0.0.0/0"}
  Stage: {Type: String, Default: prod}
Conditions:
  Prod: !Equals [!Ref Stage, prod]
Resources:
  Key:
    Type: AWS::KMS::Key
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: !GetAtt Key.Arn
      SqsManagedSseEnabled: false
  Search:
    Type: AWS::OpenSearchService::Domain
    Properties:
      NodeToNodeEncryptionOptions: {Enabled: !If [Prod, true, false]}
      DomainEndpointOptions: {TLSSecurityPolicy: Policy-Min-TLS-1-2-2019-07}
  Restored:
    Type: AWS::Redshift::Cluster
    Properties:
      SnapshotIdentifier: nightly
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      Engine: !Ref Engine
  Box:
    Type: AWS::Lightsail::Instance
    Properties:
      BlueprintId: ubuntu_22_04
      Networking:
        Ports:
          - {Protocol: tcp, FromPort: 22, ToPort: 22, Cidrs: !Ref Office}
  Windows:
    Type: AWS::Lightsail::Instance
    Properties:
      BlueprintId: !If [Prod, windows_server_2022, ubuntu_22_04]
"#,
    );
    let store = |id: &str| one::<DataStore>(&model, id, |d| &d.meta.address);
    // A key of the template encrypts, whatever SSE-SQS says.
    assert_eq!(store("Queue").encrypted_at_rest.known(), Some(&true));
    let search = store("Search");
    assert_eq!(
        search.encrypted_in_transit.as_ref().and_then(|a| a.known()),
        Some(&true)
    );
    // Endpoint options without `EnforceHTTPS` leave HTTP allowed.
    assert_eq!(
        search.https_enforced.as_ref().and_then(|a| a.known()),
        Some(&false)
    );
    assert_eq!(search.encrypted_at_rest.known(), Some(&false));
    let restored = store("Restored");
    assert!(restored.encrypted_at_rest.unknown_reason().is_some());
    assert_eq!(
        restored
            .publicly_accessible
            .as_ref()
            .and_then(|a| a.known()),
        Some(&false)
    );
    assert!(store("Cache").encrypted_at_rest.unknown_reason().is_some());
    let instance = |id: &str| one::<Instance>(&model, id, |i| &i.meta.address);
    let ports = &instance("Box").ports;
    assert_eq!(ports.len(), 1);
    assert_eq!(ports[0].covers_tcp_port(22), Some(true));
    assert_eq!(ports[0].open_to_world(), Some(true));
    let windows = &instance("Windows").ports;
    assert_eq!(windows.len(), 2);
    assert!(windows.iter().all(|p| !p.protocol.explicit));
    assert_eq!(windows[0].covers_tcp_port(3389), Some(true));
}
