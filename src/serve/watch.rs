//! Watches the folders a site is made from and delivers each burst of edits as one batch of
//! paths, so an editor's save (temp file, rename, write) triggers one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

/// How long the files must be quiet before a rebuild starts: long enough to merge the writes of
/// one save (an editor's temporary file, rename and write take well under a millisecond),
/// short enough to add little to the time from a save to the page. A save split in two only
/// costs a second rebuild.
pub const QUIET: Duration = Duration::from_millis(10);

/// How often the debouncer looks for a quiet batch: a rebuild starts 10 to 15 ms after the
/// last write. The debouncer wakes this often even when nothing changes (200 times a second,
/// a few microseconds each); its default, a quarter of `QUIET`, would wake it twice as often.
const TICK: Duration = Duration::from_millis(5);

/// A batch of edits, or why watching failed.
pub(super) type Batch = Result<Vec<PathBuf>, String>;

/// Keeps the watcher alive; dropping it stops watching.
pub(super) struct Watcher {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Starts watching `site.toml`, `public-data/`, `content/` and `themes/` under `root`.
pub(super) fn watch(root: &Path) -> Result<(Watcher, Receiver<Batch>), String> {
    let (send, receive) = channel();
    let mut debouncer = new_debouncer(QUIET, Some(TICK), move |result: DebounceEventResult| {
        let batch = match result {
            Ok(events) => {
                // Reading a file is an event too (the rebuild reads them all): only changes count.
                let paths: BTreeSet<PathBuf> = events
                    .into_iter()
                    .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                    .flat_map(|e| e.event.paths)
                    .collect();
                Ok(paths.into_iter().collect())
            }
            Err(errors) => Err(errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")),
        };
        // The receiver is gone only when serve is stopping.
        let _ = send.send(batch);
    })
    .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    // The root itself, not recursively: `site.toml` (and folders created later) without
    // descending into the output folder.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for dir in ["public-data", "content", "themes"] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    Ok((
        Watcher {
            _debouncer: debouncer,
        },
        receive,
    ))
}
