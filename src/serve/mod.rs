//! `serve`: builds the site into memory, serves it on 127.0.0.1, rebuilds what each edit
//! touches and reloads open tabs. Prints nothing itself: it reports through `Report`, which
//! `main` implements.

mod host;
mod http;
mod watch;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::build::{BuildError, Progress};
use crate::incremental::{Incremental, Rebuilt, classify};
use crate::model::date::Date;

pub use http::{Published, content_type, inject};
pub use watch::QUIET;

/// How to run `serve`.
pub struct Options {
    /// The site folder.
    pub root: PathBuf,
    /// The day treated as today; the real date if `None`.
    pub build_date: Option<Date>,
    /// 0 lets the system choose a free port.
    pub port: u16,
    /// Also show drafts, each with a "Draft: not public" banner (never written to disk).
    pub drafts: bool,
}

/// What `serve` tells the person running it.
pub trait Report: Send + Sync {
    /// The site is built (or failed to) and being served at `address`.
    fn listening(&self, address: SocketAddr);
    /// A build succeeded; `changed` is empty for the first one.
    fn built(&self, rebuilt: &Rebuilt, changed: &[PathBuf]);
    /// A rebuild after editing `changed` failed; the last good site stays served.
    fn failed(&self, error: &BuildError, changed: &[PathBuf]);
    /// The file watcher reported a problem; serving goes on.
    fn watch_failed(&self, message: &str);
    /// Where long builds report their progress.
    fn progress(&self) -> &dyn Progress;
}

/// Why `serve` could not run.
#[derive(Debug)]
pub enum ServeError {
    /// The root cannot be read, the port cannot be bound or the folders cannot be watched.
    Setup(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Setup(message) => f.write_str(message),
        }
    }
}

/// Builds, serves and watches until the process is stopped.
pub fn run(options: Options, report: Arc<dyn Report>) -> Result<(), ServeError> {
    let setup = |what: &str, e: &dyn std::fmt::Display| ServeError::Setup(format!("{what}: {e}"));
    let root = std::fs::canonicalize(&options.root)
        .map_err(|e| setup(&format!("cannot open {}", options.root.display()), &e))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| setup("cannot start the server", &e))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(("127.0.0.1", options.port)))
        .map_err(|e| setup(&format!("cannot listen on port {}", options.port), &e))?;
    let address = listener
        .local_addr()
        .map_err(|e| setup("cannot listen", &e))?;
    // Watching starts before the first build, so an edit made during it is not missed.
    let (watcher, batches) = watch::watch(&root).map_err(ServeError::Setup)?;

    let mut site = Incremental::new(&root, options.build_date);
    if options.drafts {
        site = site.with_drafts();
    }
    let first = match site.rebuild(&[], report.progress()) {
        Ok(rebuilt) => {
            report.built(&rebuilt, &[]);
            published(1, &site, None)
        }
        Err(err) => {
            report.failed(&err, &[]);
            published(0, &site, Some(err.render(false)))
        }
    };
    let (sender, receiver) = tokio::sync::watch::channel(Arc::new(first));
    report.listening(address);

    let builder_report = report.clone();
    std::thread::Builder::new()
        .name("rebuild".into())
        .spawn(move || {
            let _watcher = watcher;
            let report = builder_report;
            while let Ok(batch) = batches.recv() {
                let mut changed = match batch {
                    Ok(paths) => paths,
                    Err(message) => {
                        report.watch_failed(&message);
                        continue;
                    }
                };
                // Edits that arrived while the last build ran join this one.
                while let Ok(Ok(more)) = batches.try_recv() {
                    changed.extend(more);
                }
                changed.retain(|p| classify(site.root(), p).is_some());
                changed.sort();
                changed.dedup();
                if changed.is_empty() {
                    continue;
                }
                let build = sender.borrow().build;
                match site.rebuild(&changed, report.progress()) {
                    Ok(rebuilt) => {
                        sender.send_replace(Arc::new(published(build + 1, &site, None)));
                        report.built(&rebuilt, &relative(site.root(), &changed));
                    }
                    Err(err) => {
                        let text = err.render(false);
                        sender.send_replace(Arc::new(published(build, &site, Some(text))));
                        report.failed(&err, &relative(site.root(), &changed));
                    }
                }
            }
        })
        .map_err(|e| setup("cannot start the rebuild thread", &e))?;

    runtime
        .block_on(
            async move { axum::serve(listener, http::router(receiver, address.port())).await },
        )
        .map_err(|e| setup("the server stopped", &e))
}

fn published(build: u64, site: &Incremental, error: Option<String>) -> Published {
    Published {
        build,
        site: site.snapshot(),
        error,
    }
}

fn relative(root: &Path, paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .collect()
}
