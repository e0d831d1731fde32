//! Where else to turn (`public-data/referrals.toml`): other mechanisms and helplines, urgent
//! danger first.

use serde::Deserialize;
use toml::Spanned;

use super::committee::Contact;
use super::ids::TermId;
use super::localized::Localized;

/// The whole file: `[[referral]]` entries, in the order the webmaster wants them read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralList {
    #[serde(default)]
    pub referral: Vec<Referral>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Stable, lowercase: the fragment of its entry on `/where-else/`.
    pub id: Spanned<TermId>,
    pub name: Spanned<Localized>,
    /// What it handles.
    pub handles: Spanned<Localized>,
    /// When to use it.
    pub when: Spanned<Localized>,
    /// For immediate danger: listed first, and in the "In danger now" block.
    #[serde(default)]
    pub urgent: bool,
    /// Whether it acts only with the consent of the person concerned.
    pub needs_consent: bool,
    /// Regions (ids from `vocab/regions.toml`) it covers; empty = everywhere.
    #[serde(default)]
    pub regions: Vec<Spanned<TermId>>,
    pub contact: Spanned<Vec<Contact>>,
}
