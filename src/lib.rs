//! reprisals-site: a static site generator for public information on intimidation and
//! reprisals against people who cooperate with the UN human rights treaty bodies.
//!
//! Data flows one way: `load` -> `validate` -> `project` (the only place privacy is decided)
//! -> `render` (a flat list of page jobs) -> `leak_scan` -> `output`. `pipeline` runs it.

pub mod attachments;
pub mod build;
pub mod charts;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod export;
pub mod fold;
pub mod generate;
pub mod i18n;
pub mod incremental;
pub mod leak_scan;
pub mod lint;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod period;
pub mod project;
pub mod public;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod stats;
pub mod theme;
pub mod validate;
