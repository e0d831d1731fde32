//! reprisals-site: a static site generator for public information on intimidation and
//! reprisals against people who cooperate with the UN human rights treaty bodies.
//!
//! Data flows one way: `load` -> `validate` -> `project` (the only place privacy is decided)
//! -> `render` (a flat list of page jobs) -> `leak_scan` -> `output`. `build` runs it.

pub(crate) mod atomic_dir;
pub(crate) mod attachments;
pub mod build;
pub(crate) mod charts;
pub(crate) mod complete;
pub(crate) mod config;
pub(crate) mod content;
pub mod deploy;
pub(crate) mod diagnostics;
pub mod export;
pub(crate) mod fold;
pub(crate) mod follow_on;
#[doc(hidden)]
pub mod fuzz;
pub(crate) mod generate;
pub(crate) mod i18n;
pub mod incremental;
pub mod init;
pub mod intake;
pub(crate) mod kept_generation;
pub(crate) mod leak_report;
pub(crate) mod leak_scan;
pub(crate) mod link_lint;
pub(crate) mod lint;
pub(crate) mod load;
pub(crate) mod markdown;
pub(crate) mod memo;
pub(crate) mod model;
pub mod output;
pub(crate) mod output_folder;
pub mod period;
pub(crate) mod prehashed;
pub(crate) mod project;
pub(crate) mod public;
pub(crate) mod render;
pub mod scaffold;
pub(crate) mod search;
pub mod serve;
pub(crate) mod site;
pub(crate) mod stats;
pub mod status;
pub(crate) mod theme;
pub(crate) mod validate;

pub use diagnostics::{Problem, Problems};
#[doc(hidden)]
pub use leak_scan::{Leak, LeakScanner};
pub use load::load_config;
pub use model::date::Date;
pub use project::Quarantine;
