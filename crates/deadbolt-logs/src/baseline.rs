//! Per-identity baselines: what each identity usually does, learned from the logs themselves, and
//! one explained alert per identity and clock hour when it does what it never did before.
//!
//! # What is learned
//!
//! For each identity ([`Header::principal`]: the role of an assumed-role session, else the caller's
//! ARN):
//! - the APIs it calls: the service of `eventSource` and the `eventName`
//!   (`secretsmanager:GetSecretValue`);
//! - the source networks it calls from: the /24 of an IPv4 address, the /48 of an IPv6 one, or,
//!   with a MaxMind database ([`BaselineOptions::geoip`]), the autonomous system (ASN databases)
//!   or the country (Country and City databases);
//! - the user-agent families it uses ([`user_agent_family`]);
//! - its busiest clock hour so far: the most distinct APIs, and the most AccessDenied-type errors
//!   (`AccessDenied*`, `*UnauthorizedOperation`), in one hour;
//!
//! and for each account, the regions that see activity.
//!
//! What AWS does for a principal is not the principal's behaviour and is skipped: records with
//! `userIdentity.invokedBy`, a `sourceIPAddress` that is a service name
//! (`cloudformation.amazonaws.com`), `AWSService` identities and `AwsServiceEvent` records.
//!
//! # Learning, then scoring
//!
//! A new [`Baseline`] only learns during the first [`BaselineOptions::learn_days`] days after the
//! first event it sees; after that, what is new is both learned and scored. A [`Baseline::load`]ed
//! one goes on from where it was: the learning period is counted from the first event of its
//! history, so daily runs from an empty file (load, observe the day, [`Baseline::finish`],
//! [`Baseline::save`]) learn for `learn_days` and then compare each day against all the days
//! before.
//!
//! An identity never seen before, after learning, is one reason ("new identity") and then learns
//! for [`BaselineOptions::identity_learn_hours`] on its own: every API of a new role is new, and
//! saying so API by API would bury the one fact that matters.
//!
//! # Alerts
//!
//! Reasons are gathered per identity per clock hour (UTC, from `eventTime`) and scored with the
//! `WEIGHT_*` constants below; an hour whose score reaches [`BaselineOptions::min_score`] raises
//! one [`Alert`] ([`DETECTION_ID`]) whose `explanation` lists every reason with its numbers, e.g.
//! "first time this role called secretsmanager:GetSecretValue in 30 days of history; first use of
//! user agent family python-requests; 41 distinct APIs in one hour (its busiest hour before: 6)".
//! An identity's hour closes when an event of a later hour arrives for it, or at
//! [`Baseline::finish`]; an event older than the identity's open hour (CloudTrail delivers slightly
//! out of order) counts in the open hour. [`Baseline::finish`] hands back the alerts of every hour
//! closed since the last call.
//!
//! # Saved baselines
//!
//! [`Baseline::save`] writes JSON (replacing the file atomically):
//!
//! ```json
//! {"version": 1, "networks_by": "prefix", "first_ms": 1719792000000, "last_ms": 1722431212000,
//!  "identities": [{"principal": "arn:aws:iam::123456789012:role/deploy",
//!     "first_ms": 1719792000000, "last_ms": 1722431212000,
//!     "busiest_hour_apis": 6, "most_denied_in_hour": 1,
//!     "apis": {"s3:ListBuckets": 1722430800000},
//!     "networks": {"198.51.100.0/24": 1722430800000},
//!     "user_agents": {"aws-cli/2": 1722430800000}}],
//!  "accounts": [{"account": "123456789012", "regions": {"us-east-1": 1722430800000}}]}
//! ```
//!
//! Times are milliseconds since the Unix epoch; a learned value maps to the start of the last clock
//! hour it was seen in. `networks_by` is `prefix`, `asn` or `country`, from the GeoIP database
//! given when the baseline was built: a baseline is only compared with networks keyed the same
//! way. An identity may carry `learning_until_ms` while it is new. Values not seen for
//! [`BaselineOptions::retention_days`] are forgotten at [`Baseline::finish`].
//!
//! # Cost
//!
//! [`Baseline::observe`] does a handful of hash look-ups with borrowed keys and allocates only for
//! what is new (an identity, a learned value, the record behind a reason). Memory grows with
//! identities × learned values, never with events: an identity keeps one open hour, folded into its
//! history when the hour closes, and every set is capped (the `MAX_*` constants).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use serde::{Deserialize, Serialize};

use crate::alert::{Alert, Principal};
use crate::engine::Event;
use crate::event::Header;
use crate::read::Position;
use crate::sigma::Severity;

/// The detection ID of baseline alerts.
pub const DETECTION_ID: &str = "CT-ANOM-001";
/// The title of baseline alerts.
pub const TITLE: &str = "Unusual activity for an identity";
/// The saved-baseline format version this code reads and writes.
pub const FORMAT_VERSION: u32 = 1;

// Weights. A score is the sum of the weights of an hour's reasons; each kind of reason counts once
// per hour however many new values it saw (the explanation lists them), except first-seen APIs,
// which add up to `MAX_FIRST_API_SCORE`. The weights are set so that one weak signal never alerts
// and two independent ones do.

/// An identity never seen in the history. Alone, it alerts at low severity: new identities are
/// usually new infrastructure, but a backdoor user or role is one too, and it is seen once.
pub const WEIGHT_NEW_IDENTITY: u32 = 40;
/// First use of an API that returns secrets or credentials or grants permissions
/// ([`SENSITIVE_APIS`]): what an intruder with stolen keys goes for first. Just under the alert
/// score: with any other reason it alerts.
pub const WEIGHT_FIRST_SENSITIVE_API: u32 = 35;
/// First use of an API that changes something (`readOnly: false`, or not named
/// Describe/List/Get/Head).
pub const WEIGHT_FIRST_WRITE_API: u32 = 20;
/// First use of a read-only API: people and tools explore, so alone it never alerts, but
/// enumeration shows up as several of them.
pub const WEIGHT_FIRST_READ_API: u32 = 10;
/// The most that first-seen APIs add to one hour: a deployment of a new feature calls many new
/// APIs at once, and breadth is scored by [`WEIGHT_API_BURST`] instead.
pub const MAX_FIRST_API_SCORE: u32 = 60;
/// First call from a source network (prefix, ASN or country): stolen credentials are used from
/// somewhere else, but people also travel and ISPs renumber, so not enough alone.
pub const WEIGHT_FIRST_NETWORK: u32 = 20;
/// First use of a user-agent family: a change of tooling (console to `python-requests`) is how
/// stolen keys look, but teams also adopt new tools, so not enough alone.
pub const WEIGHT_FIRST_USER_AGENT: u32 = 20;
/// First activity in a region of the account (whoever did it): intruders launch resources in
/// regions nobody watches. Account-wide, so rarer than the per-identity reasons.
pub const WEIGHT_FIRST_REGION: u32 = 25;
/// Many more distinct APIs in one hour than the identity's busiest hour before: enumeration
/// tools (Pacu, ScoutSuite, enumerate-iam) call dozens of APIs once each.
pub const WEIGHT_API_BURST: u32 = 30;
/// Many more AccessDenied-type errors in one hour than before: a caller probing what stolen
/// credentials may do.
pub const WEIGHT_DENIED_BURST: u32 = 30;

/// The default [`BaselineOptions::min_score`]: a new identity alone, or two first-seen signals
/// (a new network with a new user agent; a new credential API with a new read), but never one
/// first-seen read or write by a known identity.
pub const ALERT_SCORE: u32 = 40;
/// From this score an alert is medium severity: three independent signals, or a sensitive API
/// with another one.
pub const MEDIUM_SCORE: u32 = 60;
/// From this score an alert is high severity: most of the reasons at once, the shape of a
/// compromised identity being used by someone else.
pub const HIGH_SCORE: u32 = 90;

/// Distinct APIs in one hour below which no burst is reported: small identities double their
/// busiest hour by chance.
pub const API_BURST_MIN: u32 = 10;
/// AccessDenied-type errors in one hour below which no burst is reported: a few denials are
/// ordinary misconfiguration.
pub const DENIED_BURST_MIN: u32 = 5;
/// A burst is more than this many times the identity's busiest hour before (and at least the
/// minimum): a tighter factor flags ordinary busy days.
pub const BURST_FACTOR: u32 = 2;

// Caps. They bound memory whatever the input; a value past a cap is neither learned nor scored
// (an identity that diverse gives novelty no meaning) and is counted in `BaselineStats::capped`.

/// Identities tracked (about 1 KiB each with their sets): far more principals than any
/// organisation has, while bounding what forged or exotic principals can cost.
pub const MAX_IDENTITIES: usize = 200_000;
/// APIs learned per identity. AWS has about 15,000 IAM actions in all; one identity calling
/// 10,000 distinct ones is an enumeration tool, not a habit.
pub const MAX_APIS_PER_IDENTITY: usize = 10_000;
/// Source networks learned per identity: a fleet behind many NAT gateways stays far below.
pub const MAX_NETWORKS_PER_IDENTITY: usize = 1_000;
/// User-agent families learned per identity (families, not versions: few per identity).
pub const MAX_USER_AGENTS_PER_IDENTITY: usize = 100;
/// Accounts tracked for regions.
pub const MAX_ACCOUNTS: usize = 100_000;
/// Regions learned per account (AWS has about 35).
pub const MAX_REGIONS_PER_ACCOUNT: usize = 64;
/// `eventID`s an alert carries, as the engine's alerts do.
pub const MAX_EVENT_IDS: usize = 20;
/// New values named per reason in an explanation; the rest are counted ("and 7 more").
const LISTED: usize = 5;
/// GeoIP answers cached by address before the cache is cleared: a run sees few addresses, and a
/// MaxMind decode costs more than the rest of `observe`.
const GEO_CACHE: usize = 65_536;
/// The longest user-agent family kept, in bytes: the family of an unknown agent is its first
/// token, which the caller controls.
const MAX_FAMILY_BYTES: usize = 64;

/// APIs (`service:eventName`) that return secrets or credentials, or grant permissions or
/// access: a first call to one weighs [`WEIGHT_FIRST_SENSITIVE_API`] even when CloudTrail calls it
/// read-only.
pub const SENSITIVE_APIS: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ec2:GetPasswordData",
    "sts:AssumeRole",
    "sts:GetSessionToken",
    "sts:GetFederationToken",
    "sso:GetRoleCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:CreateUser",
    "iam:AddUserToGroup",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "ec2-instance-connect:SendSSHPublicKey",
    "ec2-instance-connect:SendSerialConsoleSSHPublicKey",
];

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// foldhash (hashbrown's own default, already in the tree): on 1M synthetic events `observe`
/// took about 190 ns with it against 300 ns with std's SipHash. Its per-map random seed keeps
/// some resistance to chosen collisions, and the caps bound what an attacker's values can cost.
type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// How to build a baseline.
#[derive(Debug, Clone)]
pub struct BaselineOptions {
    /// Days after the first event during which a new baseline only learns. Ignored by
    /// [`Baseline::load`]: a saved baseline has learned.
    pub learn_days: u32,
    /// A MaxMind database (`.mmdb`): with an ASN database (GeoLite2-ASN) source networks are
    /// autonomous systems, with a Country or City one they are countries; addresses the database
    /// does not cover fall back to the /24 or /48. Without one, networks are /24 and /48 prefixes.
    pub geoip: Option<PathBuf>,
    /// Hours a new identity (first seen after learning) learns on its own after its
    /// "new identity" reason.
    pub identity_learn_hours: u32,
    /// Days after which a learned value not seen again is forgotten (at [`Baseline::finish`]), so
    /// history follows what identities do now; 0 keeps everything.
    pub retention_days: u32,
    /// The score from which an hour raises an alert ([`ALERT_SCORE`] by default).
    pub min_score: u32,
}

impl Default for BaselineOptions {
    fn default() -> Self {
        BaselineOptions {
            learn_days: 7,
            geoip: None,
            identity_learn_hours: 24,
            retention_days: 90,
            min_score: ALERT_SCORE,
        }
    }
}

/// Why a baseline could not be built or loaded.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The GeoIP/ASN database could not be opened or is not a MaxMind DB.
    #[error("cannot use the GeoIP database {}: {message}", path.display())]
    GeoIp {
        /// The database given.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The saved baseline could not be read.
    #[error("cannot read the baseline {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The saved baseline is not a valid baseline file.
    #[error("the baseline {} is not valid: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The saved baseline has a format version this code does not read.
    #[error("the baseline {} has format version {found}; this deadbolt reads version {FORMAT_VERSION}", path.display())]
    Version {
        /// The file.
        path: PathBuf,
        /// The version in the file.
        found: u64,
    },
    /// The saved baseline keys networks differently from this run (a GeoIP database added,
    /// removed or changed kind): comparing would make every network new.
    #[error(
        "the baseline {} keys source networks by {saved}, this run by {now}: use the same GeoIP database, or build a new baseline",
        path.display()
    )]
    NetworksBy {
        /// The file.
        path: PathBuf,
        /// How the file keys networks (`prefix`, `asn`, `country`).
        saved: &'static str,
        /// How this run keys them.
        now: &'static str,
    },
}

/// Sizes and counts of a baseline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BaselineStats {
    /// Identities known.
    pub identities: u64,
    /// (identity, API) pairs learned.
    pub apis: u64,
    /// (identity, source network) pairs learned.
    pub networks: u64,
    /// (identity, user-agent family) pairs learned.
    pub user_agents: u64,
    /// (account, region) pairs learned.
    pub regions: u64,
    /// All pairs learned: the sum of the four above.
    pub pairs: u64,
    /// Events observed and counted in the baseline.
    pub events: u64,
    /// Events skipped: made by AWS services, or without a principal or a valid `eventTime`.
    pub skipped: u64,
    /// Events that brought a new value (or identity) that was neither learned nor scored
    /// because a cap was reached: one per event, so a full set keeps counting.
    pub capped: u64,
    /// Alerts raised.
    pub alerts: u64,
}

/// How learned source networks are keyed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum NetworksBy {
    Prefix,
    Asn,
    Country,
}

impl NetworksBy {
    fn as_str(self) -> &'static str {
        match self {
            NetworksBy::Prefix => "prefix",
            NetworksBy::Asn => "asn",
            NetworksBy::Country => "country",
        }
    }
}

/// A baseline: identities' learned behaviour, and the hours being scored.
pub struct Baseline {
    options: BaselineOptions,
    geo: Option<Geo>,
    networks_by: NetworksBy,
    /// Events before this time only teach; `None` until the first event of a new baseline,
    /// `i64::MIN` for a loaded one.
    learn_until_ms: Option<i64>,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    ids: Map<Arc<str>, u32>,
    identities: Vec<IdentityState>,
    names: Names,
    account_ids: Map<Arc<str>, u32>,
    accounts: Vec<AccountState>,
    /// Where `service:eventName` is put together, so that looking it up allocates nothing.
    scratch: String,
    /// Alerts of closed hours with their first time, for sorting.
    alerts: Vec<(i64, Alert)>,
    counts: BaselineStats,
    rule_file: Arc<str>,
}

impl fmt::Debug for Baseline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Baseline")
            .field("options", &self.options)
            .field("networks_by", &self.networks_by)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// Strings shared by every identity, each stored once and referred to by number.
#[derive(Default)]
struct Names {
    apis: Interner,
    agents: Interner,
    regions: Interner,
}

#[derive(Default)]
struct Interner {
    ids: Map<Arc<str>, u32>,
    names: Vec<Arc<str>>,
}

impl Interner {
    fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(id) = self.get(name) {
            return id;
        }
        let id =
            u32::try_from(self.names.len()).expect("fewer than 2^32 names: the sets are capped");
        let name: Arc<str> = Arc::from(name);
        self.names.push(name.clone());
        self.ids.insert(name, id);
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

struct AccountState {
    name: Arc<str>,
    /// Region → the last hour it was seen in (hours since the epoch).
    regions: Map<u32, u32>,
}

/// What an identity's ARN says it is, for the explanation ("this role").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Noun {
    Role,
    User,
    Root,
    FederatedUser,
    Identity,
}

impl Noun {
    fn of(arn: &str) -> Noun {
        if arn.contains(":role/") || arn.contains(":assumed-role/") {
            Noun::Role
        } else if arn.contains(":user/") {
            Noun::User
        } else if arn.ends_with(":root") {
            Noun::Root
        } else if arn.contains(":federated-user/") {
            Noun::FederatedUser
        } else {
            Noun::Identity
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Noun::Role => "role",
            Noun::User => "user",
            Noun::Root => "root user",
            Noun::FederatedUser => "federated user",
            Noun::Identity => "identity",
        }
    }
}

struct IdentityState {
    principal: Arc<str>,
    noun: Noun,
    first_ms: i64,
    last_ms: i64,
    /// Events before this time teach without scoring (global learning, or a new identity's own).
    quiet_until_ms: i64,
    /// The most distinct APIs in one closed hour.
    busiest_apis: u32,
    /// The most AccessDenied-type errors in one closed hour.
    most_denied: u32,
    /// API → the last hour it was called in (hours since the epoch). Equal to the open hour's
    /// index when already called this hour, which is how distinct APIs per hour are counted
    /// without a set per hour.
    apis: Map<u32, u32>,
    networks: Map<u64, u32>,
    agents: Map<u32, u32>,
    hour: Hour,
}

impl IdentityState {
    fn new(principal: Arc<str>, time_ms: i64, quiet_until_ms: i64) -> IdentityState {
        IdentityState {
            noun: Noun::of(&principal),
            principal,
            first_ms: time_ms,
            last_ms: time_ms,
            quiet_until_ms,
            busiest_apis: 0,
            most_denied: 0,
            apis: Map::default(),
            networks: Map::default(),
            agents: Map::default(),
            hour: Hour::default(),
        }
    }
}

/// How a first-seen API weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ApiClass {
    Read,
    Write,
    Sensitive,
}

impl ApiClass {
    fn of(api: &str, event_name: &str, read_only: Option<bool>) -> ApiClass {
        if SENSITIVE_APIS.contains(&api) {
            ApiClass::Sensitive
        } else if read_only.unwrap_or_else(|| {
            ["Describe", "List", "Get", "Head"]
                .iter()
                .any(|p| event_name.starts_with(p))
        }) {
            ApiClass::Read
        } else {
            ApiClass::Write
        }
    }

    fn weight(self) -> u32 {
        match self {
            ApiClass::Read => WEIGHT_FIRST_READ_API,
            ApiClass::Write => WEIGHT_FIRST_WRITE_API,
            ApiClass::Sensitive => WEIGHT_FIRST_SENSITIVE_API,
        }
    }
}

/// New values of one kind seen in an hour: the first few, and how many.
struct Listed<T> {
    items: Vec<T>,
    total: u32,
}

impl<T> Default for Listed<T> {
    fn default() -> Self {
        Listed {
            items: Vec::new(),
            total: 0,
        }
    }
}

impl<T> Listed<T> {
    fn push(&mut self, item: T) {
        self.total += 1;
        if self.items.len() < LISTED {
            self.items.push(item);
        }
    }

    fn clear(&mut self) {
        self.items.clear();
        self.total = 0;
    }
}

/// Contributions of events to reasons, by kind.
const NOVEL: u8 = 1;
const DENIED: u8 = 2;
/// The first call of an API in the hour: what a distinct-APIs burst is made of.
const FIRST: u8 = 4;

/// An identity's open hour.
#[derive(Default)]
struct Hour {
    open: bool,
    /// Hours since the epoch.
    index: u32,
    calls: u32,
    distinct: u32,
    denied: u32,
    /// Distinct APIs that make a burst this hour (`u32::MAX` when volumes are not scored).
    apis_needed: u32,
    /// AccessDenied-type errors that make a burst this hour.
    denied_needed: u32,
    /// Set when the identity appeared this hour, after learning: how much history it was
    /// absent from (ms).
    new_identity: Option<i64>,
    apis: Listed<(u32, ApiClass)>,
    api_score: u32,
    networks: Listed<u64>,
    agents: Listed<u32>,
    regions: Listed<(Arc<str>, u32)>,
    /// The record that raised the hour's first reason.
    origin: Option<Box<Origin>>,
    contrib: Contrib,
}

impl Hour {
    fn reset(&mut self) {
        self.open = false;
        self.calls = 0;
        self.distinct = 0;
        self.denied = 0;
        self.new_identity = None;
        self.apis.clear();
        self.api_score = 0;
        self.networks.clear();
        self.agents.clear();
        self.regions.clear();
        self.origin = None;
        self.contrib.reset();
    }

    /// Keeps the weightiest first-seen APIs listed: a credential API after five reads still
    /// shows.
    fn add_api(&mut self, api: u32, class: ApiClass) {
        self.api_score = self.api_score.saturating_add(class.weight());
        let list = &mut self.apis;
        list.total += 1;
        if list.items.len() < LISTED {
            list.items.push((api, class));
        } else if let Some(slot) = list.items.iter_mut().rev().find(|(_, c)| *c < class) {
            *slot = (api, class);
        }
    }
}

/// The record behind an hour's first reason, kept for the alert.
struct Origin {
    file: Arc<str>,
    position: Position,
    principal: Principal,
    account: Option<String>,
    region: Option<String>,
    source_ip: Option<String>,
    user_agent: Option<String>,
    event_name: Option<String>,
    event_source: Option<String>,
}

impl Origin {
    fn of(event: &Event<'_>) -> Box<Origin> {
        let header = event.header;
        let owned = |v: Option<&str>| v.map(str::to_string);
        Box::new(Origin {
            file: event.record.file.clone(),
            position: event.record.position,
            principal: Principal::of(header),
            account: owned(header.account()),
            region: owned(header.aws_region.as_deref()),
            source_ip: owned(header.source_ip_address.as_deref()),
            user_agent: owned(header.user_agent.as_deref()),
            event_name: owned(header.event_name.as_deref()),
            event_source: owned(header.event_source.as_deref()),
        })
    }
}

/// An `eventID`: CloudTrail's are lower-case UUIDs, kept as a number so that remembering them
/// allocates nothing.
enum EventId {
    Uuid(u128),
    Text(Box<str>),
}

impl EventId {
    fn new(text: &str) -> EventId {
        parse_uuid(text).map_or_else(|| EventId::Text(text.into()), EventId::Uuid)
    }

    fn to_text(&self) -> String {
        match self {
            EventId::Text(t) => t.to_string(),
            EventId::Uuid(v) => {
                let h = format!("{v:032x}");
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[0..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..32]
                )
            }
        }
    }
}

fn parse_uuid(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return None;
    }
    let mut value: u128 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(i, 8 | 13 | 18 | 23) {
            if b != b'-' {
                return None;
            }
            continue;
        }
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        value = value << 4 | u128::from(digit);
    }
    Some(value)
}

/// Which events fed which reasons in an hour: counts and times by kind of contribution (a mask of
/// `NOVEL`, `DENIED`, `FIRST`), and some of their `eventID`s. Which kinds an alert reports is only
/// known when the hour closes.
struct Contrib {
    counts: [u32; 8],
    first_ms: [i64; 8],
    last_ms: [i64; 8],
    /// Events behind first-seen reasons: the first ones, since they are the story.
    pinned: Vec<(i64, u8, EventId)>,
    /// Other contributing events: the latest ones.
    recent: VecDeque<(i64, u8, EventId)>,
}

impl Default for Contrib {
    fn default() -> Self {
        Contrib {
            counts: [0; 8],
            first_ms: [i64::MAX; 8],
            last_ms: [i64::MIN; 8],
            pinned: Vec::new(),
            recent: VecDeque::new(),
        }
    }
}

impl Contrib {
    fn reset(&mut self) {
        self.counts = [0; 8];
        self.first_ms = [i64::MAX; 8];
        self.last_ms = [i64::MIN; 8];
        self.pinned.clear();
        self.recent.clear();
    }

    fn add(&mut self, mask: u8, time_ms: i64, event_id: Option<&str>) {
        let k = usize::from(mask);
        self.counts[k] += 1;
        self.first_ms[k] = self.first_ms[k].min(time_ms);
        self.last_ms[k] = self.last_ms[k].max(time_ms);
        let Some(id) = event_id else {
            return;
        };
        if mask & NOVEL != 0 && self.pinned.len() < MAX_EVENT_IDS {
            self.pinned.push((time_ms, mask, EventId::new(id)));
            return;
        }
        if self.recent.len() == MAX_EVENT_IDS {
            self.recent.pop_front();
        }
        self.recent.push_back((time_ms, mask, EventId::new(id)));
    }

    /// The contributing events of the reasons of kinds `kinds`: how many, the first and last
    /// times, and at most [`MAX_EVENT_IDS`] `eventID`s in time order.
    fn summary(&self, kinds: u8) -> (u64, Option<i64>, Option<i64>, Vec<String>) {
        let mut records = 0u64;
        let (mut first, mut last) = (None::<i64>, None::<i64>);
        for mask in 1..8u8 {
            let k = usize::from(mask);
            if mask & kinds != 0 && self.counts[k] > 0 {
                records += u64::from(self.counts[k]);
                first = Some(first.map_or(self.first_ms[k], |f| f.min(self.first_ms[k])));
                last = Some(last.map_or(self.last_ms[k], |l| l.max(self.last_ms[k])));
            }
        }
        let mut ids: Vec<(i64, &EventId)> = self
            .pinned
            .iter()
            .filter(|(_, m, _)| m & kinds != 0)
            .map(|(t, _, id)| (*t, id))
            .collect();
        let room = MAX_EVENT_IDS - ids.len();
        ids.extend(
            self.recent
                .iter()
                .rev()
                .filter(|(_, m, _)| m & kinds != 0)
                .take(room)
                .map(|(t, _, id)| (*t, id)),
        );
        ids.sort_by_key(|(t, _)| *t);
        (
            records,
            first,
            last,
            ids.into_iter().map(|(_, id)| id.to_text()).collect(),
        )
    }
}

/// Source networks are numbers: a tag in the top byte, the prefix, ASN or country below.
const NET_V4: u64 = 1 << 56;
const NET_V6: u64 = 2 << 56;
const NET_ASN: u64 = 3 << 56;
const NET_COUNTRY: u64 = 4 << 56;
const NET_TAG: u64 = 0xff << 56;

fn prefix_key(ip: IpAddr) -> u64 {
    match ip.to_canonical() {
        IpAddr::V4(v4) => NET_V4 | u64::from(u32::from(v4) >> 8),
        IpAddr::V6(v6) => NET_V6 | (u128::from(v6) >> 80) as u64,
    }
}

/// The text of a network key, as saved: `203.0.113.0/24`, `2001:db8:1::/48`, `AS64500`,
/// `country:DE`.
fn network_text(key: u64) -> String {
    let value = key & !NET_TAG;
    match key & NET_TAG {
        NET_V4 => format!("{}/24", Ipv4Addr::from((value as u32) << 8)),
        NET_V6 => format!("{}/48", Ipv6Addr::from(u128::from(value) << 80)),
        NET_ASN => format!("AS{value}"),
        _ => {
            let code = [(value >> 8) as u8, value as u8];
            format!("country:{}", String::from_utf8_lossy(&code))
        }
    }
}

/// How a network reads in an explanation ("first call from …").
fn network_label(key: u64) -> String {
    match key & NET_TAG {
        NET_V4 | NET_V6 => format!("network {}", network_text(key)),
        NET_COUNTRY => format!("country {}", &network_text(key)["country:".len()..]),
        _ => network_text(key),
    }
}

fn parse_network(text: &str) -> Option<u64> {
    if let Some(code) = text.strip_prefix("country:") {
        return country_key(code);
    }
    if let Some(asn) = text.strip_prefix("AS") {
        return asn.parse::<u32>().ok().map(|n| NET_ASN | u64::from(n));
    }
    let (ip, len) = text.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    match (ip, len) {
        (IpAddr::V4(_), "24") | (IpAddr::V6(_), "48") => Some(prefix_key(ip)),
        _ => None,
    }
}

fn country_key(code: &str) -> Option<u64> {
    match code.as_bytes() {
        &[a, b] if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() => {
            Some(NET_COUNTRY | u64::from(a) << 8 | u64::from(b))
        }
        _ => None,
    }
}

/// A MaxMind database and the answers it gave.
struct Geo {
    reader: maxminddb::Reader<Vec<u8>>,
    by: NetworksBy,
    cache: Map<IpAddr, u64>,
}

impl Geo {
    fn open(path: &Path) -> Result<Geo, BaselineError> {
        let reader = maxminddb::Reader::open_readfile(path).map_err(|e| BaselineError::GeoIp {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let by = if reader
            .metadata()
            .database_type
            .to_ascii_lowercase()
            .contains("asn")
        {
            NetworksBy::Asn
        } else {
            NetworksBy::Country
        };
        Ok(Geo {
            reader,
            by,
            cache: Map::default(),
        })
    }

    fn key(&mut self, ip: IpAddr) -> u64 {
        if let Some(&key) = self.cache.get(&ip) {
            return key;
        }
        let key = self.lookup(ip).unwrap_or_else(|| prefix_key(ip));
        if self.cache.len() >= GEO_CACHE {
            self.cache.clear();
        }
        self.cache.insert(ip, key);
        key
    }

    /// What the database says of `ip`; `None` when it has nothing (private addresses, an IPv6
    /// address in an IPv4 database) or cannot decode it, so the prefix stands in.
    fn lookup(&self, ip: IpAddr) -> Option<u64> {
        let found = self.reader.lookup(ip).ok()?;
        match self.by {
            NetworksBy::Asn => found
                .decode_path::<u32>(&maxminddb::path!["autonomous_system_number"])
                .ok()?
                .map(|n| NET_ASN | u64::from(n)),
            _ => found
                .decode_path::<&str>(&maxminddb::path!["country", "iso_code"])
                .ok()?
                .and_then(country_key),
        }
    }
}

/// The user-agent family of a `userAgent`: `aws-cli/2` (the CLI keeps its major version, since
/// v1 and v2 are different programs), `Boto3`, `aws-sdk-go-v2`, `aws-sdk-java`, `console` for
/// browsers and the console's own agents, `terraform`, `aws-internal`, else the agent's first
/// product token without its version (`python-requests`, `Go-http-client`), without a trailing
/// run ID (`stratus-red-team_<uuid>` is `stratus-red-team`), at most 64 bytes. Empty for an empty
/// agent.
pub fn user_agent_family(user_agent: &str) -> &str {
    let ua = user_agent.trim_start_matches(['[', ' ', '"']).trim_end();
    if let Some(rest) = ua.strip_prefix("aws-cli/") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        return if digits == 0 {
            "aws-cli"
        } else {
            &ua[.."aws-cli/".len() + digits]
        };
    }
    if ua.starts_with("Mozilla/") {
        return "console";
    }
    if ua.starts_with("Boto3/") {
        return "Boto3";
    }
    // Terraform names itself after the SDK or an APN prefix.
    static TERRAFORM: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("erraform"));
    if (ua.starts_with("APN/") || ua.starts_with("aws-sdk-go") || ua.starts_with("Terraform/"))
        && TERRAFORM.find(ua.as_bytes()).is_some()
    {
        return "terraform";
    }
    if ua.starts_with("aws-sdk-go-v2/") {
        return "aws-sdk-go-v2";
    }
    if ua.starts_with("aws-sdk-java") {
        return "aws-sdk-java";
    }
    if ua.starts_with("AWS Internal") || ua.starts_with("aws-internal") {
        return "aws-internal";
    }
    if ua.starts_with("console.") || ua.starts_with("signin.amazonaws.com") {
        return "console";
    }
    let end = ua.find(['/', ' ', '(', ',', ';', '#']).unwrap_or(ua.len());
    let mut token = &ua[..end];
    if token.ends_with("Console") {
        return "console";
    }
    if let Some(at) = token.find('_') {
        let rest = &token[at + 1..];
        if rest.len() >= 8 && rest.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') {
            token = &token[..at];
        }
    }
    &token[..token.floor_char_boundary(MAX_FAMILY_BYTES)]
}

/// Whether a record was made by AWS for a principal rather than by the principal.
fn made_by_aws(header: &Header<'_>) -> bool {
    if header.event_type.as_deref() == Some("AwsServiceEvent") {
        return true;
    }
    if let Some(id) = &header.user_identity
        && (id.kind.as_deref() == Some("AWSService") || id.invoked_by.is_some())
    {
        return true;
    }
    header
        .source_ip_address
        .as_deref()
        .is_some_and(|ip| ip.ends_with(".amazonaws.com"))
}

fn is_denied(error_code: Option<&str>) -> bool {
    error_code
        .is_some_and(|c| c.starts_with("AccessDenied") || c.ends_with("UnauthorizedOperation"))
}

/// Distinct APIs or errors that make a burst, given the busiest hour before.
fn burst_needed(min: u32, before: u32) -> u32 {
    min.max(before.saturating_mul(BURST_FACTOR).saturating_add(1))
}

fn days_text(ms: i64) -> String {
    match ms.max(0) / DAY_MS {
        0 => "less than a day".to_string(),
        1 => "1 day".to_string(),
        n => format!("{n} days"),
    }
}

fn iso(ms: i64) -> Option<String> {
    jiff::Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_string())
}

/// "a", "a and b", "a, b and c", with "and N more" when the list was cut.
fn join_list(items: &[String], total: u32, what: &str) -> String {
    let more = total as usize - items.len().min(total as usize);
    let mut text = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text.push_str(if i + 1 == items.len() && more == 0 {
                " and "
            } else {
                ", "
            });
        }
        text.push_str(item);
    }
    if more > 0 {
        text.push_str(&format!(" and {more} more {what}"));
    }
    text
}

impl Baseline {
    /// A new, empty baseline that learns for `options.learn_days` from its first event.
    ///
    /// # Errors
    /// [`BaselineError::GeoIp`] when `options.geoip` names a file that cannot be read as a MaxMind
    /// database.
    pub fn new(options: BaselineOptions) -> Result<Baseline, BaselineError> {
        let geo = options.geoip.as_deref().map(Geo::open).transpose()?;
        Ok(Baseline {
            networks_by: geo.as_ref().map_or(NetworksBy::Prefix, |g| g.by),
            geo,
            options,
            learn_until_ms: None,
            first_ms: None,
            last_ms: None,
            ids: Map::default(),
            identities: Vec::new(),
            names: Names::default(),
            account_ids: Map::default(),
            accounts: Vec::new(),
            scratch: String::with_capacity(128),
            alerts: Vec::new(),
            counts: BaselineStats::default(),
            rule_file: Arc::from("baseline"),
        })
    }

    /// A baseline saved by [`Baseline::save`]: it learns until `learn_days` after the first event
    /// of its history, then scores, and goes on learning.
    ///
    /// # Errors
    /// [`BaselineError::Read`] when the file cannot be read, [`BaselineError::Version`] for
    /// another format version, [`BaselineError::Invalid`] when it is not a baseline,
    /// [`BaselineError::NetworksBy`] when it keys networks differently from `options.geoip`, and
    /// [`BaselineError::GeoIp`] as for [`Baseline::new`].
    pub fn load(path: &Path, options: BaselineOptions) -> Result<Baseline, BaselineError> {
        let text = fs::read(path).map_err(|source| BaselineError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let invalid = |message: String| BaselineError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        #[derive(Deserialize)]
        struct Versioned {
            version: u64,
        }
        let versioned: Versioned =
            serde_json::from_slice(&text).map_err(|e| invalid(e.to_string()))?;
        if versioned.version != u64::from(FORMAT_VERSION) {
            return Err(BaselineError::Version {
                path: path.to_path_buf(),
                found: versioned.version,
            });
        }
        let saved: Saved = serde_json::from_slice(&text).map_err(|e| invalid(e.to_string()))?;
        let mut baseline = Baseline::new(options)?;
        if saved.networks_by != baseline.networks_by {
            return Err(BaselineError::NetworksBy {
                path: path.to_path_buf(),
                saved: saved.networks_by.as_str(),
                now: baseline.networks_by.as_str(),
            });
        }
        // Daily runs from an empty file must not score day 2 against day 1 alone.
        let learn_days = i64::from(baseline.options.learn_days);
        baseline.learn_until_ms = Some(
            saved
                .first_ms
                .map_or(i64::MIN, |first| first.saturating_add(learn_days * DAY_MS)),
        );
        baseline.first_ms = saved.first_ms;
        baseline.last_ms = saved.last_ms;
        let hour_of = |ms: i64| (ms.max(0) / HOUR_MS) as u32;
        for s in saved.identities {
            if baseline.ids.contains_key(s.principal.as_str()) {
                return Err(invalid(format!("{} is listed twice", s.principal)));
            }
            let principal: Arc<str> = Arc::from(s.principal);
            let mut state = IdentityState::new(
                principal.clone(),
                s.first_ms,
                s.learning_until_ms.unwrap_or(i64::MIN),
            );
            state.last_ms = s.last_ms;
            state.busiest_apis = s.busiest_hour_apis;
            state.most_denied = s.most_denied_in_hour;
            for (api, ms) in s.apis.iter().take(MAX_APIS_PER_IDENTITY) {
                state
                    .apis
                    .insert(baseline.names.apis.intern(api), hour_of(*ms));
            }
            for (network, ms) in s.networks.iter().take(MAX_NETWORKS_PER_IDENTITY) {
                let key = parse_network(network).ok_or_else(|| {
                    invalid(format!("{network:?} is not a /24, /48, ASN or country"))
                })?;
                state.networks.insert(key, hour_of(*ms));
            }
            for (agent, ms) in s.user_agents.iter().take(MAX_USER_AGENTS_PER_IDENTITY) {
                state
                    .agents
                    .insert(baseline.names.agents.intern(agent), hour_of(*ms));
            }
            let index = baseline.identities.len() as u32;
            baseline.ids.insert(principal, index);
            baseline.identities.push(state);
        }
        for a in saved.accounts {
            let name: Arc<str> = Arc::from(a.account);
            let mut regions = Map::default();
            for (region, ms) in a.regions.iter().take(MAX_REGIONS_PER_ACCOUNT) {
                regions.insert(baseline.names.regions.intern(region), hour_of(*ms));
            }
            if baseline.account_ids.contains_key(&name) {
                return Err(invalid(format!("account {name} is listed twice")));
            }
            let index = baseline.accounts.len() as u32;
            baseline.account_ids.insert(name.clone(), index);
            baseline.accounts.push(AccountState { name, regions });
        }
        Ok(baseline)
    }

    /// Learns from one event and scores it against what came before. Events made by AWS services
    /// and events without a principal or a valid `eventTime` are skipped (counted in
    /// [`BaselineStats::skipped`]). An hour that closes because of this event may raise an alert,
    /// handed out by [`Baseline::finish`].
    pub fn observe(&mut self, event: &Event<'_>) {
        let header = event.header;
        let (Some(t), Some(principal)) = (event.time_ms, header.principal()) else {
            self.counts.skipped += 1;
            return;
        };
        if t < 0 || made_by_aws(header) {
            self.counts.skipped += 1;
            return;
        }
        self.counts.events += 1;
        let learn_days = i64::from(self.options.learn_days);
        let learn_until = *self
            .learn_until_ms
            .get_or_insert_with(|| t.saturating_add(learn_days * DAY_MS));
        let global_scoring = t >= learn_until;
        let history_first = *self.first_ms.get_or_insert(t);
        self.first_ms = Some(history_first.min(t));
        self.last_ms = Some(self.last_ms.map_or(t, |l| l.max(t)));

        let (index, created) = match self.ids.get(principal) {
            Some(&i) => (i as usize, false),
            None => {
                if self.identities.len() >= MAX_IDENTITIES {
                    self.counts.capped += 1;
                    return;
                }
                // During the global learning the identity needs no learning of its own.
                let quiet_until = if global_scoring {
                    t.saturating_add(i64::from(self.options.identity_learn_hours) * HOUR_MS)
                } else {
                    i64::MIN
                };
                let name: Arc<str> = Arc::from(principal);
                let index = self.identities.len();
                self.ids.insert(name.clone(), index as u32);
                self.identities
                    .push(IdentityState::new(name, t, quiet_until));
                (index, true)
            }
        };
        let hour_index = (t / HOUR_MS) as u32;

        let Baseline {
            identities,
            names,
            account_ids,
            accounts,
            scratch,
            geo,
            alerts,
            counts,
            options,
            rule_file,
            ..
        } = self;
        let identity = &mut identities[index];
        identity.last_ms = identity.last_ms.max(t);
        if !identity.hour.open || hour_index > identity.hour.index {
            if identity.hour.open
                && let Some(alert) = close_hour(identity, names, options, rule_file)
            {
                counts.alerts += 1;
                alerts.push(alert);
            }
            let scored = global_scoring && t >= identity.quiet_until_ms;
            let hour = &mut identity.hour;
            hour.open = true;
            hour.index = hour_index;
            hour.apis_needed = if scored {
                burst_needed(API_BURST_MIN, identity.busiest_apis)
            } else {
                u32::MAX
            };
            hour.denied_needed = if scored {
                burst_needed(DENIED_BURST_MIN, identity.most_denied)
            } else if created && global_scoring {
                DENIED_BURST_MIN
            } else {
                u32::MAX
            };
        }
        // An event older than the open hour counts in it.
        let effective = identity.hour.index;
        let scoring = global_scoring && t >= identity.quiet_until_ms;
        let mut mask = 0u8;
        let mut raised = false;
        identity.hour.calls += 1;
        if created && global_scoring {
            identity.hour.new_identity = Some(t - history_first);
            mask |= NOVEL;
            raised = true;
        }

        if let Some(name) = header.event_name.as_deref() {
            scratch.clear();
            if let Some(source) = header.event_source.as_deref() {
                scratch.push_str(source.strip_suffix(".amazonaws.com").unwrap_or(source));
                scratch.push(':');
            }
            scratch.push_str(name);
            let room = identity.apis.len() < MAX_APIS_PER_IDENTITY;
            let id = names.apis.get(scratch);
            let known = id.and_then(|id| identity.apis.get_mut(&id));
            match known {
                Some(last) => {
                    if *last != effective {
                        *last = effective;
                        identity.hour.distinct += 1;
                        mask |= FIRST;
                    }
                    // Later calls of what was new this hour are behind the alert too.
                    if identity.hour.apis.total > 0
                        && identity.hour.apis.items.iter().any(|(a, _)| Some(*a) == id)
                    {
                        mask |= NOVEL;
                    }
                }
                None if room => {
                    let id = names.apis.intern(scratch);
                    identity.apis.insert(id, effective);
                    identity.hour.distinct += 1;
                    mask |= FIRST;
                    if scoring {
                        let class = ApiClass::of(scratch, name, header.read_only);
                        identity.hour.add_api(id, class);
                        mask |= NOVEL;
                        raised = true;
                    }
                }
                None => counts.capped += 1,
            }
            if mask & FIRST != 0 && identity.hour.distinct == identity.hour.apis_needed {
                raised = true;
            }
        }

        if let Some(ip) = header
            .source_ip_address
            .as_deref()
            .and_then(|s| s.parse::<IpAddr>().ok())
        {
            let key = match geo {
                Some(geo) => geo.key(ip),
                None => prefix_key(ip),
            };
            let room = identity.networks.len() < MAX_NETWORKS_PER_IDENTITY;
            match identity.networks.get_mut(&key) {
                Some(last) => {
                    *last = effective;
                    if identity.hour.networks.items.contains(&key) {
                        mask |= NOVEL;
                    }
                }
                None if room => {
                    identity.networks.insert(key, effective);
                    if scoring {
                        identity.hour.networks.push(key);
                        mask |= NOVEL;
                        raised = true;
                    }
                }
                None => counts.capped += 1,
            }
        }

        if let Some(agent) = header.user_agent.as_deref() {
            let family = user_agent_family(agent);
            if !family.is_empty() {
                let room = identity.agents.len() < MAX_USER_AGENTS_PER_IDENTITY;
                let id = names.agents.get(family);
                let known = id.and_then(|id| identity.agents.get_mut(&id));
                match known {
                    Some(last) => {
                        *last = effective;
                        if identity.hour.agents.items.iter().any(|a| Some(*a) == id) {
                            mask |= NOVEL;
                        }
                    }
                    None if room => {
                        let id = names.agents.intern(family);
                        identity.agents.insert(id, effective);
                        if scoring {
                            identity.hour.agents.push(id);
                            mask |= NOVEL;
                            raised = true;
                        }
                    }
                    None => counts.capped += 1,
                }
            }
        }

        if let (Some(account), Some(region)) = (header.account(), header.aws_region.as_deref()) {
            let slot = match account_ids.get(account) {
                Some(&i) => Some(i as usize),
                None if accounts.len() < MAX_ACCOUNTS => {
                    let name: Arc<str> = Arc::from(account);
                    account_ids.insert(name.clone(), accounts.len() as u32);
                    accounts.push(AccountState {
                        name,
                        regions: Map::default(),
                    });
                    Some(accounts.len() - 1)
                }
                None => {
                    counts.capped += 1;
                    None
                }
            };
            if let Some(slot) = slot {
                let state = &mut accounts[slot];
                let room = state.regions.len() < MAX_REGIONS_PER_ACCOUNT;
                let id = names.regions.get(region);
                let known = id.and_then(|id| state.regions.get_mut(&id));
                match known {
                    Some(last) => {
                        *last = (*last).max(hour_index);
                        if identity
                            .hour
                            .regions
                            .items
                            .iter()
                            .any(|(a, r)| Some(*r) == id && Arc::ptr_eq(a, &state.name))
                        {
                            mask |= NOVEL;
                        }
                    }
                    None if room => {
                        let id = names.regions.intern(region);
                        state.regions.insert(id, hour_index);
                        // Account-wide, so scored even while the identity itself is new.
                        if global_scoring {
                            identity.hour.regions.push((state.name.clone(), id));
                            mask |= NOVEL;
                            raised = true;
                        }
                    }
                    None => counts.capped += 1,
                }
            }
        }

        if is_denied(header.error_code.as_deref()) {
            identity.hour.denied += 1;
            mask |= DENIED;
            if identity.hour.denied == identity.hour.denied_needed {
                raised = true;
            }
        }

        if global_scoring && mask != 0 {
            identity
                .hour
                .contrib
                .add(mask, t, header.event_id.as_deref());
        }
        if raised && identity.hour.origin.is_none() {
            identity.hour.origin = Some(Origin::of(event));
        }
    }

    /// Closes every open hour, forgets what was not seen for
    /// [`BaselineOptions::retention_days`], and returns the alerts raised since the last call,
    /// ordered by time. The baseline can go on observing (a later event opens a new hour) and be
    /// saved.
    pub fn finish(&mut self) -> Vec<Alert> {
        for identity in &mut self.identities {
            if identity.hour.open
                && let Some(alert) =
                    close_hour(identity, &self.names, &self.options, &self.rule_file)
            {
                self.counts.alerts += 1;
                self.alerts.push(alert);
            }
        }
        self.forget();
        let mut alerts = std::mem::take(&mut self.alerts);
        alerts.sort_by_key(|(t, _)| *t);
        alerts.into_iter().map(|(_, a)| a).collect()
    }

    fn forget(&mut self) {
        let (Some(last), days) = (self.last_ms, self.options.retention_days) else {
            return;
        };
        if days == 0 {
            return;
        }
        let cutoff_ms = last.saturating_sub(i64::from(days) * DAY_MS);
        let cutoff = (cutoff_ms.max(0) / HOUR_MS) as u32;
        let before = self.identities.len();
        self.identities
            .retain(|i| i.last_ms >= cutoff_ms || i.hour.open);
        for identity in &mut self.identities {
            identity.apis.retain(|_, h| *h >= cutoff);
            identity.networks.retain(|_, h| *h >= cutoff);
            identity.agents.retain(|_, h| *h >= cutoff);
        }
        if self.identities.len() != before {
            self.ids = self
                .identities
                .iter()
                .enumerate()
                .map(|(i, s)| (s.principal.clone(), i as u32))
                .collect();
        }
        for account in &mut self.accounts {
            account.regions.retain(|_, h| *h >= cutoff);
        }
        let before = self.accounts.len();
        self.accounts.retain(|a| !a.regions.is_empty());
        if self.accounts.len() != before {
            self.account_ids = self
                .accounts
                .iter()
                .enumerate()
                .map(|(i, a)| (a.name.clone(), i as u32))
                .collect();
        }
    }

    /// Writes the baseline as JSON (format in the module documentation), through a temporary
    /// file in the same directory renamed over `path`, so a crash never leaves half a baseline.
    /// Open hours count through their learned values; their hourly volumes count once
    /// [`Baseline::finish`] has closed them, so call it first.
    ///
    /// # Errors
    /// Any I/O error creating, writing or renaming the file.
    pub fn save(&self, path: &Path) -> io::Result<()> {
        let text = |hour: u32| i64::from(hour) * HOUR_MS;
        let mut identities: Vec<SavedIdentity> = self
            .identities
            .iter()
            .map(|s| SavedIdentity {
                principal: s.principal.to_string(),
                first_ms: s.first_ms,
                last_ms: s.last_ms,
                learning_until_ms: (s.quiet_until_ms > s.last_ms).then_some(s.quiet_until_ms),
                busiest_hour_apis: s.busiest_apis,
                most_denied_in_hour: s.most_denied,
                apis: s
                    .apis
                    .iter()
                    .map(|(id, h)| (self.names.apis.name(*id).to_string(), text(*h)))
                    .collect(),
                networks: s
                    .networks
                    .iter()
                    .map(|(key, h)| (network_text(*key), text(*h)))
                    .collect(),
                user_agents: s
                    .agents
                    .iter()
                    .map(|(id, h)| (self.names.agents.name(*id).to_string(), text(*h)))
                    .collect(),
            })
            .collect();
        identities.sort_by(|a, b| a.principal.cmp(&b.principal));
        let mut accounts: Vec<SavedAccount> = self
            .accounts
            .iter()
            .map(|a| SavedAccount {
                account: a.name.to_string(),
                regions: a
                    .regions
                    .iter()
                    .map(|(id, h)| (self.names.regions.name(*id).to_string(), text(*h)))
                    .collect(),
            })
            .collect();
        accounts.sort_by(|a, b| a.account.cmp(&b.account));
        let saved = Saved {
            version: FORMAT_VERSION,
            networks_by: self.networks_by,
            first_ms: self.first_ms,
            last_ms: self.last_ms,
            identities,
            accounts,
        };
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(".tmp");
        let tmp = path.with_file_name(tmp_name);
        let mut out = BufWriter::new(File::create(&tmp)?);
        serde_json::to_writer(&mut out, &saved)?;
        out.write_all(b"\n")?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        fs::rename(&tmp, path)
    }

    /// Sizes and counts so far.
    pub fn stats(&self) -> BaselineStats {
        let mut stats = self.counts;
        stats.identities = self.identities.len() as u64;
        for i in &self.identities {
            stats.apis += i.apis.len() as u64;
            stats.networks += i.networks.len() as u64;
            stats.user_agents += i.agents.len() as u64;
        }
        stats.regions = self.accounts.iter().map(|a| a.regions.len() as u64).sum();
        stats.pairs = stats.apis + stats.networks + stats.user_agents + stats.regions;
        stats
    }
}

/// Scores an identity's open hour, folds its volumes into the history and resets it; the alert
/// when the score reaches the threshold, with the time of its first contributing event.
fn close_hour(
    identity: &mut IdentityState,
    names: &Names,
    options: &BaselineOptions,
    rule_file: &Arc<str>,
) -> Option<(i64, Alert)> {
    let hour = &identity.hour;
    let noun = identity.noun.as_str();
    let mut score = 0u32;
    let mut kinds = 0u8;
    let mut reasons: Vec<String> = Vec::new();
    let retention = if options.retention_days == 0 {
        i64::MAX
    } else {
        i64::from(options.retention_days) * DAY_MS
    };
    if let Some(absent_ms) = hour.new_identity {
        score += WEIGHT_NEW_IDENTITY;
        kinds |= NOVEL | FIRST;
        reasons.push(format!(
            "new identity: first activity of this {noun} in {} of history ({} calls, {} distinct APIs in its first hour)",
            days_text(absent_ms.min(retention)),
            hour.calls,
            hour.distinct
        ));
    }
    let known_ms = (i64::from(hour.index) * HOUR_MS - identity.first_ms).min(retention);
    if hour.apis.total > 0 {
        score += hour.api_score.min(MAX_FIRST_API_SCORE);
        kinds |= NOVEL;
        let mut listed = hour.apis.items.clone();
        listed.sort_by_key(|(_, class)| std::cmp::Reverse(*class));
        let listed: Vec<String> = listed
            .iter()
            .map(|(id, _)| names.apis.name(*id).to_string())
            .collect();
        reasons.push(format!(
            "first time this {noun} called {} in {} of history",
            join_list(&listed, hour.apis.total, "APIs"),
            days_text(known_ms)
        ));
    }
    if hour.networks.total > 0 {
        score += WEIGHT_FIRST_NETWORK;
        kinds |= NOVEL;
        let listed: Vec<String> = hour
            .networks
            .items
            .iter()
            .map(|k| network_label(*k))
            .collect();
        reasons.push(format!(
            "first call from {}",
            join_list(&listed, hour.networks.total, "networks")
        ));
    }
    if hour.agents.total > 0 {
        score += WEIGHT_FIRST_USER_AGENT;
        kinds |= NOVEL;
        let listed: Vec<String> = hour
            .agents
            .items
            .iter()
            .map(|id| names.agents.name(*id).to_string())
            .collect();
        reasons.push(format!(
            "first use of user agent {} {}",
            if hour.agents.total == 1 {
                "family"
            } else {
                "families"
            },
            join_list(&listed, hour.agents.total, "families")
        ));
    }
    if hour.regions.total > 0 {
        score += WEIGHT_FIRST_REGION;
        kinds |= NOVEL;
        let listed: Vec<String> = hour
            .regions
            .items
            .iter()
            .map(|(account, id)| format!("{} of account {account}", names.regions.name(*id)))
            .collect();
        reasons.push(format!(
            "first activity in region {}",
            join_list(&listed, hour.regions.total, "regions")
        ));
    }
    if hour.distinct >= hour.apis_needed {
        score += WEIGHT_API_BURST;
        kinds |= FIRST;
        reasons.push(format!(
            "{} distinct APIs in one hour (its busiest hour before: {})",
            hour.distinct, identity.busiest_apis
        ));
    }
    if hour.denied >= hour.denied_needed {
        score += WEIGHT_DENIED_BURST;
        kinds |= DENIED;
        let before = if hour.new_identity.is_some() {
            "no history".to_string()
        } else if identity.most_denied == 0 {
            "before: none".to_string()
        } else {
            format!("before: at most {}", identity.most_denied)
        };
        reasons.push(format!(
            "{} AccessDenied errors in one hour ({before})",
            hour.denied
        ));
    }
    let alert = if score >= options.min_score.max(1) {
        hour.origin.as_deref().map(|origin| {
            let (records, first, last, event_ids) = hour.contrib.summary(kinds);
            let severity = if score >= HIGH_SCORE {
                Severity::High
            } else if score >= MEDIUM_SCORE {
                Severity::Medium
            } else {
                Severity::Low
            };
            let first = first.unwrap_or(i64::from(hour.index) * HOUR_MS);
            let alert = Alert {
                detection: DETECTION_ID.to_string(),
                title: TITLE.to_string(),
                severity,
                techniques: vec!["T1078".to_string(), "T1078.004".to_string()],
                layer: Some("config_logging_monitoring".to_string()),
                duty: Some("LOG-ALERT-SUSPICIOUS-ACTIVITY".to_string()),
                cis: None,
                time: iso(first),
                last_time: iso(last.unwrap_or(first)),
                account: origin.account.clone(),
                region: origin.region.clone(),
                principal: origin.principal.clone(),
                source_ip: origin.source_ip.clone(),
                user_agent: origin.user_agent.clone(),
                event_name: origin.event_name.clone(),
                event_source: origin.event_source.clone(),
                event_ids,
                records,
                explanation: Some(format!("{} (score {score})", reasons.join("; "))),
                next: Some(
                    "Ask the identity's owner whether this was them. If not, treat the identity as \
                     compromised: revoke its sessions and access keys, review what the listed \
                     events read or changed, and look for persistence (new users, access keys, \
                     roles, policies)."
                        .to_string(),
                ),
                author: None,
                rule_file: rule_file.clone(),
                file: origin.file.clone(),
                position: origin.position,
            };
            (first, alert)
        })
    } else {
        None
    };
    identity.busiest_apis = identity.busiest_apis.max(hour.distinct);
    identity.most_denied = identity.most_denied.max(hour.denied);
    identity.hour.reset();
    alert
}

#[derive(Serialize, Deserialize)]
struct Saved {
    version: u32,
    networks_by: NetworksBy,
    first_ms: Option<i64>,
    last_ms: Option<i64>,
    identities: Vec<SavedIdentity>,
    accounts: Vec<SavedAccount>,
}

#[derive(Serialize, Deserialize)]
struct SavedIdentity {
    principal: String,
    first_ms: i64,
    last_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    learning_until_ms: Option<i64>,
    busiest_hour_apis: u32,
    most_denied_in_hour: u32,
    apis: BTreeMap<String, i64>,
    networks: BTreeMap<String, i64>,
    user_agents: BTreeMap<String, i64>,
}

#[derive(Serialize, Deserialize)]
struct SavedAccount {
    account: String,
    regions: BTreeMap<String, i64>,
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use serde_json::json;

    use super::*;
    use crate::event::parse_time;
    use crate::read::Record;

    const ROLE: &str = "arn:aws:iam::111122223333:role/app";
    const ACCOUNT: &str = "111122223333";
    /// 2024-06-01T00:00:00Z.
    const T0: i64 = 1_717_200_000_000;
    const HOUR: i64 = HOUR_MS;
    const DAY: i64 = DAY_MS;

    /// One synthetic CloudTrail record.
    #[derive(Clone)]
    struct Ev {
        ms: i64,
        role: String,
        api: String,
        ip: String,
        ua: String,
        region: String,
        error: Option<&'static str>,
        read_only: Option<bool>,
        invoked_by: Option<&'static str>,
        kind: &'static str,
    }

    fn ev(ms: i64, api: &str) -> Ev {
        Ev {
            ms,
            role: ROLE.to_string(),
            api: api.to_string(),
            ip: "198.51.100.7".to_string(),
            ua: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.amzn.2023".to_string(),
            region: "us-east-1".to_string(),
            error: None,
            read_only: None,
            invoked_by: None,
            kind: "AssumedRole",
        }
    }

    impl Ev {
        fn ip(mut self, ip: &str) -> Ev {
            self.ip = ip.to_string();
            self
        }
        fn ua(mut self, ua: &str) -> Ev {
            self.ua = ua.to_string();
            self
        }
        fn region(mut self, region: &str) -> Ev {
            self.region = region.to_string();
            self
        }
        fn role(mut self, role: &str) -> Ev {
            self.role = role.to_string();
            self
        }
        fn error(mut self, code: &'static str) -> Ev {
            self.error = Some(code);
            self
        }

        fn json(&self, n: usize) -> String {
            let (service, name) = self.api.split_once(':').unwrap();
            let session = self
                .role
                .replace(":iam::", ":sts::")
                .replace(":role/", ":assumed-role/")
                + "/s";
            let mut identity = json!({
                "type": self.kind,
                "arn": session,
                "accountId": ACCOUNT,
                "accessKeyId": "ASIAEXAMPLE",
                "sessionContext": {"sessionIssuer": {"type": "Role", "arn": self.role},
                                   "attributes": {"mfaAuthenticated": "false"}},
            });
            if let Some(by) = self.invoked_by {
                identity["invokedBy"] = json!(by);
            }
            let mut record = json!({
                "eventVersion": "1.09",
                "eventTime": iso(self.ms).unwrap(),
                "eventSource": format!("{service}.amazonaws.com"),
                "eventName": name,
                "awsRegion": self.region,
                "sourceIPAddress": self.ip,
                "userAgent": self.ua,
                "eventID": format!("00000000-0000-4000-8000-{n:012x}"),
                "eventType": "AwsApiCall",
                "recipientAccountId": ACCOUNT,
                "userIdentity": identity,
            });
            if let Some(code) = self.error {
                record["errorCode"] = json!(code);
            }
            if let Some(ro) = self.read_only {
                record["readOnly"] = json!(ro);
            }
            record.to_string()
        }
    }

    fn feed(baseline: &mut Baseline, events: &[Ev]) {
        let file: Arc<str> = Arc::from("test.json");
        for (n, e) in events.iter().enumerate() {
            let text = e.json(n + e.ms as usize);
            let header: Header = serde_json::from_str(&text).unwrap();
            let record = Record {
                file: &file,
                position: Position {
                    line: n as u64 + 1,
                    index: 0,
                },
                json: &text,
                header: None,
            };
            baseline.observe(&Event {
                record: &record,
                header: &header,
                time_ms: header.event_time.as_deref().and_then(parse_time),
            });
        }
    }

    /// The role's usual day: three read-only calls at 09:00 from one address with the CLI.
    fn steady_day(day: i64) -> Vec<Ev> {
        let at = T0 + day * DAY + 9 * HOUR;
        vec![
            ev(at, "sts:GetCallerIdentity"),
            ev(at + 60_000, "s3:ListBuckets"),
            ev(at + 120_000, "ec2:DescribeInstances"),
            ev(at + 120_500, "ec2:DescribeInstances"),
        ]
    }

    fn options(min_score: u32) -> BaselineOptions {
        BaselineOptions {
            min_score,
            ..BaselineOptions::default()
        }
    }

    /// A baseline that has seen `days` steady days (learning for the first 7), with its alerts.
    fn trained(days: i64, min_score: u32) -> (Baseline, Vec<Alert>) {
        let mut b = Baseline::new(options(min_score)).unwrap();
        for day in 0..days {
            feed(&mut b, &steady_day(day));
        }
        let alerts = b.finish();
        (b, alerts)
    }

    fn explanation(alert: &Alert) -> &str {
        alert.explanation.as_deref().unwrap()
    }

    /// The one alert of `events` on a baseline trained for 10 days, every reason shown.
    fn only_alert(events: &[Ev]) -> Alert {
        let (mut b, steady) = trained(10, 1);
        assert!(steady.is_empty(), "{steady:#?}");
        feed(&mut b, events);
        let mut alerts = b.finish();
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        alerts.remove(0)
    }

    #[test]
    fn user_agent_families() {
        for (ua, family) in [
            (
                "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64",
                "aws-cli/2",
            ),
            (
                "aws-cli/1.29.0 Python/3.8 Linux/5.10 botocore/1.31.0",
                "aws-cli/1",
            ),
            (
                "Boto3/1.28.0 md/Botocore#1.31.0 ua/2.0 os/linux#5.10",
                "Boto3",
            ),
            (
                "aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21 api/sts#1.22.0",
                "aws-sdk-go-v2",
            ),
            (
                "aws-sdk-java/2.20.162 Linux/5.10 OpenJDK_64-Bit_Server_VM/17",
                "aws-sdk-java",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36",
                "console",
            ),
            (
                "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488]",
                "console",
            ),
            ("console.amazonaws.com", "console"),
            (
                "APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.17.0 aws-sdk-go-v2/1.21.0",
                "terraform",
            ),
            (
                "aws-sdk-go/1.44.0 (go1.19; linux; amd64) APN/1.0 HashiCorp/1.0 Terraform/1.3.0",
                "terraform",
            ),
            ("AWS Internal", "aws-internal"),
            (
                "aws-internal/3 aws-sdk-java/1.12.488 Linux/5.10",
                "aws-internal",
            ),
            ("python-requests/2.31.0", "python-requests"),
            ("Go-http-client/1.1", "Go-http-client"),
            ("curl/8.4.0", "curl"),
            (
                "stratus-red-team_10e7edf3-5063-4eba-8842-68f83bb52d65",
                "stratus-red-team",
            ),
            ("aws-sdk-go/1.44.0 (go1.19; linux; amd64)", "aws-sdk-go"),
            ("", ""),
        ] {
            assert_eq!(user_agent_family(ua), family, "{ua}");
        }
        assert_eq!(user_agent_family(&"é".repeat(100)).len(), 64);
    }

    #[test]
    fn steady_days_raise_nothing() {
        let (b, alerts) = trained(30, 1);
        assert!(alerts.is_empty(), "{alerts:#?}");
        let stats = b.stats();
        assert_eq!(stats.identities, 1);
        assert_eq!(
            (stats.apis, stats.networks, stats.user_agents, stats.regions),
            (3, 1, 1, 1)
        );
        assert_eq!(stats.pairs, 6);
        assert_eq!(stats.events, 120);
    }

    #[test]
    fn the_learning_period_only_learns() {
        let mut b = Baseline::new(options(1)).unwrap();
        feed(&mut b, &steady_day(0));
        // Day 3 is within the 7 days of learning: new everything, no alert.
        let novel = ev(T0 + 3 * DAY, "iam:CreateAccessKey")
            .ip("203.0.113.5")
            .ua("python-requests/2.31.0")
            .region("eu-west-3");
        feed(&mut b, std::slice::from_ref(&novel));
        assert!(b.finish().is_empty());
        assert_eq!(b.stats().pairs, 10);
        // What was learned then is known afterwards.
        let mut known = novel;
        known.ms = T0 + 8 * DAY;
        feed(&mut b, &[known]);
        assert!(b.finish().is_empty());
        // Something new after learning alerts.
        feed(&mut b, &[ev(T0 + 8 * DAY + HOUR, "iam:CreateUser")]);
        let alerts = b.finish();
        assert_eq!(alerts.len(), 1);
    }

    #[test]
    fn a_first_seen_api_by_a_known_identity() {
        let alert = only_alert(&[ev(T0 + 10 * DAY + 14 * HOUR, "ec2:DescribeVpcs")]);
        assert_eq!(
            explanation(&alert),
            "first time this role called ec2:DescribeVpcs in 10 days of history (score 10)"
        );
        // Writes weigh more than reads, and credential or permission APIs more than writes.
        let write = only_alert(&[ev(T0 + 10 * DAY, "s3:PutBucketPolicy")]);
        assert!(explanation(&write).ends_with(&format!("(score {WEIGHT_FIRST_WRITE_API})")));
        let mut read_only_write = ev(T0 + 10 * DAY, "s3:PutObject");
        read_only_write.read_only = Some(false);
        assert!(explanation(&only_alert(&[read_only_write])).ends_with("(score 20)"));
        let sensitive = only_alert(&[ev(T0 + 10 * DAY, "secretsmanager:GetSecretValue")]);
        assert!(
            explanation(&sensitive).ends_with(&format!("(score {WEIGHT_FIRST_SENSITIVE_API})"))
        );
        const { assert!(WEIGHT_FIRST_READ_API < WEIGHT_FIRST_WRITE_API) };
        const { assert!(WEIGHT_FIRST_WRITE_API < WEIGHT_FIRST_SENSITIVE_API) };
    }

    #[test]
    fn a_single_first_seen_read_does_not_alert_by_default() {
        let (mut b, _) = trained(30, ALERT_SCORE);
        feed(&mut b, &[ev(T0 + 30 * DAY, "ec2:DescribeVpcs")]);
        assert!(b.finish().is_empty());
        feed(&mut b, &[ev(T0 + 31 * DAY, "s3:PutObject")]);
        assert!(b.finish().is_empty());
        // A first-seen credential API from a new network does.
        feed(
            &mut b,
            &[ev(T0 + 32 * DAY, "secretsmanager:GetSecretValue").ip("203.0.113.5")],
        );
        let alerts = b.finish();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].severity, Severity::Low);
    }

    #[test]
    fn a_first_seen_network() {
        let (mut b, _) = trained(10, 1);
        // Another address in a known /24 is not new.
        feed(
            &mut b,
            &[ev(T0 + 10 * DAY, "s3:ListBuckets").ip("198.51.100.200")],
        );
        assert!(b.finish().is_empty());
        feed(
            &mut b,
            &[ev(T0 + 11 * DAY, "s3:ListBuckets").ip("203.0.113.5")],
        );
        let alerts = b.finish();
        assert_eq!(
            explanation(&alerts[0]),
            "first call from network 203.0.113.0/24 (score 20)"
        );
        feed(
            &mut b,
            &[
                ev(T0 + 12 * DAY, "s3:ListBuckets").ip("2001:db8:1:2::5"),
                ev(T0 + 12 * DAY + 1, "s3:ListBuckets").ip("2001:db8:1:ffff::9"),
                ev(T0 + 12 * DAY + 2, "s3:ListBuckets").ip("2001:db8:2::9"),
            ],
        );
        let alerts = b.finish();
        assert_eq!(
            explanation(&alerts[0]),
            "first call from network 2001:db8:1::/48 and network 2001:db8:2::/48 (score 20)"
        );
    }

    #[test]
    fn a_first_seen_user_agent_family() {
        let alert = only_alert(&[
            ev(T0 + 10 * DAY, "s3:ListBuckets").ua("aws-cli/2.16.1 Python/3.12"),
            ev(T0 + 10 * DAY + 1, "s3:ListBuckets").ua("python-requests/2.31.0"),
        ]);
        assert_eq!(
            explanation(&alert),
            "first use of user agent family python-requests (score 20)"
        );
    }

    #[test]
    fn a_first_seen_region_of_the_account() {
        let alert = only_alert(&[ev(T0 + 10 * DAY, "s3:ListBuckets").region("ap-southeast-3")]);
        assert_eq!(
            explanation(&alert),
            "first activity in region ap-southeast-3 of account 111122223333 (score 25)"
        );
    }

    #[test]
    fn a_burst_of_distinct_apis() {
        // History knows 41 APIs, at most 4 distinct in an hour (the steady day's 3, plus one).
        let pool: Vec<String> = (0..41).map(|i| format!("ec2:DescribeThing{i}")).collect();
        let mut b = Baseline::new(options(1)).unwrap();
        for day in 0..10 {
            feed(&mut b, &steady_day(day));
            let at = T0 + day * DAY;
            let mut rest = vec![ev(at + 9 * HOUR + 1_800_000, &pool[(day % 41) as usize])];
            rest.extend(
                (0..6).map(|k| ev(at + (12 + k) * HOUR, &pool[((day * 6 + k) % 41) as usize])),
            );
            feed(&mut b, &rest);
        }
        assert!(b.finish().is_empty());
        let at = T0 + 10 * DAY + 3 * HOUR;
        let burst: Vec<Ev> = pool
            .iter()
            .enumerate()
            .map(|(i, api)| ev(at + i as i64 * 1000, api))
            .collect();
        feed(&mut b, &burst);
        let alerts = b.finish();
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        assert_eq!(
            explanation(&alerts[0]),
            "41 distinct APIs in one hour (its busiest hour before: 4) (score 30)"
        );
        // Behind it: the first call of each API; the alert names the latest 20 and starts at the
        // call that crossed the threshold.
        assert_eq!(alerts[0].records, 41);
        assert_eq!(alerts[0].event_ids.len(), MAX_EVENT_IDS);
        assert_eq!(alerts[0].time, iso(at));
        assert_eq!(alerts[0].last_time, iso(at + 40_000));
        assert_eq!(alerts[0].event_name.as_deref(), Some("DescribeThing9"));
        // Twice the busiest hour is not a burst below the minimum.
        feed(
            &mut b,
            &pool[..9]
                .iter()
                .map(|a| ev(T0 + 11 * DAY, a))
                .collect::<Vec<_>>(),
        );
        assert!(b.finish().is_empty());
    }

    #[test]
    fn a_burst_of_access_denied_errors() {
        let (mut b, _) = trained(10, 1);
        let at = T0 + 10 * DAY + 2 * HOUR;
        let mut denied: Vec<Ev> = (0..12)
            .map(|i| ev(at + i * 1000, "s3:ListBuckets").error("AccessDenied"))
            .collect();
        denied[3].error = Some("Client.UnauthorizedOperation");
        feed(&mut b, &denied);
        let alerts = b.finish();
        assert_eq!(
            explanation(&alerts[0]),
            "12 AccessDenied errors in one hour (before: none) (score 30)"
        );
        assert_eq!(alerts[0].records, 12);
        // The hour with 12 is now the history; 20 more in an hour is not twice that.
        feed(
            &mut b,
            &(0..20)
                .map(|i| ev(at + DAY + i, "s3:ListBuckets").error("AccessDeniedException"))
                .collect::<Vec<_>>(),
        );
        assert!(b.finish().is_empty());
        feed(
            &mut b,
            &(0..41)
                .map(|i| ev(at + 2 * DAY + i, "s3:ListBuckets").error("AccessDenied"))
                .collect::<Vec<_>>(),
        );
        let alerts = b.finish();
        assert_eq!(
            explanation(&alerts[0]),
            "41 AccessDenied errors in one hour (before: at most 20) (score 30)"
        );
        // Other errors are not denials.
        feed(
            &mut b,
            &(0..100)
                .map(|i| ev(at + 3 * DAY + i, "s3:ListBuckets").error("NoSuchBucket"))
                .collect::<Vec<_>>(),
        );
        assert!(b.finish().is_empty());
    }

    #[test]
    fn reasons_of_one_hour_make_one_alert_and_score_sets_severity() {
        let (mut b, _) = trained(30, ALERT_SCORE);
        let at = T0 + 30 * DAY + 13 * HOUR;
        let mut events = vec![
            ev(at, "s3:ListBuckets")
                .ip("203.0.113.5")
                .ua("python-requests/2.31.0"),
            ev(at + 1000, "secretsmanager:ListSecrets")
                .ip("203.0.113.5")
                .ua("python-requests/2.31.0"),
            ev(at + 2000, "secretsmanager:GetSecretValue")
                .ip("203.0.113.5")
                .ua("python-requests/2.31.0"),
        ];
        events.extend((0..12).map(|i| {
            ev(at + 3000 + i, "iam:ListUsers")
                .ip("203.0.113.5")
                .ua("python-requests/2.31.0")
                .error("AccessDenied")
        }));
        // The next hour is a separate hour: its own alert.
        events.push(ev(at + HOUR, "kms:ScheduleKeyDeletion").ip("192.0.2.1"));
        feed(&mut b, &events);
        let alerts = b.finish();
        assert_eq!(alerts.len(), 2, "{alerts:#?}");
        let a = &alerts[0];
        assert_eq!(
            explanation(a),
            "first time this role called secretsmanager:GetSecretValue, secretsmanager:ListSecrets and \
             iam:ListUsers in 30 days of history; first call from network 203.0.113.0/24; first use of \
             user agent family python-requests; 12 AccessDenied errors in one hour (before: none) (score 125)"
        );
        assert_eq!(a.severity, Severity::High);
        assert_eq!(a.detection, DETECTION_ID);
        assert_eq!(a.title, TITLE);
        assert_eq!(a.principal.arn.as_deref(), Some(ROLE));
        assert_eq!(a.account.as_deref(), Some(ACCOUNT));
        assert_eq!(a.region.as_deref(), Some("us-east-1"));
        assert_eq!(a.source_ip.as_deref(), Some("203.0.113.5"));
        assert_eq!(a.user_agent.as_deref(), Some("python-requests/2.31.0"));
        // The record of the first reason: the first event, a new network and agent.
        assert_eq!(a.event_name.as_deref(), Some("ListBuckets"));
        assert_eq!(a.position.line, 1);
        assert_eq!(&*a.file, "test.json");
        assert_eq!(a.time, iso(at));
        assert_eq!(a.last_time, iso(at + 3011));
        assert_eq!(a.records, 15);
        assert_eq!(a.event_ids.len(), 15);
        assert_eq!(a.layer.as_deref(), Some("config_logging_monitoring"));
        assert_eq!(a.duty.as_deref(), Some("LOG-ALERT-SUSPICIOUS-ACTIVITY"));
        assert!(a.techniques.iter().any(|t| t == "T1078"));
        assert_eq!(&*a.rule_file, "baseline");
        assert!(a.author.is_none() && a.next.is_some());
        let b2 = &alerts[1];
        assert_eq!(
            explanation(b2),
            "first time this role called kms:ScheduleKeyDeletion in 30 days of history; first call \
             from network 192.0.2.0/24 (score 40)"
        );
        assert_eq!(b2.severity, Severity::Low);
        assert_eq!(b.stats().alerts, 2);
    }

    #[test]
    fn more_new_apis_than_listed_are_counted_and_capped_in_the_score() {
        // Nine, one short of a burst.
        let at = T0 + 10 * DAY + 14 * HOUR;
        let events: Vec<Ev> = (0..8)
            .map(|i| ev(at + i, &format!("ec2:DescribeNew{i}")))
            .chain([ev(at + 10, "iam:CreateAccessKey")])
            .collect();
        let alert = only_alert(&events);
        assert_eq!(
            explanation(&alert),
            "first time this role called iam:CreateAccessKey, ec2:DescribeNew0, ec2:DescribeNew1, \
             ec2:DescribeNew2, ec2:DescribeNew3 and 4 more APIs in 10 days of history (score 60)"
        );
    }

    #[test]
    fn a_brand_new_identity_is_one_reason() {
        let (mut b, _) = trained(10, ALERT_SCORE);
        let new_role = "arn:aws:iam::111122223333:role/backdoor";
        let at = T0 + 10 * DAY + 5 * HOUR;
        let events: Vec<Ev> = [
            "iam:ListUsers",
            "iam:CreateUser",
            "s3:ListBuckets",
            "ec2:RunInstances",
        ]
        .iter()
        .enumerate()
        .map(|(i, api)| {
            ev(at + i as i64 * 1000, api)
                .role(new_role)
                .ip("203.0.113.77")
                .ua("python-requests/2.31.0")
        })
        .collect();
        feed(&mut b, &events);
        // Its next hours: it learns on its own for a day.
        feed(
            &mut b,
            &[ev(at + 2 * HOUR, "kms:Decrypt")
                .role(new_role)
                .ip("192.0.2.8")],
        );
        let alerts = b.finish();
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        assert_eq!(
            explanation(&alerts[0]),
            "new identity: first activity of this role in 9 days of history (4 calls, 4 distinct \
             APIs in its first hour) (score 40)"
        );
        assert_eq!(alerts[0].principal.arn.as_deref(), Some(new_role));
        assert_eq!(alerts[0].records, 4);
        // After its own learning, it is scored like any other.
        feed(
            &mut b,
            &[ev(at + 2 * DAY, "kms:CreateGrant")
                .role(new_role)
                .ip("192.0.2.9")],
        );
        assert!(b.finish().is_empty());
        feed(
            &mut b,
            &[ev(at + 2 * DAY + HOUR, "secretsmanager:GetSecretValue")
                .role(new_role)
                .ip("198.18.0.1")],
        );
        let alerts = b.finish();
        assert_eq!(alerts.len(), 1);
        assert!(explanation(&alerts[0]).starts_with(
            "first time this role called secretsmanager:GetSecretValue in 2 days of history"
        ));
    }

    #[test]
    fn calls_aws_makes_for_a_principal_are_ignored() {
        let (mut b, _) = trained(10, 1);
        let before = b.stats();
        let mut by_service = ev(T0 + 10 * DAY, "kms:GenerateDataKey").ip("s3.amazonaws.com");
        let mut invoked = ev(T0 + 10 * DAY, "kms:Decrypt").ip("203.0.113.9");
        invoked.invoked_by = Some("cloudformation.amazonaws.com");
        let mut service =
            ev(T0 + 10 * DAY, "sts:AssumeRole").role("arn:aws:iam::111122223333:role/other");
        service.kind = "AWSService";
        by_service.ua = "s3.amazonaws.com".into();
        feed(&mut b, &[by_service, invoked, service]);
        assert!(b.finish().is_empty());
        let after = b.stats();
        assert_eq!(after.skipped, before.skipped + 3);
        assert_eq!(
            (after.events, after.pairs, after.identities),
            (before.events, before.pairs, 1)
        );
    }

    #[test]
    fn a_daily_run_compares_against_the_saved_history() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        // Day 1: a first run learns and saves.
        let one_day = || BaselineOptions {
            learn_days: 1,
            ..BaselineOptions::default()
        };
        let mut day1 = Baseline::new(one_day()).unwrap();
        feed(&mut day1, &steady_day(0));
        assert!(day1.finish().is_empty());
        day1.save(&path).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("{\"version\":1,"), "{text}");
        // With the default 7 days, a loaded baseline of one day is still learning on day 2.
        let mut learning = Baseline::load(&path, BaselineOptions::default()).unwrap();
        feed(
            &mut learning,
            &[ev(T0 + DAY + 15 * HOUR, "iam:CreateAccessKey").ip("203.0.113.5")],
        );
        assert!(learning.finish().is_empty());
        // Day 2 with a one-day learning period: loaded, the history is compared.
        let mut day2 = Baseline::load(&path, one_day()).unwrap();
        assert_eq!(day2.stats().pairs, day1.stats().pairs);
        assert_eq!(day2.stats().identities, 1);
        feed(&mut day2, &steady_day(1));
        feed(
            &mut day2,
            &[ev(T0 + DAY + 15 * HOUR, "iam:CreateAccessKey").ip("203.0.113.5")],
        );
        let alerts = day2.finish();
        assert_eq!(alerts.len(), 1, "{alerts:#?}");
        assert_eq!(
            explanation(&alerts[0]),
            "first time this role called iam:CreateAccessKey in 1 day of history; first call from \
             network 203.0.113.0/24 (score 55)"
        );
        // Saving what was loaded and learned, and loading it again, changes nothing.
        day2.save(&path).unwrap();
        let saved = fs::read_to_string(&path).unwrap();
        let again = Baseline::load(&path, one_day()).unwrap();
        again.save(&path).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), saved);
        assert_eq!(again.stats().pairs, day2.stats().pairs);
        // The hourly maxima travel too.
        let json: serde_json::Value = serde_json::from_str(&saved).unwrap();
        assert_eq!(json["identities"][0]["busiest_hour_apis"], 3);
        assert_eq!(
            json["identities"][0]["apis"]["iam:CreateAccessKey"],
            T0 + DAY + 15 * HOUR
        );
        assert_eq!(
            json["accounts"][0]["regions"]["us-east-1"],
            T0 + DAY + 15 * HOUR
        );
        assert!(!dir.path().join(".baseline.json.tmp").exists());
    }

    #[test]
    fn bad_baseline_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        let load = |text: &str| {
            fs::write(&path, text).unwrap();
            Baseline::load(&path, BaselineOptions::default())
        };
        assert!(matches!(
            load(r#"{"version":2}"#),
            Err(BaselineError::Version { found: 2, .. })
        ));
        assert!(matches!(load("[1]"), Err(BaselineError::Invalid { .. })));
        let bad_network = r#"{"version":1,"networks_by":"prefix","first_ms":0,"last_ms":0,"accounts":[],
            "identities":[{"principal":"p","first_ms":0,"last_ms":0,"busiest_hour_apis":0,"most_denied_in_hour":0,
            "apis":{},"networks":{"10.0.0.0/8":0},"user_agents":{}}]}"#;
        let err = load(bad_network).unwrap_err();
        assert!(err.to_string().contains("10.0.0.0/8"), "{err}");
        assert!(matches!(
            Baseline::load(&dir.path().join("missing.json"), BaselineOptions::default()),
            Err(BaselineError::Read { .. })
        ));
    }

    #[test]
    fn late_events_count_in_the_open_hour() {
        let (mut b, _) = trained(10, 1);
        let at = T0 + 10 * DAY + 10 * HOUR;
        feed(
            &mut b,
            &[
                ev(at + HOUR + 5, "s3:ListBuckets"),
                // Late by a few minutes, from the hour before: counted in the open one.
                ev(at + HOUR - 120_000, "ec2:DescribeVpcs"),
                ev(at + HOUR + 10, "ec2:DescribeVpcs"),
            ],
        );
        let alerts = b.finish();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].time, iso(at + HOUR - 120_000));
        assert_eq!(alerts[0].last_time, iso(at + HOUR + 10));
        // Both calls of the new API; the known one is not behind the alert.
        assert_eq!(alerts[0].records, 2);
        assert_eq!(alerts[0].event_ids.len(), 2);
    }

    #[test]
    fn sets_are_capped() {
        let mut b = Baseline::new(options(1)).unwrap();
        let events: Vec<Ev> = (0..MAX_APIS_PER_IDENTITY as i64 + 5)
            .map(|i| ev(T0 + i, &format!("svc:Api{i}")))
            .collect();
        feed(&mut b, &events);
        let stats = b.stats();
        assert_eq!(stats.apis, MAX_APIS_PER_IDENTITY as u64);
        assert_eq!(stats.capped, 5);
    }

    #[test]
    fn values_not_seen_for_the_retention_are_forgotten() {
        let mut b = Baseline::new(BaselineOptions {
            retention_days: 20,
            ..options(1)
        })
        .unwrap();
        feed(&mut b, &[ev(T0, "iam:ListRoles").ip("192.0.2.1")]);
        for day in 0..30 {
            feed(&mut b, &steady_day(day));
        }
        b.finish();
        let stats = b.stats();
        assert_eq!((stats.apis, stats.networks), (3, 1));
        // A dormant identity is forgotten too, and new when it returns.
        let other = "arn:aws:iam::111122223333:user/old";
        feed(&mut b, &[ev(T0 + 30 * DAY, "s3:ListBuckets").role(other)]);
        b.finish();
        assert_eq!(b.stats().identities, 2);
        feed(&mut b, &steady_day(60));
        b.finish();
        assert_eq!(b.stats().identities, 1);
    }

    #[test]
    fn networks_keys_round_trip() {
        for text in ["203.0.113.0/24", "2001:db8:1::/48", "AS64500", "country:DE"] {
            assert_eq!(network_text(parse_network(text).unwrap()), text);
        }
        assert_eq!(parse_network("10.1.0.0/16"), None);
        assert_eq!(
            prefix_key("::ffff:203.0.113.9".parse().unwrap()),
            prefix_key("203.0.113.1".parse().unwrap())
        );
        assert_eq!(
            EventId::new("b9c3d881-1e77-426c-abd3-5ca20d903380").to_text(),
            "b9c3d881-1e77-426c-abd3-5ca20d903380"
        );
        assert!(matches!(
            EventId::new("B9C3D881-1E77-426C-ABD3-5CA20D903380"),
            EventId::Text(_)
        ));
    }

    /// A MaxMind DB (IPv4, 24-bit records) mapping each /prefix to an encoded data record.
    fn mmdb(database_type: &str, entries: &[(Ipv4Addr, u32, Vec<u8>)]) -> Vec<u8> {
        #[derive(Clone, Copy)]
        enum Rec {
            Node(usize),
            Empty,
            Data(usize),
        }
        let mut data = Vec::new();
        let mut nodes = vec![[Rec::Empty; 2]];
        for (ip, len, record) in entries {
            let offset = data.len();
            data.extend_from_slice(record);
            let bits = u32::from(*ip);
            let mut node = 0;
            for depth in 0..*len {
                let bit = ((bits >> (31 - depth)) & 1) as usize;
                if depth + 1 == *len {
                    nodes[node][bit] = Rec::Data(offset);
                } else if let Rec::Node(next) = nodes[node][bit] {
                    node = next;
                } else {
                    nodes.push([Rec::Empty; 2]);
                    let next = nodes.len() - 1;
                    nodes[node][bit] = Rec::Node(next);
                    node = next;
                }
            }
        }
        let count = nodes.len();
        let mut out = Vec::new();
        for node in &nodes {
            for rec in node {
                let value = match *rec {
                    Rec::Node(i) => i,
                    Rec::Empty => count,
                    Rec::Data(offset) => count + 16 + offset,
                };
                out.extend_from_slice(&(value as u32).to_be_bytes()[1..]);
            }
        }
        out.extend_from_slice(&[0; 16]);
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
        map(&mut out, 9);
        string(&mut out, "binary_format_major_version");
        uint(&mut out, 5, 2);
        string(&mut out, "binary_format_minor_version");
        uint(&mut out, 5, 0);
        string(&mut out, "build_epoch");
        uint(&mut out, 9, 1_700_000_000);
        string(&mut out, "database_type");
        string(&mut out, database_type);
        string(&mut out, "description");
        map(&mut out, 1);
        string(&mut out, "en");
        string(&mut out, "test");
        string(&mut out, "ip_version");
        uint(&mut out, 5, 4);
        string(&mut out, "languages");
        control(&mut out, 11, 1);
        string(&mut out, "en");
        string(&mut out, "node_count");
        uint(&mut out, 6, count as u64);
        string(&mut out, "record_size");
        uint(&mut out, 5, 24);
        out
    }

    fn control(out: &mut Vec<u8>, kind: u8, size: usize) {
        let (bits, extra) = if size < 29 {
            (size as u8, None)
        } else {
            (29, Some((size - 29) as u8))
        };
        if kind <= 7 {
            out.push(kind << 5 | bits);
        } else {
            out.push(bits);
            out.push(kind - 7);
        }
        out.extend(extra);
    }

    fn string(out: &mut Vec<u8>, s: &str) {
        control(out, 2, s.len());
        out.extend_from_slice(s.as_bytes());
    }

    fn uint(out: &mut Vec<u8>, kind: u8, value: u64) {
        let bytes = value.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        control(out, kind, 8 - skip);
        out.extend_from_slice(&bytes[skip..]);
    }

    fn map(out: &mut Vec<u8>, pairs: usize) {
        control(out, 7, pairs);
    }

    fn asn_record(asn: u32) -> Vec<u8> {
        let mut r = Vec::new();
        map(&mut r, 2);
        string(&mut r, "autonomous_system_number");
        uint(&mut r, 6, u64::from(asn));
        string(&mut r, "autonomous_system_organization");
        string(&mut r, "Example Networks");
        r
    }

    fn country_record(code: &str) -> Vec<u8> {
        let mut r = Vec::new();
        map(&mut r, 1);
        string(&mut r, "country");
        map(&mut r, 1);
        string(&mut r, "iso_code");
        string(&mut r, code);
        r
    }

    #[test]
    fn networks_by_asn_and_country_with_a_geoip_database() {
        let dir = tempfile::tempdir().unwrap();
        let asn_db = dir.path().join("asn.mmdb");
        fs::write(
            &asn_db,
            mmdb(
                "GeoLite2-ASN",
                &[
                    (Ipv4Addr::new(198, 51, 100, 0), 22, asn_record(64500)),
                    (Ipv4Addr::new(203, 0, 113, 0), 24, asn_record(64501)),
                ],
            ),
        )
        .unwrap();
        let geo = |path: &Path| BaselineOptions {
            geoip: Some(path.to_path_buf()),
            ..options(1)
        };
        let mut b = Baseline::new(geo(&asn_db)).unwrap();
        for day in 0..10 {
            feed(&mut b, &steady_day(day));
        }
        assert!(b.finish().is_empty());
        // Another /24 of the same AS is not new; another AS is; an address the database does
        // not cover falls back to its /24.
        feed(
            &mut b,
            &[ev(T0 + 10 * DAY, "s3:ListBuckets").ip("198.51.101.9")],
        );
        assert!(b.finish().is_empty());
        feed(
            &mut b,
            &[
                ev(T0 + 11 * DAY, "s3:ListBuckets").ip("203.0.113.9"),
                ev(T0 + 11 * DAY + 1, "s3:ListBuckets").ip("192.0.2.1"),
            ],
        );
        let alerts = b.finish();
        assert_eq!(
            explanation(&alerts[0]),
            "first call from AS64501 and network 192.0.2.0/24 (score 20)"
        );
        // The saved baseline says how it keys networks, and only loads with the same kind.
        let saved = dir.path().join("b.json");
        b.save(&saved).unwrap();
        assert!(
            fs::read_to_string(&saved)
                .unwrap()
                .contains("\"networks_by\":\"asn\"")
        );
        assert!(Baseline::load(&saved, geo(&asn_db)).is_ok());
        assert!(matches!(
            Baseline::load(&saved, BaselineOptions::default()),
            Err(BaselineError::NetworksBy {
                saved: "asn",
                now: "prefix",
                ..
            })
        ));

        let country_db = dir.path().join("country.mmdb");
        fs::write(
            &country_db,
            mmdb(
                "GeoLite2-Country",
                &[(Ipv4Addr::new(203, 0, 113, 0), 24, country_record("DE"))],
            ),
        )
        .unwrap();
        let mut b = Baseline::new(geo(&country_db)).unwrap();
        for day in 0..10 {
            feed(&mut b, &steady_day(day));
        }
        feed(
            &mut b,
            &[ev(T0 + 11 * DAY, "s3:ListBuckets").ip("203.0.113.9")],
        );
        let alerts = b.finish();
        assert_eq!(
            explanation(&alerts[0]),
            "first call from country DE (score 20)"
        );

        let missing = dir.path().join("missing.mmdb");
        let err = Baseline::new(geo(&missing)).unwrap_err();
        assert!(matches!(err, BaselineError::GeoIp { .. }), "{err}");
        fs::write(&missing, b"not a database").unwrap();
        assert!(matches!(
            Baseline::new(geo(&missing)),
            Err(BaselineError::GeoIp { .. })
        ));
    }
}
