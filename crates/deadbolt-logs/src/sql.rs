//! The detections as SQL over a table of CloudTrail events, for engines that already hold the
//! logs: Spark (and, with the differences below, Athena/Trino), DuckDB and DataFusion.
//!
//! # The table
//!
//! One row per CloudTrail event, named [`TABLE`] (`cloudtrail_events`), with the columns in
//! [`COLUMNS`]. Column names are those of the Athena CloudTrail table (AWS Athena User Guide,
//! "Query AWS CloudTrail logs": `eventtime`, `eventsource`, `requestparameters`, ...), all lower
//! case so that no dialect needs quoting, and:
//! - top-level scalar fields are text columns holding the record's value as Sigma compares it
//!   (strings as they are, numbers and booleans as JSON writes them: `readonly` is `'false'`);
//!   JSON `null` and a missing field are both SQL `NULL`;
//! - `eventtime_ms` is `eventtime` in milliseconds since the epoch (`NULL` when it is not an
//!   RFC 3339 time), for the correlation windows;
//! - the usual `userIdentity` fields are flattened (`useridentity_arn`,
//!   `useridentity_sessionissuer_arn`, ...) and `principal_arn` is deadbolt's principal: the
//!   session issuer's ARN, else `userIdentity.arn`, else `invokedBy`, else the account ID;
//! - nested objects (`requestparameters`, `responseelements`, `additionaleventdata`,
//!   `useridentity`, `resources`, `serviceeventdetails`, `tlsdetails`) are their JSON text, and
//!   `raw` is the whole record's JSON text (keywords search it; fields with no column of their own
//!   are read from it).
//!
//! On Athena, the CloudTrail table already has most of these columns with these names (its
//! `useridentity` is a struct: a view that selects `useridentity.arn AS useridentity_arn`, ...,
//! `json_format(CAST(useridentity AS JSON)) AS useridentity` maps it). `eventtime_ms`,
//! `principal_arn` and `raw` are not in Athena's table: the first two are expressions over its
//! columns (`to_unixtime(from_iso8601_timestamp(eventtime)) * 1000`, `COALESCE(...)`); `raw`
//! needs a second table over the same files with one string column per line, or is left out (then
//! keyword rules and fields without a column do not run).
//!
//! # What compiles to what
//!
//! - A field path compiles to its column when it has one, else to a JSON walk through the JSON
//!   column its first step names (`requestParameters.x` → `requestparameters`), else through
//!   `raw`. The walk fans out through arrays anywhere on the path and at its end, as the stream
//!   engine does: each step takes the key in every element reached so far, arrays expanded
//!   (`flatten(transform(...))` with lambdas), and the test holds when it holds for one leaf
//!   (`size(filter(...)) > 0` / `list_filter` / `array_any_match`).
//! - Strings compare case-insensitively with `LOWER(x) = 'v'`; wildcards become `LIKE` with `%`,
//!   `_` and `\` escaped; `re` becomes the dialect's regex function with the `i`/`m`/`s` flags
//!   inline; `cidr` (IPv4) a dotted-quad check and an integer range (IPv6 networks are not
//!   expressible); `null` is `IS NULL` (no non-null leaf), `exists` a count of leaves, `fieldref`
//!   an equality between the two fields' leaves, `gt`/`gte`/`lt`/`lte` a `TRY_CAST` to `DOUBLE`;
//!   keywords are `LOWER(raw) LIKE '%word%'` (approximate: the raw text holds the keys too, where
//!   the stream engine searches values only).
//! - Conditions keep SQL's three-valued logic from leaking: `not x` is `NOT COALESCE(x, FALSE)`.
//! - A correlation is a query over the matches of its rules: each matching event with a time
//!   anchors a window `[t - timespan, t]` over the matches of its group (a self-join); anchors
//!   whose window meets the condition fire; fired anchors of one group less than an hour apart
//!   are one alert ([`crate::engine::MERGE_WINDOW_MS`]), with the distinct event IDs of their
//!   windows. An alias in `group-by` reads each rule's own field into the group column.
//!   `temporal` counts the distinct rules in the window; `temporal_ordered` is not expressible
//!   here (yet): the stream engine runs it.
//!
//! # Differences from the stream engine
//!
//! Single-record detections give the same events. Where a dialect cannot say exactly what the
//! stream engine does, the query begins with `-- approximate: <why>`, or is replaced by
//! `-- not expressible: <why>`; the general limits are:
//! - `LOWER` folds Unicode case, the stream engine ASCII case (only non-ASCII text can differ);
//! - arrays of arrays are expanded one level (CloudTrail has none on the paths rules use);
//! - a field name that itself holds a dot (`a.b` as one key) is not found (the stream engine tries
//!   it);
//! - correlations: the stream engine sees records in arrival order and starts a group afresh
//!   after it fires, so a burst that goes on may be cut into alerts at other points; the SQL sees
//!   the whole table in time order. Both raise the same (detection, group, principal) for one
//!   burst; the event IDs of an alert may differ (the stream keeps the latest 20 since the group
//!   started, the SQL those of the firing windows). A `group-by` field through arrays takes the
//!   first leaf (the stream engine the first element's); a `value_count` field counts every leaf,
//!   as the stream engine does.
//!
//! Per dialect:
//! - **Spark** (3.4 or later; Databricks): `get_json_object` turns JSON `null` into SQL `NULL`, so
//!   `exists: true` on a field present with a `null` value is false (marked approximate), and a
//!   string value holding JSON text is walked into; `\d`, `\w`, `\s`, `\b` in `re` are ASCII in
//!   Java (Unicode in the stream engine: marked approximate). String literals use backslash
//!   escapes (`'\\.'`), as Spark's parser reads them. **Athena/Trino** run the single-record
//!   queries whose fields all have columns as they are (`LOWER`, `LIKE`, `regexp_like`, `IN`,
//!   `TRY_CAST`, `split_part` exist there) once backslashes are undoubled; the JSON walk needs
//!   Trino's functions instead (`json_query(col, 'lax $.a.b' WITH ARRAY WRAPPER)` gives the same
//!   fan-out, `any_match` replaces `size(filter(...)) > 0`), and correlations need `array_agg`/`min_by` spelled
//!   the Trino way.
//! - **DuckDB** (1.3 or later, `json` extension): exact, save that `re` is RE2 (as the Rust
//!   regex crate, without Unicode classes by default: marked approximate when used).
//! - **DataFusion** (55, with `datafusion-functions-json` registered, the SQL parser dialect set
//!   to `duckdb` for lambdas — `SET datafusion.sql_parser.dialect = 'duckdb'` — and
//!   `datafusion.optimizer.enable_leaf_expression_pushdown` off, which in DataFusion 55 moves
//!   `json_get_json` below a filter without renumbering the filter's lambda variables): exact; its
//!   regexes are the stream engine's own crate. List elements from `json_get_array` are cast to a
//!   plain `List(Utf8)` (their JSON field metadata trips `flatten`'s type check).

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::detection::Detection;
use crate::engine::{Engine, MERGE_WINDOW_MS};
use crate::sigma::{
    self, Anchor, Body, Compare, Condition, CorrelationKind, FieldMatch, Pattern, Selection,
    ValueMatch,
};

/// The name of the events table every query reads.
pub const TABLE: &str = "cloudtrail_events";

/// A SQL dialect the detections compile to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Apache Spark SQL 3.4+ (Databricks too); see the module docs for Athena/Trino.
    Spark,
    /// DuckDB 1.3+ with its `json` extension.
    DuckDb,
    /// Apache DataFusion 55 with `datafusion-functions-json` and the `duckdb` parser dialect.
    DataFusion,
}

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 3] = [Dialect::Spark, Dialect::DuckDb, Dialect::DataFusion];

    /// The name on the command line (`spark`, `duckdb`, `datafusion`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Spark => "spark",
            Dialect::DuckDb => "duckdb",
            Dialect::DataFusion => "datafusion",
        }
    }

    /// The dialect a command-line name names.
    pub fn parse(text: &str) -> Option<Dialect> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(text))
    }
}

/// The SQL type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text (`STRING` in Spark, `VARCHAR` in DuckDB and DataFusion).
    Text,
    /// A 64-bit integer (`BIGINT`).
    BigInt,
    /// Text holding JSON.
    Json,
}

/// One column of [`TABLE`].
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The column name (lower case, as Athena names it).
    pub name: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// The dotted path of the record field it holds (`userIdentity.arn`); empty when derived.
    pub path: &'static str,
    /// What it holds.
    pub description: &'static str,
}

const fn text(name: &'static str, path: &'static str, description: &'static str) -> Column {
    Column {
        name,
        kind: ColumnType::Text,
        path,
        description,
    }
}

const fn json(name: &'static str, path: &'static str, description: &'static str) -> Column {
    Column {
        name,
        kind: ColumnType::Json,
        path,
        description,
    }
}

/// The columns of [`TABLE`], in order.
pub const COLUMNS: &[Column] = &[
    text("eventversion", "eventVersion", "record format version"),
    text(
        "eventtime",
        "eventTime",
        "ISO 8601 time in UTC, as in the record",
    ),
    Column {
        name: "eventtime_ms",
        kind: ColumnType::BigInt,
        path: "",
        description: "eventTime in milliseconds since the epoch; NULL when not an RFC 3339 time",
    },
    text(
        "eventsource",
        "eventSource",
        "service endpoint (iam.amazonaws.com)",
    ),
    text("eventname", "eventName", "API action"),
    text("awsregion", "awsRegion", "region"),
    text(
        "sourceipaddress",
        "sourceIPAddress",
        "caller address, or the AWS service acting for it",
    ),
    text("useragent", "userAgent", "client"),
    text("errorcode", "errorCode", "set when the call failed"),
    text("errormessage", "errorMessage", "set when the call failed"),
    text("requestid", "requestID", "request ID"),
    text("eventid", "eventID", "unique per event"),
    text(
        "eventtype",
        "eventType",
        "AwsApiCall, AwsConsoleSignIn, AwsServiceEvent, ...",
    ),
    text(
        "eventcategory",
        "eventCategory",
        "Management, Data, NetworkActivity",
    ),
    text("apiversion", "apiVersion", "API version"),
    text("readonly", "readOnly", "'true' or 'false'"),
    text("managementevent", "managementEvent", "'true' or 'false'"),
    text(
        "recipientaccountid",
        "recipientAccountId",
        "account that received the call",
    ),
    text(
        "sharedeventid",
        "sharedEventID",
        "same across the accounts of a shared event",
    ),
    text(
        "vpcendpointid",
        "vpcEndpointId",
        "VPC endpoint the call came through",
    ),
    text(
        "sessioncredentialfromconsole",
        "sessionCredentialFromConsole",
        "'true' for console sessions",
    ),
    text(
        "useridentity_type",
        "userIdentity.type",
        "Root, IAMUser, AssumedRole, ...",
    ),
    text(
        "useridentity_principalid",
        "userIdentity.principalId",
        "principal ID",
    ),
    text("useridentity_arn", "userIdentity.arn", "caller ARN"),
    text(
        "useridentity_accountid",
        "userIdentity.accountId",
        "caller account",
    ),
    text(
        "useridentity_accesskeyid",
        "userIdentity.accessKeyId",
        "signing key ID (not a secret)",
    ),
    text(
        "useridentity_username",
        "userIdentity.userName",
        "user name",
    ),
    text(
        "useridentity_invokedby",
        "userIdentity.invokedBy",
        "AWS service acting for the caller",
    ),
    text(
        "useridentity_sessionissuer_type",
        "userIdentity.sessionContext.sessionIssuer.type",
        "Role, IAMUser, Root",
    ),
    text(
        "useridentity_sessionissuer_arn",
        "userIdentity.sessionContext.sessionIssuer.arn",
        "role or user the session was issued for",
    ),
    text(
        "useridentity_mfaauthenticated",
        "userIdentity.sessionContext.attributes.mfaAuthenticated",
        "'true' or 'false'",
    ),
    text(
        "principal_arn",
        "",
        "COALESCE(useridentity_sessionissuer_arn, useridentity_arn, useridentity_invokedby, useridentity_accountid)",
    ),
    json("useridentity", "userIdentity", "JSON"),
    json("requestparameters", "requestParameters", "JSON"),
    json("responseelements", "responseElements", "JSON"),
    json("additionaleventdata", "additionalEventData", "JSON"),
    json("resources", "resources", "JSON array"),
    json("serviceeventdetails", "serviceEventDetails", "JSON"),
    json("tlsdetails", "tlsDetails", "JSON"),
    json("raw", "", "the whole record's JSON text, as read"),
];

/// The `CREATE TABLE` statement of [`TABLE`] in `dialect`, one column a line with its meaning.
pub fn create_table(dialect: Dialect) -> String {
    let mut out = format!("CREATE TABLE IF NOT EXISTS {TABLE} (\n");
    for (i, c) in COLUMNS.iter().enumerate() {
        let ty = match (c.kind, dialect) {
            (ColumnType::BigInt, _) => "BIGINT",
            (_, Dialect::Spark) => "STRING",
            (_, _) => "VARCHAR",
        };
        let comma = if i + 1 < COLUMNS.len() { "," } else { "" };
        let from = if c.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", c.path)
        };
        let typed = format!("{ty}{comma}");
        let _ = writeln!(
            out,
            "  {:<32} {typed:<8} -- {from}{}",
            c.name, c.description
        );
    }
    out.push(')');
    if dialect == Dialect::Spark {
        out.push_str(" USING parquet");
    }
    out.push(';');
    out
}

/// How faithfully a query says what the stream engine does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fidelity {
    /// The same events.
    Exact,
    /// Close, for the reasons given (each also a `-- approximate:` line of the query).
    Approximate(Vec<String>),
    /// No query: the dialect cannot say it, for this reason.
    NotExpressible(String),
}

/// The SQL of one detection.
#[derive(Debug, Clone)]
pub struct Query {
    /// The detection's stable ID (`CT-ATT-007`).
    pub detection: String,
    /// Its title.
    pub title: String,
    /// Whether it is a correlation (one row per burst: `event_ids`, `last_time`, `matched`) or a
    /// single-record detection (one row per event: `event_id`).
    pub correlation: bool,
    /// How faithful it is.
    pub fidelity: Fidelity,
    /// The statement, with its comment header and without a trailing `;`; `None` when not
    /// expressible.
    pub sql: Option<String>,
}

/// Compiles every detection of `engine` that raises alerts (see [`Engine::alerting`]) into one
/// query each. Base rules counted only by a correlation have no query of their own: their
/// conditions are inside the correlation's.
pub fn compile(engine: &Engine, dialect: Dialect) -> Vec<Query> {
    // As the engine resolves the rules a correlation counts: by `name` or `id`, the first rule
    // that uses a key keeps it.
    let mut by_name: HashMap<&str, &Detection> = HashMap::new();
    for d in engine.detections() {
        for key in [d.rule.name.as_deref(), d.rule.id.as_deref()]
            .into_iter()
            .flatten()
        {
            by_name.entry(key).or_insert(d);
        }
    }
    engine
        .alerting()
        .map(|d| {
            let mut c = Compiler::new(dialect);
            let result = match &d.rule.body {
                Body::Detection(det) => c.single(d, det),
                Body::Correlation(_) => c.correlation(d, &by_name),
            };
            let (fidelity, sql) = match result {
                Ok(sql) => {
                    let fidelity = if c.notes.is_empty() {
                        Fidelity::Exact
                    } else {
                        Fidelity::Approximate(c.notes.clone())
                    };
                    (fidelity, Some(header(d, &c.notes) + &sql))
                }
                Err(why) => (Fidelity::NotExpressible(why), None),
            };
            Query {
                detection: d.meta.id.clone(),
                title: d.rule.title.clone(),
                correlation: d.rule.correlation().is_some(),
                fidelity,
                sql,
            }
        })
        .collect()
}

fn header(d: &Detection, notes: &[String]) -> String {
    let mut out = format!(
        "-- {} ({}): {}\n",
        d.meta.id,
        d.rule.level.as_str(),
        one_line(&d.rule.title)
    );
    for note in notes {
        let _ = writeln!(out, "-- approximate: {note}");
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The whole script for `dialect`: what it needs, the table, then every query (`;`-terminated),
/// and a comment for each detection that is not expressible.
pub fn script(queries: &[Query], dialect: Dialect) -> String {
    let mut out = format!(
        "-- deadbolt detections over AWS CloudTrail as {} SQL: one query per detection.\n",
        dialect.name()
    );
    out.push_str(match dialect {
        Dialect::Spark => {
            "-- Spark 3.4+ (Databricks too). Fill the table from CloudTrail (one row per record), or map\n-- Athena's CloudTrail table onto these column names with a view.\n"
        }
        Dialect::DuckDb => "-- DuckDB 1.3+ with the json extension (INSTALL json; LOAD json).\n",
        Dialect::DataFusion => {
            "-- DataFusion 55 with datafusion-functions-json registered (register_all), lambdas parsed\n-- with the duckdb dialect, and leaf-expression pushdown off (DataFusion 55 moves json_get_json\n-- below a filter without renumbering the filter's lambda variables):\nSET datafusion.sql_parser.dialect = 'duckdb';\nSET datafusion.optimizer.enable_leaf_expression_pushdown = false;\n"
        }
    });
    out.push_str(
        "-- Single-record detections return one row per event; correlations one row per burst.\n\n",
    );
    out.push_str(&create_table(dialect));
    out.push_str("\n\n");
    for q in queries {
        match (&q.sql, &q.fidelity) {
            (Some(sql), _) => {
                out.push_str(sql);
                out.push_str(";\n\n");
            }
            (None, Fidelity::NotExpressible(why)) => {
                let _ = writeln!(
                    out,
                    "-- {}: {}\n-- not expressible: {why}\n",
                    q.detection,
                    one_line(&q.title)
                );
            }
            (None, _) => {}
        }
    }
    out
}

/// Where a field path is read from.
enum Target {
    /// A scalar column.
    Column(&'static str),
    /// A walk from a JSON column through these keys (none: the column's value itself).
    Json(&'static str, Vec<String>),
}

fn target(path: &[String]) -> Target {
    let dotted = path.join(".");
    if let Some(c) = COLUMNS
        .iter()
        .find(|c| c.kind == ColumnType::Text && !c.path.is_empty() && c.path == dotted)
    {
        return Target::Column(c.name);
    }
    for c in COLUMNS
        .iter()
        .filter(|c| c.kind == ColumnType::Json && !c.path.is_empty())
    {
        let prefix: Vec<&str> = c.path.split('.').collect();
        if path.len() >= prefix.len() && path.iter().zip(&prefix).all(|(a, b)| a == b) {
            return Target::Json(c.name, path[prefix.len()..].to_vec());
        }
    }
    Target::Json("raw", path.to_vec())
}

/// The output columns of a single-record query.
const SINGLE_COLUMNS: &[(&str, &str)] = &[
    ("eventid", "event_id"),
    ("eventtime", "event_time"),
    ("principal_arn", "principal_arn"),
    ("recipientaccountid", "account_id"),
    ("awsregion", "region"),
    ("eventsource", "event_source"),
    ("eventname", "event_name"),
    ("sourceipaddress", "source_ip"),
    ("useragent", "user_agent"),
];

struct Compiler {
    dialect: Dialect,
    /// Why the query is approximate, when it is.
    notes: Vec<String>,
    /// Lambda variables handed out (each lambda gets its own name).
    vars: usize,
}

type Sql = Result<String, String>;

impl Compiler {
    fn new(dialect: Dialect) -> Compiler {
        Compiler {
            dialect,
            notes: Vec::new(),
            vars: 0,
        }
    }

    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    fn single(&mut self, d: &Detection, det: &sigma::Detection) -> Sql {
        let condition = self.condition(det, det.condition())?;
        let mut out = format!("SELECT\n  {} AS detection_id", self.lit(&d.meta.id));
        for (column, alias) in SINGLE_COLUMNS {
            if column == alias {
                let _ = write!(out, ",\n  {column}");
            } else {
                let _ = write!(out, ",\n  {column} AS {alias}");
            }
        }
        let _ = write!(out, "\nFROM {TABLE}\nWHERE {condition}");
        Ok(out)
    }

    fn correlation(&mut self, d: &Detection, by_name: &HashMap<&str, &Detection>) -> Sql {
        let Some(correlation) = d.rule.correlation() else {
            return Err("not a correlation".into());
        };
        // value_count: every non-null leaf of the field is a value (a list of ten names is ten
        // values), as the stream engine counts them.
        let values = match &correlation.kind {
            CorrelationKind::EventCount => None,
            CorrelationKind::ValueCount(field) => Some(self.all_texts(field)),
            CorrelationKind::Temporal => None,
            CorrelationKind::TemporalOrdered => {
                return Err(format!(
                    "{}: temporal_ordered correlations (every rule in order within a window) have no SQL translation yet; the stream engine runs them",
                    d.rule.file
                ));
            }
        };
        let temporal = correlation.kind == CorrelationKind::Temporal;
        let columns: Vec<String> = correlation
            .group_by
            .iter()
            .map(|g| format!("group_{}", identifier(g)))
            .collect();
        let mut bases = Vec::new();
        for (member, name) in correlation.rules.iter().enumerate() {
            let base = by_name
                .get(name.as_str())
                .ok_or_else(|| format!("the correlation counts {name:?}, which is not loaded"))?;
            let Body::Detection(det) = &base.rule.body else {
                return Err(format!(
                    "the correlation counts {name:?}, which is itself a correlation"
                ));
            };
            let condition = self.condition(det, det.condition())?;
            // `rule_index`: which of the correlation's rules matched, for temporal's count of rules.
            let mut select = format!(
                "  SELECT eventid AS event_id, eventtime AS event_time, eventtime_ms AS t, principal_arn, {member} AS rule_index"
            );
            // An alias in `group-by` reads each rule's own field into one column.
            for (entry, column) in columns.iter().enumerate() {
                let expr = self.first_text(correlation.group_field(member, entry));
                let _ = write!(select, ",\n    COALESCE({expr}, '') AS {column}");
            }
            if let Some(values) = &values {
                let _ = write!(select, ",\n    {values} AS vs");
            }
            let _ = write!(
                select,
                "\n  FROM {TABLE}\n  WHERE eventtime_ms IS NOT NULL AND ({condition})"
            );
            bases.push(select);
        }
        let g: Vec<&str> = columns.iter().map(String::as_str).collect();
        let join_on: String = g.iter().map(|a| format!("b.{a} = a.{a} AND ")).collect();
        let partition = if g.is_empty() {
            String::new()
        } else {
            format!("PARTITION BY {} ", g.join(", "))
        };
        let g_list: String = g.iter().map(|a| format!(", {a}")).collect();
        let a_list: String = g.iter().map(|a| format!(", a.{a}")).collect();
        let f_list: String = g.iter().map(|a| format!(", f.{a}")).collect();
        let unnest = match self.dialect {
            Dialect::Spark => "explode",
            Dialect::DuckDb | Dialect::DataFusion => "unnest",
        };
        // Events that count: for value_count, those with a value.
        let (value_ctes, counted_from, counted, count_join) = if values.is_some() {
            (
                format!(
                    "vals AS (\n  SELECT k, v FROM (SELECT k, {unnest}(vs) AS v FROM numbered) x WHERE v IS NOT NULL\n),\n\
counted AS (\n  SELECT * FROM numbered WHERE k IN (SELECT k FROM vals)\n),\n"
                ),
                "counted",
                "COUNT(DISTINCT vals.v)",
                " JOIN vals ON vals.k = pairs.member",
            )
        } else if temporal {
            (String::new(), "numbered", "COUNT(DISTINCT member_rule)", "")
        } else {
            (String::new(), "numbered", "COUNT(*)", "")
        };
        let having = match correlation.at_most {
            Some(most) => format!("{counted} BETWEEN {} AND {most}", correlation.at_least),
            None => format!("{counted} >= {}", correlation.at_least),
        };
        let span = correlation.timespan_ms;
        let (first_principal, first_anchor, ids) = match self.dialect {
            Dialect::Spark => (
                "min_by(f.principal_arn, f.anchor_t)",
                "min_by(f.anchor_event, f.anchor_t)",
                "array_sort(collect_set(p.member_id))",
            ),
            Dialect::DuckDb => (
                "arg_min(f.principal_arn, f.anchor_t)",
                "arg_min(f.anchor_event, f.anchor_t)",
                "list_sort(list_distinct(list(p.member_id)))",
            ),
            Dialect::DataFusion => (
                "first_value(f.principal_arn ORDER BY f.anchor_t)",
                "first_value(f.anchor_event ORDER BY f.anchor_t)",
                "array_sort(array_distinct(array_agg(p.member_id)))",
            ),
        };
        let mut out =
            format!("-- window: {span} ms per group, anchored at each match\nWITH matches AS (\n");
        out.push_str(&bases.join("\n  UNION ALL\n"));
        let _ = write!(
            out,
            "\n),\nnumbered AS (\n  SELECT m.*, ROW_NUMBER() OVER (ORDER BY t, event_id) AS k FROM matches m\n),\n{value_ctes}\
pairs AS (\n  SELECT a.k AS anchor, a.t AS anchor_t, a.event_id AS anchor_event, a.principal_arn{a_list},\n    \
b.k AS member, b.rule_index AS member_rule, b.event_id AS member_id, b.event_time AS member_time\n  \
FROM {counted_from} a JOIN {counted_from} b ON {join_on}b.t BETWEEN a.t - {span} AND a.t\n),\n\
fired AS (\n  SELECT anchor, anchor_t, anchor_event, principal_arn{g_list}, {counted} AS n\n  FROM pairs{count_join}\n  \
GROUP BY anchor, anchor_t, anchor_event, principal_arn{g_list}\n  HAVING {having}\n),\n\
bursts AS (\n  SELECT f.*, SUM(CASE WHEN f.prev_t IS NULL OR f.anchor_t - f.prev_t > {MERGE_WINDOW_MS} THEN 1 ELSE 0 END)\n    \
OVER ({partition}ORDER BY f.anchor_t, f.anchor ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS burst\n  \
FROM (SELECT fired.*, LAG(anchor_t) OVER ({partition}ORDER BY anchor_t, anchor) AS prev_t FROM fired) f\n)\n\
SELECT\n  {} AS detection_id,\n  {first_anchor} AS event_id,\n  {ids} AS event_ids,\n  MIN(p.member_time) AS event_time,\n  MAX(p.member_time) AS last_time,\n  \
{first_principal} AS principal_arn,\n  MAX(f.n) AS matched{f_list}\nFROM bursts f JOIN pairs p ON p.anchor = f.anchor\nGROUP BY f.burst{f_list}",
            self.lit(&d.meta.id)
        );
        Ok(out)
    }

    /// Every non-null leaf of a dotted field, as a list of texts (`value_count` fields).
    fn all_texts(&mut self, field: &str) -> String {
        let path: Vec<String> = field.split('.').map(String::from).collect();
        match target(&path) {
            Target::Column(c) => match self.dialect {
                Dialect::Spark => format!("array({c})"),
                Dialect::DuckDb => format!("[{c}]"),
                Dialect::DataFusion => format!("make_array({c})"),
            },
            Target::Json(column, keys) => {
                let list = self.leaves(column, &keys);
                let var = self.var();
                let text = self.text(&var);
                match self.dialect {
                    Dialect::Spark => list,
                    Dialect::DuckDb => format!("list_transform({list}, lambda {var}: {text})"),
                    Dialect::DataFusion => format!("array_transform({list}, {var} -> {text})"),
                }
            }
        }
    }

    /// The first leaf of a dotted field as text (`group-by` fields).
    fn first_text(&mut self, field: &str) -> String {
        let path: Vec<String> = field.split('.').map(String::from).collect();
        match target(&path) {
            Target::Column(c) => c.to_string(),
            Target::Json(column, keys) => {
                let list = self.leaves(column, &keys);
                match self.dialect {
                    Dialect::Spark => format!("try_element_at({list}, 1)"),
                    Dialect::DuckDb => format!("({list}[1] ->> '$')"),
                    Dialect::DataFusion => format!("json_as_text(array_element({list}, 1))"),
                }
            }
        }
    }

    fn condition(&mut self, det: &sigma::Detection, condition: &Condition) -> Sql {
        Ok(match condition {
            Condition::Selection(i) => self.selection(&det.selections()[*i])?,
            Condition::And(terms) => {
                let parts = terms
                    .iter()
                    .map(|t| self.condition(det, t))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(" AND "))
            }
            Condition::Or(terms) => {
                let parts = terms
                    .iter()
                    .map(|t| self.condition(det, t))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(" OR "))
            }
            // A test on a missing field is NULL in SQL and false in Sigma: `not` must see false.
            Condition::Not(term) => format!("NOT COALESCE({}, FALSE)", self.condition(det, term)?),
        })
    }

    fn selection(&mut self, selection: &Selection) -> Sql {
        Ok(match selection {
            Selection::AllOf(fields) => self.all_of(fields)?,
            Selection::AnyOf(maps) => {
                let parts = maps
                    .iter()
                    .map(|m| self.all_of(m))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(" OR "))
            }
            Selection::Keywords { words, all } => {
                self.note(
                    "keywords search the raw JSON text here, keys included and a wildcard across values; the stream engine searches each value"
                        .into(),
                );
                let parts = words
                    .iter()
                    .map(|w| self.value("raw", w))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", parts.join(if *all { " AND " } else { " OR " }))
            }
        })
    }

    fn all_of(&mut self, fields: &[FieldMatch]) -> Sql {
        let parts = fields
            .iter()
            .map(|f| self.field(f))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(format!("({})", parts.join(" AND ")))
    }

    fn field(&mut self, f: &FieldMatch) -> Sql {
        let joiner = if f.all { " AND " } else { " OR " };
        let mut parts = Vec::new();
        match target(&f.path) {
            Target::Column(column) => {
                // eventName lists and the like: one IN.
                let equal: Vec<&str> = f
                    .values
                    .iter()
                    .filter_map(|v| match v {
                        ValueMatch::EqAscii(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect();
                if !f.all && equal.len() > 1 {
                    let list: Vec<String> = equal
                        .iter()
                        .map(|s| self.lit(&s.to_ascii_lowercase()))
                        .collect();
                    parts.push(format!("LOWER({column}) IN ({})", list.join(", ")));
                }
                for v in &f.values {
                    if !f.all && equal.len() > 1 && matches!(v, ValueMatch::EqAscii(_)) {
                        continue;
                    }
                    parts.push(match v {
                        ValueMatch::Null => format!("{column} IS NULL"),
                        ValueMatch::Exists(true) => format!("{column} IS NOT NULL"),
                        ValueMatch::Exists(false) => format!("{column} IS NULL"),
                        ValueMatch::FieldRef(other) => self.field_ref(column, other),
                        other => self.value(column, other)?,
                    });
                }
            }
            Target::Json(column, keys) => {
                let mut plain = Vec::new();
                for v in &f.values {
                    match v {
                        ValueMatch::Null => {
                            let list = self.leaves(column, &keys);
                            let var = self.var();
                            let text = self.text(&var);
                            parts.push(format!(
                                "NOT {}",
                                self.any(&list, &var, &format!("{text} IS NOT NULL"))
                            ));
                        }
                        ValueMatch::Exists(expected) => {
                            if self.dialect == Dialect::Spark {
                                self.note(format!("Spark reads a JSON null as missing: `{}|exists` is false where the field is present and null", f.path.join(".")));
                            }
                            let list = self.leaves(column, &keys);
                            let n = self.count(&list);
                            parts.push(if *expected {
                                format!("{n} > 0")
                            } else {
                                format!("{n} = 0")
                            });
                        }
                        ValueMatch::FieldRef(other) => {
                            let list = self.leaves(column, &keys);
                            let var = self.var();
                            let text = self.text(&var);
                            let inner = self.field_ref(&text, other);
                            parts.push(self.any(&list, &var, &inner));
                        }
                        other => plain.push(other),
                    }
                }
                if !plain.is_empty() {
                    let list = self.leaves(column, &keys);
                    if f.all {
                        for v in plain {
                            let var = self.var();
                            let text = self.text(&var);
                            let test = self.value(&text, v)?;
                            parts.push(self.any(&list, &var, &test));
                        }
                    } else {
                        let var = self.var();
                        let text = self.text(&var);
                        let tests = plain
                            .into_iter()
                            .map(|v| self.value(&text, v))
                            .collect::<Result<Vec<_>, _>>()?;
                        let test = if tests.len() == 1 {
                            tests.into_iter().next().unwrap_or_default()
                        } else {
                            format!("({})", tests.join(" OR "))
                        };
                        parts.push(self.any(&list, &var, &test));
                    }
                }
            }
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            format!("({})", parts.join(joiner))
        })
    }

    /// `text` (a column, or a leaf's text inside a lambda) equals some leaf of
    /// `other`, ignoring case, as `|fieldref` compares.
    fn field_ref(&mut self, text: &str, other: &[String]) -> String {
        match target(other) {
            Target::Column(o) => format!("LOWER({text}) = LOWER({o})"),
            Target::Json(column, keys) => {
                let list = self.leaves(column, &keys);
                let var = self.var();
                let leaf = self.text(&var);
                self.any(&list, &var, &format!("LOWER({leaf}) = LOWER({text})"))
            }
        }
    }

    /// The test of one value on the text `x`.
    fn value(&mut self, x: &str, v: &ValueMatch) -> Sql {
        Ok(match v {
            ValueMatch::EqAscii(s) => format!("LOWER({x}) = {}", self.lit(&s.to_ascii_lowercase())),
            ValueMatch::EqCased(s) => format!("{x} = {}", self.lit(s)),
            ValueMatch::Regex(_, pattern) => match pattern.as_ref() {
                Pattern::Sigma {
                    value,
                    anchor,
                    cased,
                } => self.like(x, value, *anchor, *cased),
                Pattern::Re { pattern, flags } => self.regex(x, pattern, flags),
            },
            ValueMatch::Cidr(net) => self.cidr(x, net)?,
            ValueMatch::Number(op, n) => {
                let op = match op {
                    Compare::Gt => ">",
                    Compare::Gte => ">=",
                    Compare::Lt => "<",
                    Compare::Lte => "<=",
                };
                let cast = match self.dialect {
                    Dialect::Spark => "try_cast",
                    _ => "TRY_CAST",
                };
                format!("{cast}(TRIM({x}) AS DOUBLE) {op} {n}")
            }
            ValueMatch::Null | ValueMatch::Exists(_) | ValueMatch::FieldRef(_) => {
                return Err("internal: a field-level test reached a value test".into());
            }
        })
    }

    /// A Sigma string (wildcards, `\` escapes) as `LIKE`, or `=` when it has no wildcard.
    fn like(&mut self, x: &str, value: &str, anchor: Anchor, cased: bool) -> String {
        let mut pattern = String::new();
        let mut wildcards = false;
        let mut literal = String::new();
        // Sigma escaping, as the stream engine reads it: a backslash before `*`, `?` or another
        // backslash makes that character literal; any other backslash is itself literal.
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    let c = match chars.peek() {
                        Some(&next @ ('*' | '?' | '\\')) => {
                            chars.next();
                            next
                        }
                        _ => '\\',
                    };
                    push_like_literal(&mut pattern, c);
                    literal.push(c);
                }
                '*' => {
                    wildcards = true;
                    pattern.push('%');
                }
                '?' => {
                    wildcards = true;
                    pattern.push('_');
                }
                c => {
                    push_like_literal(&mut pattern, c);
                    literal.push(c);
                }
            }
        }
        let (subject, pattern, literal) = if cased {
            (x.to_string(), pattern, literal)
        } else {
            (
                format!("LOWER({x})"),
                pattern.to_lowercase(),
                literal.to_lowercase(),
            )
        };
        if anchor == Anchor::Exact && !wildcards {
            return format!("{subject} = {}", self.lit(&literal));
        }
        let pattern = match anchor {
            Anchor::Exact => pattern,
            Anchor::Contains => format!("%{pattern}%"),
            Anchor::StartsWith => format!("{pattern}%"),
            Anchor::EndsWith => format!("%{pattern}"),
        };
        let escape = if pattern.contains('\\') && self.dialect != Dialect::Spark {
            // Spark's LIKE escapes with a backslash by default; the others are told.
            " ESCAPE '\\'"
        } else {
            ""
        };
        format!("{subject} LIKE {}{escape}", self.lit(&pattern))
    }

    fn regex(&mut self, x: &str, pattern: &str, flags: &str) -> String {
        if self.dialect != Dialect::DataFusion
            && ["\\d", "\\w", "\\s", "\\b", "\\D", "\\W", "\\S", "\\B"]
                .iter()
                .any(|c| pattern.contains(c))
        {
            self.note(format!(
                "the regex {pattern:?} uses \\d, \\w, \\s or \\b, which are Unicode-aware in the stream engine and ASCII in {}",
                self.dialect.name()
            ));
        }
        let full = if flags.is_empty() {
            pattern.to_string()
        } else {
            format!("(?{flags}){pattern}")
        };
        let lit = self.lit(&full);
        self.regex_call(x, &lit)
    }

    /// The dialect's unanchored regex test of `x` against the literal `lit`.
    fn regex_call(&self, x: &str, lit: &str) -> String {
        match self.dialect {
            Dialect::Spark | Dialect::DataFusion => format!("regexp_like({x}, {lit})"),
            Dialect::DuckDb => format!("regexp_matches({x}, {lit})"),
        }
    }

    fn cidr(&mut self, x: &str, net: &ipnet::IpNet) -> Sql {
        let ipnet::IpNet::V4(net) = net else {
            return Err(format!(
                "the IPv6 network {net} (|cidr): IPv6 addresses have many spellings, which a SQL text test cannot all recognise"
            ));
        };
        let octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        let quad = format!("^{octet}\\.{octet}\\.{octet}\\.{octet}$");
        let re = self.regex_call(x, &self.lit(&quad));
        if net.prefix_len() == 0 {
            return Ok(re);
        }
        let cast = match self.dialect {
            Dialect::Spark => "try_cast",
            _ => "TRY_CAST",
        };
        let number: Vec<String> = [16_777_216u64, 65_536, 256, 1]
            .iter()
            .enumerate()
            .map(|(i, scale)| {
                let part = format!("{cast}(split_part({x}, '.', {}) AS BIGINT)", i + 1);
                if *scale == 1 {
                    part
                } else {
                    format!("{part} * {scale}")
                }
            })
            .collect();
        let low = u32::from(net.network());
        let high = u32::from(net.broadcast());
        Ok(format!(
            "({re} AND {} BETWEEN {low} AND {high})",
            number.join(" + ")
        ))
    }

    fn var(&mut self) -> String {
        self.vars += 1;
        format!("x{}", self.vars)
    }

    /// A list of JSON leaves: the values at `keys` from the JSON in `column`, with arrays expanded
    /// on the way and at the end. Elements are JSON text (DuckDB: JSON; Spark: text as
    /// `get_json_object` gives it).
    fn leaves(&mut self, column: &str, keys: &[String]) -> String {
        let Some((first, rest)) = keys.split_first() else {
            return self.expand(column);
        };
        let child = self.child(column, first);
        let mut list = self.expand(&child);
        for key in rest {
            let var = self.var();
            let child = self.child(&var, key);
            let body = self.expand(&child);
            list = match self.dialect {
                Dialect::Spark => format!("flatten(transform({list}, {var} -> {body}))"),
                Dialect::DuckDb => format!("flatten(list_transform({list}, lambda {var}: {body}))"),
                Dialect::DataFusion => format!("flatten(array_transform({list}, {var} -> {body}))"),
            };
        }
        list
    }

    /// The value at `key` of the JSON object `node` (NULL when it has none).
    fn child(&self, node: &str, key: &str) -> String {
        match self.dialect {
            Dialect::Spark => {
                let path = if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    format!("$.{key}")
                } else {
                    format!("$['{}']", key.replace('\'', "\\'"))
                };
                format!("get_json_object({node}, {})", self.lit(&path))
            }
            Dialect::DuckDb => {
                let path = format!("$.\"{}\"", key.replace('"', "\\\""));
                format!("json_extract({node}, {})", self.lit(&path))
            }
            Dialect::DataFusion => format!("json_get_json({node}, {})", self.lit(key)),
        }
    }

    /// A JSON value as a list: an array's elements, a missing value none, anything else itself.
    fn expand(&self, x: &str) -> String {
        match self.dialect {
            Dialect::Spark => format!(
                "from_json(CASE WHEN {x} IS NULL THEN '[]' WHEN {x} LIKE '[%' THEN {x} ELSE to_json(array({x})) END, 'array<string>')"
            ),
            Dialect::DuckDb => format!(
                "CASE WHEN {x} IS NULL THEN []::JSON[] WHEN json_type({x}) = 'ARRAY' THEN json_extract({x}, '$[*]') ELSE [{x}::JSON] END"
            ),
            // concat() skips a NULL, so a missing value is '[]'.
            Dialect::DataFusion => format!(
                "arrow_cast(json_get_array(CASE WHEN starts_with({x}, '[') THEN {x} ELSE concat('[', {x}, ']') END), 'List(Utf8)')"
            ),
        }
    }

    /// The text of a leaf (a lambda variable holding one list element), as Sigma compares it.
    fn text(&self, var: &str) -> String {
        match self.dialect {
            Dialect::Spark => var.to_string(),
            Dialect::DuckDb => format!("({var} ->> '$')"),
            Dialect::DataFusion => format!("json_as_text({var})"),
        }
    }

    /// Whether `test` (over `var`) holds for an element of `list`.
    fn any(&self, list: &str, var: &str, test: &str) -> String {
        match self.dialect {
            // `filter`, not `exists`: `NOT exists(...)` reads as a subquery to some SQL parsers.
            Dialect::Spark => format!("size(filter({list}, {var} -> {test})) > 0"),
            Dialect::DuckDb => format!("len(list_filter({list}, lambda {var}: {test})) > 0"),
            Dialect::DataFusion => format!("array_any_match({list}, {var} -> {test})"),
        }
    }

    fn count(&self, list: &str) -> String {
        match self.dialect {
            Dialect::Spark => format!("size({list})"),
            Dialect::DuckDb => format!("len({list})"),
            Dialect::DataFusion => format!("cardinality({list})"),
        }
    }

    /// A string literal.
    fn lit(&self, s: &str) -> String {
        match self.dialect {
            // Spark's parser reads backslash escapes in literals.
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            _ => format!("'{}'", s.replace('\'', "''")),
        }
    }
}

fn push_like_literal(pattern: &mut String, c: char) {
    if matches!(c, '%' | '_' | '\\') {
        pattern.push('\\');
    }
    pattern.push(c);
}

/// `userIdentity.arn` → `useridentity_arn`.
fn identifier(field: &str) -> String {
    field
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    const HEAD: &str = "title: t\nid: T-1\nlogsource: {product: aws, service: cloudtrail}\n";

    fn queries(text: &str, dialect: Dialect) -> Vec<Query> {
        let mut diags = Vec::new();
        let detections = crate::detection::from_text(&Arc::from("t.yml"), text, false, &mut diags);
        let engine = Engine::new(detections, &mut diags);
        assert!(
            diags
                .iter()
                .all(|d| d.level != deadbolt_model::Level::Error),
            "{diags:?}"
        );
        compile(&engine, dialect)
    }

    /// The WHERE clause of the one query a detection (given as its `detection:` block) compiles to.
    fn condition(detection: &str, dialect: Dialect) -> String {
        let q = queries(&format!("{HEAD}detection:\n{detection}"), dialect).remove(0);
        let sql = q.sql.unwrap_or_else(|| panic!("{:?}", q.fidelity));
        sql.split("\nWHERE ").nth(1).unwrap().to_string()
    }

    fn each(detection: &str) -> [String; 3] {
        Dialect::ALL.map(|d| condition(detection, d))
    }

    #[test]
    fn value_lists_are_one_in_and_case_folds() {
        let [spark, duckdb, datafusion] = each(
            "  s:\n    eventSource: cloudtrail.amazonaws.com\n    eventName: [StopLogging, DeleteTrail]\n  condition: s\n",
        );
        let want = "(LOWER(eventsource) = 'cloudtrail.amazonaws.com' AND LOWER(eventname) IN ('stoplogging', 'deletetrail'))";
        assert_eq!(spark, want);
        assert_eq!(duckdb, want);
        assert_eq!(datafusion, want);
    }

    #[test]
    fn wildcards_and_anchors_become_like_with_escapes() {
        let d = "  s:\n    userAgent|contains: '100%_x'\n    errorCode: '*Unauthorized?peration'\n    eventName|startswith: Get\n    awsRegion|endswith: '-1'\n    errorMessage: 'a\\*b'\n  condition: s\n";
        let [spark, duckdb, datafusion] = each(d);
        assert_eq!(
            spark,
            r"(LOWER(useragent) LIKE '%100\\%\\_x%' AND LOWER(errorcode) LIKE '%unauthorized_peration' AND LOWER(eventname) LIKE 'get%' AND LOWER(awsregion) LIKE '%-1' AND LOWER(errormessage) = 'a*b')"
        );
        let standard = r"(LOWER(useragent) LIKE '%100\%\_x%' ESCAPE '\' AND LOWER(errorcode) LIKE '%unauthorized_peration' AND LOWER(eventname) LIKE 'get%' AND LOWER(awsregion) LIKE '%-1' AND LOWER(errormessage) = 'a*b')";
        assert_eq!(duckdb, standard);
        assert_eq!(datafusion, standard);
        // `|cased` keeps the case; `|all` needs every value.
        let [_, duckdb, _] = each(
            "  s:\n    eventName|cased: GetSecretValue\n    userAgent|contains|all: [a, b]\n  condition: s\n",
        );
        assert_eq!(
            duckdb,
            "(eventname = 'GetSecretValue' AND (LOWER(useragent) LIKE '%a%' AND LOWER(useragent) LIKE '%b%'))"
        );
    }

    #[test]
    fn a_backslash_escapes_only_wildcards_and_itself() {
        let [_, duckdb, _] = each(
            "  s:\n    userIdentity.userName|contains: 'dom\\user'\n    userAgent|endswith: 'a\\*'\n  condition: s\n",
        );
        assert_eq!(
            duckdb,
            r"(LOWER(useridentity_username) LIKE '%dom\\user%' ESCAPE '\' AND LOWER(useragent) LIKE '%a*')"
        );
    }

    #[test]
    fn quotes_and_backslashes_in_literals() {
        let [spark, duckdb, _] =
            each("  s:\n    userIdentity.userName: \"O'Brien\\\\x\"\n  condition: s\n");
        assert_eq!(spark, r"(LOWER(useridentity_username) = 'o\'brien\\x')");
        assert_eq!(duckdb, r"(LOWER(useridentity_username) = 'o''brien\x')");
    }

    #[test]
    fn regular_expressions_per_dialect() {
        let d = "  s:\n    requestParameters.instanceType|re|i: '^p[0-9]\\.'\n  condition: s\n";
        let [spark, duckdb, datafusion] = each(d);
        assert!(
            spark.contains(r"size(filter(from_json(CASE WHEN get_json_object(requestparameters, '$.instanceType') IS NULL THEN '[]'"),
            "{spark}"
        );
        assert!(
            spark.ends_with(r"x1 -> regexp_like(x1, '(?i)^p[0-9]\\.'))) > 0)"),
            "{spark}"
        );
        assert!(
            duckdb.contains(r"lambda x1: regexp_matches((x1 ->> '$'), '(?i)^p[0-9]\.')"),
            "{duckdb}"
        );
        assert!(
            datafusion.contains(r"x1 -> regexp_like(json_as_text(x1), '(?i)^p[0-9]\.'))"),
            "{datafusion}"
        );
        // \d and friends are Unicode in the stream engine, ASCII in Java and RE2.
        let text = format!("{HEAD}detection:\n  s:\n    userAgent|re: '\\d+'\n  condition: s\n");
        for dialect in Dialect::ALL {
            let q = queries(&text, dialect).remove(0);
            assert_eq!(
                matches!(q.fidelity, Fidelity::Approximate(_)),
                dialect != Dialect::DataFusion,
                "{dialect:?}"
            );
        }
        let q = queries(&text, Dialect::Spark).remove(0);
        assert!(
            q.sql
                .unwrap()
                .starts_with("-- T-1 (medium): t\n-- approximate: the regex")
        );
    }

    #[test]
    fn cidr_is_an_ipv4_range_and_ipv6_is_not_expressible() {
        let [_, _, datafusion] =
            each("  s:\n    sourceIPAddress|cidr: 10.0.0.0/8\n  condition: s\n");
        assert_eq!(
            datafusion,
            r"((regexp_like(sourceipaddress, '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$') AND TRY_CAST(split_part(sourceipaddress, '.', 1) AS BIGINT) * 16777216 + TRY_CAST(split_part(sourceipaddress, '.', 2) AS BIGINT) * 65536 + TRY_CAST(split_part(sourceipaddress, '.', 3) AS BIGINT) * 256 + TRY_CAST(split_part(sourceipaddress, '.', 4) AS BIGINT) BETWEEN 167772160 AND 184549375))"
        );
        let text = format!(
            "{HEAD}detection:\n  s:\n    sourceIPAddress|cidr: '2001:db8::/32'\n  condition: s\n"
        );
        for dialect in Dialect::ALL {
            let q = queries(&text, dialect).remove(0);
            assert!(q.sql.is_none());
            assert!(matches!(&q.fidelity, Fidelity::NotExpressible(why) if why.contains("IPv6")));
            assert!(
                script(&[q], dialect).contains("-- T-1: t\n-- not expressible: the IPv6 network")
            );
        }
    }

    #[test]
    fn null_exists_and_numbers() {
        let d = "  s:\n    errorCode: null\n    vpcEndpointId|exists: true\n    requestParameters.filters: null\n    requestParameters.userData|exists: false\n    requestParameters.fromPort|lte: 22\n  condition: s\n";
        let [spark, duckdb, datafusion] = each(d);
        assert!(
            spark.starts_with(
                "(errorcode IS NULL AND vpcendpointid IS NOT NULL AND NOT size(filter(from_json("
            ),
            "{spark}"
        );
        assert!(
            spark.contains("x1 -> x1 IS NOT NULL)) > 0 AND size(from_json("),
            "{spark}"
        );
        assert!(
            spark.contains("x2 -> try_cast(TRIM(x2) AS DOUBLE) <= 22)"),
            "{spark}"
        );
        assert!(duckdb.contains("NOT len(list_filter(CASE WHEN json_extract(requestparameters, '$.\"filters\"') IS NULL THEN []::JSON[] WHEN json_type(json_extract(requestparameters, '$.\"filters\"')) = 'ARRAY'"), "{duckdb}");
        assert!(
            duckdb.contains("lambda x1: (x1 ->> '$') IS NOT NULL)) > 0"),
            "{duckdb}"
        );
        assert!(duckdb.contains("END) = 0"), "{duckdb}");
        assert!(datafusion.contains("NOT array_any_match(arrow_cast(json_get_array(CASE WHEN starts_with(json_get_json(requestparameters, 'filters'), '[')"), "{datafusion}");
        assert!(
            datafusion.contains("x2 -> TRY_CAST(TRIM(json_as_text(x2)) AS DOUBLE) <= 22)"),
            "{datafusion}"
        );
        // Spark cannot tell a JSON null from a missing key.
        let q = queries(&format!("{HEAD}detection:\n{d}"), Dialect::Spark).remove(0);
        assert!(
            matches!(q.fidelity, Fidelity::Approximate(ref why) if why[0].contains("requestParameters.userData|exists"))
        );
    }

    #[test]
    fn fieldref_between_columns_and_json() {
        let [_, _, datafusion] = each(
            "  s:\n    recipientAccountId|fieldref: userIdentity.accountId\n    requestParameters.userName|fieldref: userIdentity.userName\n  condition: s\n",
        );
        assert!(
            datafusion.starts_with(
                "(LOWER(recipientaccountid) = LOWER(useridentity_accountid) AND array_any_match("
            ),
            "{datafusion}"
        );
        assert!(
            datafusion.ends_with("x1 -> LOWER(json_as_text(x1)) = LOWER(useridentity_username)))"),
            "{datafusion}"
        );
    }

    #[test]
    fn paths_through_arrays_fan_out_at_every_step() {
        let [spark, duckdb, datafusion] = each(
            "  s:\n    requestParameters.ipPermissions.items.ipRanges.items.cidrIp|endswith: /0\n  condition: s\n",
        );
        // Four steps after the first: four nested flatten/transform.
        assert_eq!(spark.matches("flatten(transform(").count(), 4, "{spark}");
        assert!(
            spark.contains("x4 -> from_json(CASE WHEN get_json_object(x4, '$.cidrIp') IS NULL"),
            "{spark}"
        );
        assert_eq!(
            duckdb.matches("flatten(list_transform(").count(),
            4,
            "{duckdb}"
        );
        assert_eq!(
            datafusion.matches("flatten(array_transform(").count(),
            4,
            "{datafusion}"
        );
        assert!(datafusion.contains("x4 -> arrow_cast(json_get_array(CASE WHEN starts_with(json_get_json(x4, 'cidrIp'), '[')"), "{datafusion}");
        assert!(
            datafusion.ends_with(r"x5 -> LOWER(json_as_text(x5)) LIKE '%/0'))"),
            "{datafusion}"
        );
        // A top-level field without a column is read from the raw record.
        let [_, _, datafusion] = each("  s:\n    addendum.reason: x\n  condition: s\n");
        assert!(
            datafusion.contains("json_get_json(raw, 'addendum')"),
            "{datafusion}"
        );
    }

    #[test]
    fn keywords_quantifiers_and_not() {
        let [_, duckdb, _] = each(
            "  keywords: [EntityTemporarilyUnmodifiable, 'x*y']\n  sel_a:\n    eventName: A\n  sel_b:\n    eventName: B\n  filter:\n    readOnly: true\n  condition: keywords or 1 of sel_* and not filter\n",
        );
        assert_eq!(
            duckdb,
            "((LOWER(raw) LIKE '%entitytemporarilyunmodifiable%' OR LOWER(raw) LIKE '%x%y%') OR (((LOWER(eventname) = 'a') OR (LOWER(eventname) = 'b')) AND NOT COALESCE((LOWER(readonly) = 'true'), FALSE)))"
        );
    }

    const CORRELATION: &str = "title: base\nname: base\nlogsource: {product: aws, service: cloudtrail}\ndetection: {s: {eventName: GetSecretValue}, condition: s}\n---\ntitle: many\nid: C-1\ncorrelation:\n  type: value_count\n  rules: [base]\n  group-by: [userIdentity.arn, requestParameters.region]\n  timespan: 10m\n  condition: {gte: 5, field: requestParameters.secretId}\n";

    #[test]
    fn value_count_is_a_self_join_window() {
        let q = queries(CORRELATION, Dialect::DataFusion).remove(0);
        assert!(q.correlation);
        assert_eq!(q.detection, "C-1");
        let sql = q.sql.unwrap();
        for part in [
            "WITH matches AS (",
            "COALESCE(useridentity_arn, '') AS group_useridentity_arn",
            "COALESCE(json_as_text(array_element(arrow_cast(json_get_array(CASE WHEN starts_with(json_get_json(requestparameters, 'region'), '[')",
            "AS group_requestparameters_region",
            "array_transform(arrow_cast(json_get_array(CASE WHEN starts_with(json_get_json(requestparameters, 'secretId'), '[')",
            "x1 -> json_as_text(x1)) AS vs",
            "WHERE eventtime_ms IS NOT NULL AND ((LOWER(eventname) = 'getsecretvalue'))",
            "SELECT k, v FROM (SELECT k, unnest(vs) AS v FROM numbered) x WHERE v IS NOT NULL",
            "FROM counted a JOIN counted b ON",
            "ON b.group_useridentity_arn = a.group_useridentity_arn AND b.group_requestparameters_region = a.group_requestparameters_region AND b.t BETWEEN a.t - 600000 AND a.t",
            "HAVING COUNT(DISTINCT vals.v) >= 5",
            "f.anchor_t - f.prev_t > 3600000",
            "first_value(f.principal_arn ORDER BY f.anchor_t) AS principal_arn",
            "array_sort(array_distinct(array_agg(p.member_id))) AS event_ids",
        ] {
            assert!(sql.contains(part), "{part}\n{sql}");
        }
        let spark = queries(CORRELATION, Dialect::Spark).remove(0).sql.unwrap();
        assert!(spark.contains("min_by(f.principal_arn, f.anchor_t)"));
        assert!(spark.contains("array_sort(collect_set(p.member_id))"));
        assert!(spark.contains("try_element_at("));
        assert!(spark.contains("SELECT k, explode(vs) AS v FROM numbered"));
        let duckdb = queries(CORRELATION, Dialect::DuckDb).remove(0).sql.unwrap();
        assert!(duckdb.contains("arg_min(f.principal_arn, f.anchor_t)"));
        assert!(duckdb.contains("list_sort(list_distinct(list(p.member_id)))"));
    }

    #[test]
    fn correlations_name_their_rules_by_id_too() {
        let text = CORRELATION
            .replace("title: base\nname: base\n", "title: base\nid: base-id\n")
            .replace("rules: [base]", "rules: [base-id]");
        let q = queries(&text, Dialect::DuckDb).remove(0);
        assert!(
            q.sql
                .unwrap()
                .contains("LOWER(eventname) = 'getsecretvalue'")
        );
    }

    #[test]
    fn event_count_without_group_and_unresolved_rules() {
        let text = CORRELATION
            .replace("type: value_count", "type: event_count")
            .replace(
                "  group-by: [userIdentity.arn, requestParameters.region]\n",
                "",
            )
            .replace("{gte: 5, field: requestParameters.secretId}", "{eq: 3}");
        let sql = queries(&text, Dialect::DuckDb).remove(0).sql.unwrap();
        assert!(sql.contains("HAVING COUNT(*) BETWEEN 3 AND 3"), "{sql}");
        assert!(sql.contains("JOIN numbered b ON b.t BETWEEN"), "{sql}");
        assert!(
            sql.contains("OVER (ORDER BY f.anchor_t, f.anchor ROWS"),
            "{sql}"
        );
        assert!(!sql.contains("vals"), "{sql}");
        // A correlation over a rule that is not there compiles to nothing, saying why.
        let mut diags = Vec::new();
        let detections = crate::detection::from_text(
            &Arc::from("t.yml"),
            &CORRELATION.replace("rules: [base]", "rules: [missing]"),
            false,
            &mut diags,
        );
        let engine = Engine::new(detections, &mut diags);
        let q = compile(&engine, Dialect::Spark).remove(1);
        assert!(
            matches!(&q.fidelity, Fidelity::NotExpressible(why) if why.contains("\"missing\"")),
            "{q:?}"
        );
    }

    #[test]
    fn base_rules_have_no_query_of_their_own_and_the_script_has_the_table() {
        let qs = queries(CORRELATION, Dialect::DataFusion);
        assert_eq!(qs.len(), 1);
        let text = script(&qs, Dialect::DataFusion);
        assert!(text.starts_with("-- deadbolt detections over AWS CloudTrail as datafusion SQL"));
        assert!(text.contains("SET datafusion.sql_parser.dialect = 'duckdb';"));
        assert!(
            text.contains(
                "  eventtime_ms                     BIGINT,  -- eventTime in milliseconds"
            )
        );
        assert!(text.contains(
            "  raw                              VARCHAR  -- the whole record's JSON text"
        ));
        assert!(create_table(Dialect::Spark).ends_with(") USING parquet;"));
        assert_eq!(Dialect::parse("DuckDB"), Some(Dialect::DuckDb));
        assert_eq!(Dialect::parse("trino"), None);
    }
}
