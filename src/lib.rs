//! reprisals-site: a static site generator for public information on intimidation and
//! reprisals against people who cooperate with the UN human rights treaty bodies.
//!
//! Data flows one way: `load` -> `validate` -> `project` (the only place privacy is decided)
//! -> `render` (a flat list of page jobs) -> `leak_scan` -> `output`. `pipeline` runs it.

pub mod atomic_dir;
pub mod attachments;
pub mod build;
pub mod charts;
pub mod complete;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod export;
pub mod fold;
pub mod follow_on;
#[doc(hidden)]
pub mod fuzz;
pub mod generate;
pub mod i18n;
pub mod incremental;
pub mod init;
pub mod intake;
pub mod kept_generation;
pub mod leak_report;
pub mod leak_scan;
pub mod link_lint;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod output_folder;
pub mod period;
pub mod project;
pub mod public;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod stats;
pub mod status;
pub mod theme;
pub mod validate;
