//! `site.toml`: the site's settings, read once and resolved before anything else.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::model::date::Date;
use crate::model::ids::{CommitteeCode, LangCode, WebUrl};
use crate::model::localized::Localized;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: Localized,
    pub description: Option<Localized>,
    /// Where the site is published; used only where absolute URLs are required (feeds, sitemap).
    pub base_url: Spanned<String>,
    /// The first language is the default and lives at the site root.
    pub languages: Spanned<Vec<Spanned<LangCode>>>,
    #[serde(default = "default_theme")]
    pub theme: String,
    pub build_date: Option<Date>,
    /// The data are invented (the demonstration site): every page carries a "Sample data:
    /// fictional" banner and every data file, feed and export a `sample` marker.
    #[serde(default)]
    pub sample: bool,
    #[serde(default)]
    pub safety: Safety,
    #[serde(default)]
    pub stats: Stats,
    #[serde(default)]
    pub lint: Lint,
    #[serde(default)]
    pub cases: CaseListing,
    #[serde(default)]
    pub reports: Reports,
    #[serde(default)]
    pub data: DataLicence,
    #[serde(default)]
    pub deploy: Deploy,
}

/// `[deploy]`: what the generated security headers say beyond the fixed policy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    /// Strict-Transport-Security max-age in seconds (0: no HSTS header). Sent only when
    /// `base_url` is https.
    #[serde(default = "default_hsts_max_age")]
    pub hsts_max_age: u64,
}

impl Default for Deploy {
    fn default() -> Self {
        Deploy {
            hsts_max_age: default_hsts_max_age(),
        }
    }
}

fn default_hsts_max_age() -> u64 {
    // One year: the value browsers' preload lists ask for.
    31_536_000
}

fn default_theme() -> String {
    "default".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Safety {
    /// Where "Exit this page" leads: a busy, harmless site.
    #[serde(default = "default_exit_url")]
    pub exit_url: WebUrl,
    /// Address of a Tor onion mirror, announced with an `Onion-Location` meta tag.
    pub onion_location: Option<WebUrl>,
}

impl Default for Safety {
    fn default() -> Self {
        Safety {
            exit_url: default_exit_url(),
            onion_location: None,
        }
    }
}

fn default_exit_url() -> WebUrl {
    WebUrl::parse("https://www.wikipedia.org/").expect("a valid address")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    /// Counts of aggregate-only fields below this are shown as "<N".
    #[serde(default = "default_min_cell")]
    pub min_cell: u32,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            min_cell: default_min_cell(),
        }
    }
}

fn default_min_cell() -> u32 {
    3
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lint {
    /// Exact values the personal-data lint accepts in public text (for example a public hotline).
    #[serde(default)]
    pub allow: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseListing {
    #[serde(default = "default_per_page")]
    pub per_page: usize,
}

impl Default for CaseListing {
    fn default() -> Self {
        CaseListing {
            per_page: default_per_page(),
        }
    }
}

fn default_per_page() -> usize {
    50
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reports {
    /// First day (`MM-DD`) of a committee's reporting year, as in the SG's reports (1 May).
    #[serde(default = "default_period_start")]
    pub period_start: String,
    /// Per-committee exceptions to `period_start`.
    #[serde(default)]
    pub committee_period_start: BTreeMap<CommitteeCode, String>,
}

impl Default for Reports {
    fn default() -> Self {
        Reports {
            period_start: default_period_start(),
            committee_period_start: BTreeMap::new(),
        }
    }
}

fn default_period_start() -> String {
    "05-01".to_owned()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataLicence {
    #[serde(default = "default_licence")]
    pub licence: String,
    #[serde(default = "default_licence_url")]
    pub licence_url: String,
    /// The condition of reuse that makes a withdrawal reach copies: stated with the licence.
    #[serde(default = "default_licence_terms")]
    pub terms: String,
}

impl Default for DataLicence {
    fn default() -> Self {
        DataLicence {
            licence: default_licence(),
            licence_url: default_licence_url(),
            terms: default_licence_terms(),
        }
    }
}

fn default_licence() -> String {
    "CC BY 4.0".to_owned()
}

fn default_licence_terms() -> String {
    "Re-users must delete every case listed in data/withdrawn.json or marked deleted in the \
     feeds, and everything taken from it, from their copies as soon as it is listed there."
        .to_owned()
}

fn default_licence_url() -> String {
    "https://creativecommons.org/licenses/by/4.0/".to_owned()
}

impl SiteConfig {
    pub fn languages(&self) -> Vec<LangCode> {
        self.languages
            .get_ref()
            .iter()
            .map(|l| l.get_ref().clone())
            .collect()
    }

    pub fn default_language(&self) -> LangCode {
        self.languages
            .get_ref()
            .first()
            .map(|l| l.get_ref().clone())
            .unwrap_or_else(|| LangCode::parse("en").expect("valid code"))
    }

    /// The first day of `committee`'s reporting year (validated when the site is loaded).
    pub fn period_start(&self, committee: &CommitteeCode) -> crate::period::PeriodStart {
        let raw = self
            .reports
            .committee_period_start
            .get(committee)
            .unwrap_or(&self.reports.period_start);
        crate::period::PeriodStart::parse(raw).unwrap_or_default()
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.get_ref().trim_end_matches('/'))
    }
}
