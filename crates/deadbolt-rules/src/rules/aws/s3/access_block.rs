//! What the four Block Public Access rules share: a switch is on for a bucket when the bucket's own
//! configuration or the account-level one turns it on (S3 applies the most restrictive
//! combination of the two).

use deadbolt_model::aws::s3::{AccountPublicAccessBlock, Bucket, PublicAccessBlock};
use deadbolt_model::{Attr, Model, State};

use crate::checks::Checks;

/// Judges one switch (`name`, read by `flag`) on every account-level configuration and on every
/// bucket that has a bucket-level configuration. A bucket with none is left to AWS-S3-003, so one
/// missing configuration is not reported five times.
pub(super) fn check_flag<'m>(
    model: &'m Model,
    checks: &mut Checks<'m>,
    name: &str,
    flag: fn(&PublicAccessBlock) -> &Attr<bool>,
) {
    let mut account_on = false;
    for account in model.all::<AccountPublicAccessBlock>() {
        let attr = flag(&account.settings);
        account_on |= attr.is(&true) == Some(true);
        checks.require(
            &account.meta,
            attr,
            |on| *on,
            |_| off_message("account-level", name, attr),
        );
    }
    for bucket in model.all::<Bucket>() {
        if account_on {
            checks.pass(&bucket.meta);
            continue;
        }
        match &bucket.public_access_block.state {
            State::Known(Some(pab)) => {
                let attr = flag(pab);
                checks.require(
                    &bucket.meta,
                    attr,
                    |on| *on,
                    |_| off_message("bucket-level", name, attr),
                );
            }
            State::Known(None) => {}
            State::Unknown(reason) => checks.not_evaluated(&bucket.meta, reason),
        }
    }
}

fn off_message(level: &str, name: &str, attr: &Attr<bool>) -> String {
    if attr.explicit {
        format!("{level} Block Public Access sets `{name}` to false")
    } else {
        format!("{level} Block Public Access leaves `{name}` unset (false)")
    }
}
