//! CloudTrail records as OCSF events, for a security data lake.
//!
//! Each record becomes one OCSF 1.4.0 event of the Identity & Access Management or Application
//! Activity category:
//! - `ConsoleLogin` and other sign-in events → **Authentication** (class_uid 3002);
//! - IAM changes to users, roles, groups, keys, passwords, policies and MFA devices → **Account
//!   Change** (3001), with the OCSF activity (Create, Password Change, Attach Policy, ...);
//! - every other API call → **API Activity** (6003), the activity (Create, Read, Update, Delete,
//!   Other) from the API action's verb.
//!
//! `type_uid` is `class_uid * 100 + activity_id`, as OCSF defines it. The CloudTrail record is kept
//! whole in `unmapped` only for the fields OCSF has no place for (`requestParameters`,
//! `responseElements`, `additionalEventData`), so nothing is lost.

use serde_json::{Map, Value, json};

use crate::event::{Header, parse_time};

/// The OCSF schema version of the events.
pub const VERSION: &str = "1.4.0";

/// The OCSF class of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Account Change (3001).
    AccountChange,
    /// Authentication (3002).
    Authentication,
    /// API Activity (6003).
    ApiActivity,
}

impl Class {
    /// `class_uid`.
    pub fn uid(self) -> u32 {
        match self {
            Class::AccountChange => 3001,
            Class::Authentication => 3002,
            Class::ApiActivity => 6003,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Class::AccountChange => "Account Change",
            Class::Authentication => "Authentication",
            Class::ApiActivity => "API Activity",
        }
    }

    fn category(self) -> (u32, &'static str) {
        match self {
            Class::AccountChange | Class::Authentication => (3, "Identity & Access Management"),
            Class::ApiActivity => (6, "Application Activity"),
        }
    }
}

/// The OCSF class and activity (`activity_id`, `activity_name`) of a record.
pub fn classify(header: &Header<'_>) -> (Class, u32, &'static str) {
    let name = header.event_name.as_deref().unwrap_or_default();
    let source = header.event_source.as_deref().unwrap_or_default();
    if header.event_type.as_deref() == Some("AwsConsoleSignIn") || source == "signin.amazonaws.com"
    {
        return match name {
            "ConsoleLogin" | "CheckMfa" | "SwitchRole" => (Class::Authentication, 1, "Logon"),
            "ExitRole" | "Logout" => (Class::Authentication, 2, "Logoff"),
            _ => (Class::Authentication, 99, "Other"),
        };
    }
    if source == "iam.amazonaws.com" {
        let account = match name {
            "CreateUser"
            | "CreateRole"
            | "CreateGroup"
            | "CreateAccessKey"
            | "CreateLoginProfile"
            | "CreateServiceSpecificCredential" => Some((1, "Create")),
            "UpdateLoginProfile" | "ChangePassword" => Some((3, "Password Change")),
            "UpdateAccessKey" => Some((99, "Other")),
            "DeleteUser" | "DeleteRole" | "DeleteGroup" | "DeleteAccessKey"
            | "DeleteLoginProfile" => Some((6, "Delete")),
            "AttachUserPolicy" | "AttachRolePolicy" | "AttachGroupPolicy" | "PutUserPolicy"
            | "PutRolePolicy" | "PutGroupPolicy" | "AddUserToGroup" => Some((7, "Attach Policy")),
            "DetachUserPolicy"
            | "DetachRolePolicy"
            | "DetachGroupPolicy"
            | "DeleteUserPolicy"
            | "DeleteRolePolicy"
            | "DeleteGroupPolicy"
            | "RemoveUserFromGroup" => Some((8, "Detach Policy")),
            "EnableMFADevice" | "CreateVirtualMFADevice" => Some((10, "MFA Factor Enable")),
            "DeactivateMFADevice" | "DeleteVirtualMFADevice" => Some((11, "MFA Factor Disable")),
            "UpdateAssumeRolePolicy" => Some((99, "Other")),
            _ => None,
        };
        if let Some((id, activity)) = account {
            return (Class::AccountChange, id, activity);
        }
    }
    let (id, activity) = api_activity(name);
    (Class::ApiActivity, id, activity)
}

/// API Activity's activity from the action's verb: Create 1, Read 2, Update 3, Delete 4, Other 99.
fn api_activity(name: &str) -> (u32, &'static str) {
    const CREATE: &[&str] = &[
        "Create", "Put", "Run", "Add", "Import", "Register", "Allocate", "Copy", "Issue", "Request",
    ];
    const READ: &[&str] = &[
        "Describe", "Get", "List", "Head", "Lookup", "Search", "Select", "Scan", "Query",
        "BatchGet", "Decrypt", "Generate",
    ];
    const UPDATE: &[&str] = &[
        "Update",
        "Modify",
        "Set",
        "Attach",
        "Associate",
        "Authorize",
        "Enable",
        "Start",
        "Stop",
        "Reboot",
        "Tag",
        "Untag",
        "Replace",
        "Change",
        "Restore",
        "Send",
        "Invoke",
        "Assume",
    ];
    const DELETE: &[&str] = &[
        "Delete",
        "Remove",
        "Terminate",
        "Revoke",
        "Detach",
        "Disassociate",
        "Deregister",
        "Release",
        "Disable",
        "Purge",
        "Cancel",
    ];
    let starts = |verbs: &[&str]| {
        verbs.iter().any(|v| {
            name.strip_prefix(v).is_some_and(|rest| {
                rest.is_empty()
                    || rest.starts_with(|c: char| c.is_ascii_uppercase() || c.is_ascii_digit())
            })
        })
    };
    if starts(READ) {
        (2, "Read")
    } else if starts(DELETE) {
        (4, "Delete")
    } else if starts(CREATE) {
        (1, "Create")
    } else if starts(UPDATE) {
        (3, "Update")
    } else {
        (99, "Other")
    }
}

/// One CloudTrail record as an OCSF event. `record` is the record's full JSON (for the fields OCSF
/// keeps in `unmapped`); `None` when only the header is at hand.
pub fn event(header: &Header<'_>, record: Option<&Value>) -> Value {
    let (class, activity_id, activity) = classify(header);
    let (category_uid, category) = class.category();
    // A failed console sign-in carries no errorCode, only responseElements.ConsoleLogin.
    let login_failed = record
        .and_then(|r| r.pointer("/responseElements/ConsoleLogin"))
        .and_then(Value::as_str)
        .is_some_and(|v| v.eq_ignore_ascii_case("Failure"));
    let failed = header.error_code.is_some() || login_failed;
    let text = |v: Option<&str>| {
        v.map(|s| Value::String(s.to_string()))
            .unwrap_or(Value::Null)
    };
    let identity = header.user_identity.as_ref();
    let mut event = json!({
        "class_uid": class.uid(),
        "class_name": class.name(),
        "category_uid": category_uid,
        "category_name": category,
        "activity_id": activity_id,
        "activity_name": activity,
        "type_uid": class.uid() * 100 + activity_id,
        "severity_id": 1,
        "severity": "Informational",
        "status_id": if failed { 2 } else { 1 },
        "status": if failed { "Failure" } else { "Success" },
        "status_code": text(header.error_code.as_deref()),
        "time": header.event_time.as_deref().and_then(parse_time),
        "metadata": {
            "version": VERSION,
            "uid": text(header.event_id.as_deref()),
            "product": { "name": "CloudTrail", "vendor_name": "AWS" },
            "log_provider": "deadbolt",
        },
        "cloud": { "provider": "AWS", "region": text(header.aws_region.as_deref()), "account": { "uid": text(header.account()) } },
        "actor": {
            "user": {
                "uid": text(header.principal()),
                "name": text(identity.and_then(|i| i.user_name.as_deref())),
                "type": text(identity.and_then(|i| i.kind.as_deref())),
                "credential_uid": text(identity.and_then(|i| i.access_key_id.as_deref())),
                "account": { "uid": text(identity.and_then(|i| i.account_id.as_deref())) },
            },
            "session": { "is_mfa": header.mfa_used(), "issuer": text(identity.and_then(|i| i.session_context.as_ref()).and_then(|s| s.session_issuer.as_ref()).and_then(|s| s.arn.as_deref())) },
            "invoked_by": text(identity.and_then(|i| i.invoked_by.as_deref())),
        },
        "src_endpoint": { "ip": text(header.source_ip_address.as_deref().filter(|s| s.parse::<std::net::IpAddr>().is_ok())),
                          "domain": text(header.source_ip_address.as_deref().filter(|s| s.parse::<std::net::IpAddr>().is_err())) },
        "http_request": { "user_agent": text(header.user_agent.as_deref()) },
        "api": {
            "operation": text(header.event_name.as_deref()),
            "service": { "name": text(header.event_source.as_deref()) },
        },
    });
    if class == Class::Authentication {
        event["is_mfa"] = header.mfa_used().map(Value::Bool).unwrap_or(Value::Null);
        event["user"] = event["actor"]["user"].clone();
    }
    if let Some(Value::Object(record)) = record {
        let mut unmapped = Map::new();
        for key in [
            "requestParameters",
            "responseElements",
            "additionalEventData",
            "errorMessage",
            "resources",
            "readOnly",
            "eventType",
            "eventCategory",
        ] {
            if let Some(v) = record.get(key).filter(|v| !v.is_null()) {
                let mut v = v.clone();
                redact(&mut v);
                unmapped.insert(key.to_string(), v);
            }
        }
        if let Some(id) = record.get("requestID") {
            event["api"]["request"] = json!({ "uid": id });
        }
        event["unmapped"] = Value::Object(unmapped);
    }
    strip_nulls(event)
}

/// Keys whose values are credentials: STS returns a `sessionToken` in `responseElements`, which
/// CloudTrail does not redact. The export replaces them so the file is not credential material.
const SECRET_KEYS: &[&str] = &[
    "sessionToken",
    "secretAccessKey",
    "password",
    "newPassword",
    "oldPassword",
    "privateKey",
];

/// The text that replaces a credential.
pub const REDACTED: &str = "<redacted by deadbolt>";

fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if SECRET_KEYS.iter().any(|s| s.eq_ignore_ascii_case(k)) && !v.is_null() {
                    *v = Value::String(REDACTED.into());
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// `value` without null attributes and the objects they leave empty: OCSF omits attributes it has
/// no value for.
pub fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .filter(|(_, v)| !matches!(v, Value::Object(m) if m.is_empty()))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(json: &str) -> Header<'_> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn classes_and_activities() {
        let h = header(
            r#"{"eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","eventType":"AwsConsoleSignIn"}"#,
        );
        assert_eq!(classify(&h), (Class::Authentication, 1, "Logon"));
        let h = header(r#"{"eventName":"AttachUserPolicy","eventSource":"iam.amazonaws.com"}"#);
        assert_eq!(classify(&h), (Class::AccountChange, 7, "Attach Policy"));
        let h = header(r#"{"eventName":"UpdateLoginProfile","eventSource":"iam.amazonaws.com"}"#);
        assert_eq!(classify(&h), (Class::AccountChange, 3, "Password Change"));
        let h = header(r#"{"eventName":"ListUsers","eventSource":"iam.amazonaws.com"}"#);
        assert_eq!(classify(&h), (Class::ApiActivity, 2, "Read"));
        let h = header(r#"{"eventName":"RunInstances","eventSource":"ec2.amazonaws.com"}"#);
        assert_eq!(classify(&h), (Class::ApiActivity, 1, "Create"));
        let h = header(r#"{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com"}"#);
        assert_eq!(classify(&h), (Class::ApiActivity, 3, "Update"));
        let h = header(r#"{"eventName":"DeleteTrail","eventSource":"cloudtrail.amazonaws.com"}"#);
        assert_eq!(classify(&h), (Class::ApiActivity, 4, "Delete"));
        // A verb must end at a word boundary: "Settle" is not "Set".
        let h = header(r#"{"eventName":"Settle","eventSource":"x.amazonaws.com"}"#);
        assert_eq!(classify(&h), (Class::ApiActivity, 99, "Other"));
    }

    #[test]
    fn an_api_call_maps_its_fields() {
        let raw = r#"{"eventTime":"2024-07-31T13:06:24Z","eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com","awsRegion":"eu-west-1","sourceIPAddress":"86.245.153.234","userAgent":"aws-cli/2","eventID":"e1","requestID":"r1","errorCode":"AccessDenied","recipientAccountId":"1","requestParameters":{"name":"t"},"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/c","accessKeyId":"AKIA","userName":"c","accountId":"1"}}"#;
        let v: Value = serde_json::from_str(raw).unwrap();
        let e = event(&header(raw), Some(&v));
        assert_eq!(e["type_uid"], 600303);
        assert_eq!(e["status"], "Failure");
        assert_eq!(e["status_code"], "AccessDenied");
        assert_eq!(e["time"], 1_722_431_184_000_i64);
        assert_eq!(e["actor"]["user"]["uid"], "arn:aws:iam::1:user/c");
        assert_eq!(e["src_endpoint"]["ip"], "86.245.153.234");
        assert_eq!(e["api"]["request"]["uid"], "r1");
        assert_eq!(e["unmapped"]["requestParameters"]["name"], "t");
        assert!(e["actor"].get("invoked_by").is_none(), "nulls are omitted");
    }

    #[test]
    fn failed_sign_ins_fail_and_credentials_are_redacted() {
        let raw = r#"{"eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","eventType":"AwsConsoleSignIn","responseElements":{"ConsoleLogin":"Failure"}}"#;
        let v: Value = serde_json::from_str(raw).unwrap();
        let e = event(&header(raw), Some(&v));
        assert_eq!(e["status"], "Failure");
        let raw = r#"{"eventName":"AssumeRole","eventSource":"sts.amazonaws.com","responseElements":{"credentials":{"accessKeyId":"ASIAX","sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE","expiration":"x"}}}"#;
        let v: Value = serde_json::from_str(raw).unwrap();
        let e = event(&header(raw), Some(&v));
        let creds = &e["unmapped"]["responseElements"]["credentials"];
        assert_eq!(creds["sessionToken"], REDACTED);
        assert_eq!(creds["accessKeyId"], "ASIAX");
        assert!(!e.to_string().contains("IQoJb3JpZ2luX2VjEXAMPLE"));
    }

    #[test]
    fn a_service_caller_is_a_domain_not_an_ip() {
        let raw = r#"{"eventName":"CreateStack","eventSource":"cloudformation.amazonaws.com","sourceIPAddress":"cloudformation.amazonaws.com"}"#;
        let e = event(&header(raw), None);
        assert_eq!(e["src_endpoint"]["domain"], "cloudformation.amazonaws.com");
        assert!(e["src_endpoint"].get("ip").is_none());
    }
}
