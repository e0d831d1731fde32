//! Every integration test in one binary, so the crate is linked once rather than once per file.
//! Each module is one area a user depends on; `common` runs the real binary on a copy of a site.
//! Run one area with `cargo test --test it safety::` (or any other module name as the filter).

mod common;

mod beyond;
mod build;
mod diagnostics;
mod generations;
mod golden;
mod incremental;
mod leak_scan;
mod mutations;
mod new;
mod open_data;
mod output_folder;
mod publication;
mod safety;
mod search;
mod serve;
mod statistics;
mod webmaster;
