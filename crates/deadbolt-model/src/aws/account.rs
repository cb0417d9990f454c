//! The AWS account itself, as only live state shows it: the root user's credentials and every IAM
//! user's credentials from the IAM credential report.
//!
//! These resources come from live collection (an account snapshot) only; Terraform and
//! CloudFormation cannot describe them. Ages are whole days counted back from the moment the
//! snapshot was collected (its `collected_at`), not from the moment of the scan, so scanning one
//! snapshot always gives the same findings.

use serde::Serialize;

use crate::attr::Attr;
use crate::resource::ResourceMeta;

/// The account's root user (address: `arn:PARTITION:iam::ACCOUNT:root`).
///
/// Sources: IAM `GetAccountSummary` (`SummaryMap`), `ListVirtualMFADevices`, and the
/// `<root_account>` row of `GetCredentialReport`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RootUser {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// An MFA device is enabled for the root user (`SummaryMap.AccountMFAEnabled` is 1).
    pub mfa_enabled: Attr<bool>,
    /// The root user's MFA device is a virtual one: `ListVirtualMFADevices` lists a device whose
    /// serial number is `arn:PARTITION:iam::ACCOUNT:mfa/root-account-mfa-device` or whose user is
    /// the root ARN. Known `false` when no such device is listed (the root user then has a
    /// hardware device or security key, or no MFA at all: see [`RootUser::mfa_enabled`]).
    pub mfa_virtual: Attr<bool>,
    /// The root user has at least one access key, active or not: `SummaryMap.AccountAccessKeysPresent`
    /// is 1, or the credential report's `<root_account>` row shows a key (active, or with a
    /// `last_rotated` date).
    pub access_keys_present: Attr<bool>,
    /// When IAM generated the credential report that the IAM users ([`CredentialUser`]) come from
    /// (`GeneratedTime`, ISO 8601). Unknown, with the reason naming the call, when the report could
    /// not be read: rules about IAM users' credentials then report the account as not evaluated
    /// rather than passing an account whose users were never seen.
    pub credential_report: Attr<String>,
}

/// An IAM user as the credential report describes it (address: the user's ARN). The account's
/// root user is a [`RootUser`], never a `CredentialUser`.
///
/// Source: one row of IAM `GetCredentialReport` (base64 CSV). Every attribute is spanned at that
/// call.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CredentialUser {
    /// Common metadata.
    pub meta: ResourceMeta,
    /// The user name (`user` column).
    pub name: String,
    /// The user can sign in to the console: it has a password (`password_enabled`).
    pub console_access: Attr<bool>,
    /// The user has an MFA device (`mfa_active`).
    pub mfa_active: Attr<bool>,
    /// How long the password has gone unused; `None` inside when the user has no password.
    pub password_idle: Attr<Option<Idle>>,
    /// The user's access keys that exist (slots 1 and 2 of the report), active or not; a slot
    /// with no key is left out.
    pub access_keys: Vec<AccessKey>,
}

/// One access key of an IAM user, from the credential report's `access_key_N_*` columns.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccessKey {
    /// Which of the user's two key slots it is: 1 or 2.
    pub slot: u8,
    /// The key is active (`access_key_N_active`).
    pub active: Attr<bool>,
    /// Whole days between the key's creation or last rotation (`access_key_N_last_rotated`) and
    /// the snapshot's collection; never negative.
    pub age_days: Attr<i64>,
    /// How long the key has gone unused (`access_key_N_last_used_date`, or its creation when it was
    /// never used).
    pub idle: Attr<Idle>,
}

/// How long a credential has gone unused, as of the snapshot's collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Idle {
    /// Whole days since the credential was last used or, when it was never used, since it was
    /// created (a password's last change, a key's last rotation); never negative.
    pub days: i64,
    /// `true` when the report records no use at all (`N/A` or `no_information`).
    pub never_used: bool,
}
