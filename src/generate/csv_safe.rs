//! CSV as spreadsheets expect it and as they cannot be tricked by: RFC 4180 with CRLF line ends,
//! UTF-8 with a byte-order mark (so Excel reads the accents and scripts right), and every cell
//! that a spreadsheet would take for a formula made inert with a leading apostrophe.

use std::borrow::Cow;

/// A CSV file being written; `finish` returns its bytes.
pub(crate) struct CsvFile {
    bytes: Vec<u8>,
    /// Sample data: every row ends with a `sample` cell saying `fictional`, so that no row
    /// copied out of the file can pass for real.
    sample: bool,
}

/// The last column of a sample site's CSV files, and its value in every row.
pub(super) const SAMPLE_COLUMN: (&str, &str) = ("sample", "fictional");

impl CsvFile {
    #[cfg(test)]
    pub(crate) fn new(header: &[&str]) -> Self {
        Self::marked(header, false)
    }

    /// A file whose rows are all marked as fictional when `sample` is set.
    pub(crate) fn marked(header: &[&str], sample: bool) -> Self {
        let marker = sample.then_some(SAMPLE_COLUMN.0);
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(record(header.iter().copied().chain(marker)));
        CsvFile { bytes, sample }
    }

    pub(crate) fn row(&mut self, cells: &[String]) {
        let row = self.encode(cells);
        self.push_encoded(&row);
    }

    /// One row's bytes as `row` would write them, to be added later with `push_encoded`
    /// (`serve` keeps each case's row from one rebuild to the next).
    pub(crate) fn encode(&self, cells: &[String]) -> Vec<u8> {
        let marker = self.sample.then_some(SAMPLE_COLUMN.1);
        let cells = cells.iter().map(|c| match defuse(c) {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        });
        record(cells.chain(marker.map(|m| Cow::Borrowed(m.as_bytes()))))
    }

    /// Adds a row made by `encode` for a file with the same columns and marking.
    pub(crate) fn push_encoded(&mut self, row: &[u8]) {
        self.bytes.extend_from_slice(row);
    }

    /// The bytes so far, taken out: for a file written as it is made.
    pub(crate) fn take_bytes(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.bytes)
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// One record, quoted where RFC 4180 needs it, with its CRLF.
fn record(cells: impl IntoIterator<Item = impl AsRef<[u8]>>) -> Vec<u8> {
    // The writer's buffer is only a staging area: a small one flushes a long row in parts.
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .buffer_capacity(1024)
        .from_writer(Vec::new());
    writer
        .write_record(cells)
        .expect("writing to memory cannot fail");
    writer.into_inner().expect("writing to memory cannot fail")
}

/// Cells starting with `=`, `+`, `-`, `@`, tab or carriage return are formulas to a spreadsheet
/// (OWASP "CSV injection"): they get a leading apostrophe, which shows as text.
pub(crate) fn defuse(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_text_and_quoting_follows_rfc_4180() {
        let mut file = CsvFile::new(&["a", "b"]);
        file.row(&[
            "=HYPERLINK(\"http://x\")".into(),
            "line\nbreak, \"quoted\"".into(),
        ]);
        file.row(&["-1+1".into(), "@SUM(A1)".into()]);
        file.row(&["\tx".into(), "plain".into()]);
        let bytes = file.finish();
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert_eq!(
            text,
            "a,b\r\n\"'=HYPERLINK(\"\"http://x\"\")\",\"line\nbreak, \"\"quoted\"\"\"\r\n'-1+1,'@SUM(A1)\r\n'\tx,plain\r\n"
        );
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][1], "line\nbreak, \"quoted\"");
        assert_eq!(&rows[1][0], "'-1+1");
    }
}
