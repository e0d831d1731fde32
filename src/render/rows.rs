//! Rows of the case tables, each drawn once and shared. A case is listed on ten pages or more
//! (the index by date and by each sort, and the list of each committee, country, type, status,
//! region and year it has), and its row was built, converted for Tera and drawn again on each:
//! the same bytes every time, for a given language and folder depth. The row's markup is the
//! theme's `case-row.html`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tera::Context;

use super::Renderer;
use crate::diagnostics::Problem;
use crate::site::views::View;

/// The rows drawn so far while one set of pages is rendered; dropped with it.
pub(crate) struct CaseRows<'r> {
    renderer: &'r Renderer,
    /// One slot per published case, for each language and relative prefix (rows link to their
    /// case relatively, so a row at `cases/` and one at `cases/page/2/` differ).
    tables: Mutex<HashMap<(usize, String), Table>>,
}

/// A row per published case, drawn when a page first needs it.
type Table = Arc<[OnceLock<Arc<str>>]>;

impl<'r> CaseRows<'r> {
    pub(crate) fn new(renderer: &'r Renderer) -> Self {
        CaseRows {
            renderer,
            tables: Mutex::default(),
        }
    }

    /// The rows of the published cases numbered `cases`, as `view`'s page shows them.
    pub(crate) fn html(&self, view: &View, cases: &[u32]) -> Result<Vec<Arc<str>>, Problem> {
        let table = self.table(view);
        cases
            .iter()
            .map(|&case| {
                let slot = &table[case as usize];
                if let Some(row) = slot.get() {
                    return Ok(row.clone());
                }
                // Two threads may draw the same row at once: the same bytes, one is kept.
                let drawn = self.draw(view, case as usize)?;
                Ok(slot.get_or_init(|| drawn).clone())
            })
            .collect()
    }

    fn table(&self, view: &View) -> Table {
        let cases = view.site.public.cases.len();
        let mut tables = self.tables.lock().expect("no panic while locked");
        tables
            .entry((view.lang_index, view.root.clone()))
            .or_insert_with(|| (0..cases).map(|_| OnceLock::new()).collect())
            .clone()
    }

    fn draw(&self, view: &View, case: usize) -> Result<Arc<str>, Problem> {
        let row = view.case_row(&view.site.public.cases[case]);
        let mut context = Context::new();
        context.insert("r", &row);
        let html = self
            .renderer
            .render(&view.lang.code, "case-row.html", &context)?;
        let html = String::from_utf8(html).expect("Tera renders UTF-8");
        Ok(Arc::from(html))
    }
}
