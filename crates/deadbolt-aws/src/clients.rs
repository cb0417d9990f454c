//! SDK clients: one shared configuration (credentials, retries, HTTP client, endpoint), one
//! client per service and region, each carrying the read-only guard.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::interceptors::SharedInterceptor;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;

use crate::record::ReadOnlyGuard;
use crate::{MAX_ATTEMPTS, Options};

/// The region used when neither the options, the profile nor the environment name one.
const FALLBACK_REGION: &str = "us-east-1";

/// Builds the clients of one collection.
#[derive(Clone, Debug)]
pub struct Clients {
    config: SdkConfig,
    guard: ReadOnlyGuard,
    extra: Vec<SharedInterceptor>,
    home: String,
    custom_endpoint: bool,
}

macro_rules! client {
    ($(#[$doc:meta])* $name:ident, $krate:ident) => {
        $(#[$doc])*
        pub fn $name(&self, region: &str) -> $krate::Client {
            let mut config = $krate::config::Builder::from(&self.config)
                .region(Region::new(region.to_string()))
                .interceptor(self.guard.clone());
            for interceptor in &self.extra {
                config.push_interceptor(interceptor.clone());
            }
            $krate::Client::from_conf(config.build())
        }
    };
}

impl Clients {
    /// Loads the shared configuration the SDK's way (environment, profile, SSO, container and
    /// instance roles), with `options` on top. Credentials are resolved lazily, at the first call.
    pub async fn load(options: &Options, guard: ReadOnlyGuard) -> Self {
        let https = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .http_client(https)
            .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
            // An endpoint that accepts a request and never answers must cost one attempt, not
            // the whole collection.
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(std::time::Duration::from_secs(10))
                    .operation_attempt_timeout(std::time::Duration::from_secs(60))
                    .build(),
            );
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let crate::Regions::List(list) = &options.regions
            && let Some(first) = list.first()
        {
            loader = loader.region(Region::new(first.clone()));
        }
        let config = loader.load().await;
        let home = config
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| FALLBACK_REGION.to_string());
        let custom_endpoint = options.endpoint_url.is_some()
            || config.endpoint_url().is_some()
            || std::env::var_os("AWS_ENDPOINT_URL").is_some()
            || std::env::var_os("AWS_ENDPOINT_URL_S3").is_some();
        Clients {
            config,
            guard,
            extra: Vec::new(),
            home,
            custom_endpoint,
        }
    }

    /// Clients from a configuration built elsewhere, with `extra` interceptors on every client
    /// after the guard: how tests put the SDK's mock responses (`aws-smithy-mocks`) behind the
    /// same collection code. `home` is the region global calls go to.
    pub fn from_parts(
        config: SdkConfig,
        guard: ReadOnlyGuard,
        extra: Vec<SharedInterceptor>,
        home: &str,
    ) -> Self {
        Clients {
            config,
            guard,
            extra,
            home: home.to_string(),
            custom_endpoint: false,
        }
    }

    /// The region global calls are sent to.
    pub fn home_region(&self) -> &str {
        &self.home
    }

    /// Whether calls go to an endpoint other than AWS's own (then S3 uses path-style addressing
    /// and S3 Control does not prefix the host with the account ID).
    pub fn custom_endpoint(&self) -> bool {
        self.custom_endpoint
    }

    /// An S3 client for `region`; path-style addressing against a custom endpoint.
    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let mut config = aws_sdk_s3::config::Builder::from(&self.config)
            .region(Region::new(region.to_string()))
            .force_path_style(self.custom_endpoint)
            .interceptor(self.guard.clone());
        for interceptor in &self.extra {
            config.push_interceptor(interceptor.clone());
        }
        aws_sdk_s3::Client::from_conf(config.build())
    }

    client!(/** An STS client. */ sts, aws_sdk_sts);
    client!(/** An IAM client. */ iam, aws_sdk_iam);
    client!(/** An S3 Control client. */ s3control, aws_sdk_s3control);
    client!(/** An EC2 client. */ ec2, aws_sdk_ec2);
    client!(/** An RDS client. */ rds, aws_sdk_rds);
    client!(/** A CloudTrail client. */ cloudtrail, aws_sdk_cloudtrail);
    client!(/** A KMS client. */ kms, aws_sdk_kms);
    client!(/** A Lambda client. */ lambda, aws_sdk_lambda);
    client!(/** An AWS Config client. */ config, aws_sdk_config);
    client!(/** A GuardDuty client. */ guardduty, aws_sdk_guardduty);
    client!(/** A Security Hub client. */ securityhub, aws_sdk_securityhub);
    client!(/** An IAM Access Analyzer client. */ accessanalyzer, aws_sdk_accessanalyzer);
    client!(/** A DynamoDB client. */ dynamodb, aws_sdk_dynamodb);
    client!(/** An Elastic Load Balancing v2 client. */ elbv2, aws_sdk_elasticloadbalancingv2);
    client!(/** A CloudFront client. */ cloudfront, aws_sdk_cloudfront);
    client!(/** An EKS client. */ eks, aws_sdk_eks);
    client!(/** An ECR client. */ ecr, aws_sdk_ecr);
    client!(/** An SNS client. */ sns, aws_sdk_sns);
    client!(/** An SQS client. */ sqs, aws_sdk_sqs);
    client!(/** A Lightsail client. */ lightsail, aws_sdk_lightsail);
    client!(/** A Secrets Manager client. */ secretsmanager, aws_sdk_secretsmanager);
    client!(/** An AWS Backup client. */ backup, aws_sdk_backup);
    client!(/** A CloudWatch Logs client. */ logs, aws_sdk_cloudwatchlogs);
}
