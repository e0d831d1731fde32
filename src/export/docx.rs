//! A minimal Word document (WordprocessingML in a zip): headings, paragraphs, bold runs and
//! indented paragraphs are all the SG-report annexes need, so the drafter can paste them into
//! the report. Written by hand with the `zip` crate: the libraries that model all of Word cost
//! far more to build than these few XML parts.

use std::io::Write;

use crate::generate::escape_xml;

/// A piece of text with one formatting.
pub(super) struct Run {
    pub text: String,
    pub bold: bool,
}

impl Run {
    pub(super) fn plain(text: &str) -> Self {
        Run {
            text: text.to_owned(),
            bold: false,
        }
    }

    pub(super) fn bold(text: &str) -> Self {
        Run {
            text: text.to_owned(),
            bold: true,
        }
    }
}

pub(super) struct Paragraph {
    /// `Heading1` to `Heading3`, or the normal style.
    pub style: Option<&'static str>,
    pub indent: bool,
    pub runs: Vec<Run>,
}

impl Paragraph {
    pub(super) fn text(text: &str) -> Self {
        Paragraph {
            style: None,
            indent: false,
            runs: vec![Run::plain(text)],
        }
    }

    pub(super) fn heading(level: u8, text: &str) -> Self {
        Paragraph {
            style: Some(match level {
                1 => "Heading1",
                2 => "Heading2",
                _ => "Heading3",
            }),
            indent: false,
            runs: vec![Run::plain(text)],
        }
    }

    pub(super) fn indented(mut self) -> Self {
        self.indent = true;
        self
    }
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="20"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="120"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:i/></w:rPr></w:style></w:styles>"#;

fn document_xml(paragraphs: &[Paragraph]) -> String {
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("<w:p>");
        if p.style.is_some() || p.indent {
            body.push_str("<w:pPr>");
            if let Some(style) = p.style {
                body.push_str(&format!("<w:pStyle w:val=\"{style}\"/>"));
            }
            if p.indent {
                body.push_str("<w:ind w:left=\"567\"/>");
            }
            body.push_str("</w:pPr>");
        }
        for run in &p.runs {
            body.push_str("<w:r>");
            if run.bold {
                body.push_str("<w:rPr><w:b/></w:rPr>");
            }
            body.push_str(&format!(
                "<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                escape_xml(&run.text)
            ));
        }
        body.push_str("</w:p>");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1418\" w:right=\"1418\" w:bottom=\"1418\" w:left=\"1418\" w:header=\"709\" w:footer=\"709\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

/// The `.docx` file's bytes.
pub(super) fn document(paragraphs: &[Paragraph]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // A fixed time, so the same report gives the same bytes.
        .last_modified_time(zip::DateTime::default());
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", RELS.to_owned()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/styles.xml", STYLES.to_owned()),
        ("word/document.xml", document_xml(paragraphs)),
    ];
    for (name, text) in parts {
        // Writing into memory cannot fail.
        zip.start_file(name, options).expect("in-memory zip");
        zip.write_all(text.as_bytes()).expect("in-memory zip");
    }
    zip.finish().expect("in-memory zip").into_inner()
}
