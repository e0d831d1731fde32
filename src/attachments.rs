//! Published documents (`public-data/files/`, linked from letters released in full): which
//! types may be published, checked by content, and the text inside each, for the leak scan.
//!
//! The allow-list holds formats that run no script in a browser and whose text can be read:
//! PDF, plain UTF-8 text, ODT, DOCX, PNG and JPEG. SVG and HTML (and anything else) are
//! refused: served from the site's own origin, their scripts would run with its rights.

use std::io::Read;

/// An allowed attachment type, recognised by its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Pdf,
    Text,
    Odt,
    Docx,
    Png,
    Jpeg,
}

impl Kind {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Pdf => &["pdf"],
            Kind::Text => &["txt"],
            Kind::Odt => &["odt"],
            Kind::Docx => &["docx"],
            Kind::Png => &["png"],
            Kind::Jpeg => &["jpg", "jpeg"],
        }
    }
}

const ALLOWED: &str =
    "PDF (.pdf), plain UTF-8 text (.txt), ODT (.odt), DOCX (.docx), PNG (.png) or JPEG (.jpg)";

/// The type of an attachment named `name`, if its content is of an allowed type and its name
/// says the same (a web server picks the type it announces from the name).
pub(crate) fn check(name: &str, bytes: &[u8]) -> Result<Kind, String> {
    let kind = sniff(bytes).map_err(|what| format!("{what}: only {ALLOWED} may be published"))?;
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if !kind.extensions().contains(&ext.as_str()) {
        return Err(format!(
            "its content is {kind:?} but its name ends in `.{ext}`: rename it to .{}",
            kind.extensions()[0]
        ));
    }
    Ok(kind)
}

/// What `bytes` are, by content; or why they are refused.
pub(crate) fn sniff(bytes: &[u8]) -> Result<Kind, String> {
    if bytes.starts_with(b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Kind::Png);
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Ok(Kind::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return office_kind(bytes);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
            "UTF-16 text".to_owned()
        } else {
            "an unknown binary format, or text that is not UTF-8".to_owned()
        }
    })?;
    if text.contains('\0') {
        return Err("text with NUL bytes (UTF-16 without a byte-order mark?)".to_owned());
    }
    if looks_like_markup(text) {
        return Err("HTML, SVG or XML markup, which a browser may run".to_owned());
    }
    Ok(Kind::Text)
}

/// Browsers sniff a document that starts with markup as HTML whatever it is called.
fn looks_like_markup(text: &str) -> bool {
    let lower = text.to_lowercase();
    let start = lower.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    start.starts_with('<')
        || [
            "<svg",
            "<html",
            "<script",
            "<!doctype",
            "<?xml",
            "<iframe",
            "<body",
        ]
        .iter()
        .any(|tag| lower.contains(tag))
}

fn office_kind(bytes: &[u8]) -> Result<Kind, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("a ZIP archive that cannot be read ({e})"))?;
    if let Ok(mut mimetype) = zip.by_name("mimetype") {
        let mut s = String::new();
        mimetype
            .read_to_string(&mut s)
            .map_err(|e| format!("an ODF document that cannot be read ({e})"))?;
        return if s.trim() == "application/vnd.oasis.opendocument.text" {
            Ok(Kind::Odt)
        } else {
            Err(format!("a ZIP archive of type {s:?}"))
        };
    }
    if zip.by_name("[Content_Types].xml").is_ok() && zip.by_name("word/document.xml").is_ok() {
        return Ok(Kind::Docx);
    }
    Err("a ZIP archive that is neither an ODT nor a DOCX document".to_owned())
}

/// Every text a reader of the file could see, for the leak scan: the extracted text of
/// documents, and the raw bytes as well (metadata is often stored uncompressed).
pub(crate) fn texts(kind: Kind, bytes: &[u8]) -> Result<Vec<String>, String> {
    let raw = || String::from_utf8_lossy(bytes).into_owned();
    match kind {
        Kind::Text => Ok(vec![
            std::str::from_utf8(bytes)
                .map_err(|_| "not UTF-8".to_owned())?
                .to_owned(),
        ]),
        Kind::Pdf => Ok(vec![pdf_text(bytes)?, raw()]),
        Kind::Odt | Kind::Docx => Ok(vec![office_text(bytes)?, raw()]),
        Kind::Png => Ok(vec![png_text(bytes)?, raw()]),
        Kind::Jpeg => Ok(vec![raw()]),
    }
}

fn pdf_text(bytes: &[u8]) -> Result<String, String> {
    let doc =
        lopdf::Document::load_mem(bytes).map_err(|e| format!("a PDF that cannot be read ({e})"))?;
    if doc.is_encrypted() {
        return Err("an encrypted PDF, whose text cannot be checked".to_owned());
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut text = doc
        .extract_text(&pages)
        .map_err(|e| format!("a PDF whose text cannot be extracted ({e})"))?;
    // The document information (title, author, subject) is shown by every PDF reader.
    if let Ok(info) = doc.trailer.get(b"Info").and_then(|i| doc.dereference(i)) {
        if let Ok(dict) = info.1.as_dict() {
            for (_, value) in dict.iter() {
                if let Ok(s) = value.as_str() {
                    text.push('\0');
                    text.push_str(&String::from_utf8_lossy(s));
                }
            }
        }
    }
    Ok(text)
}

/// The text nodes and attribute values of every XML part of an ODT or DOCX file. Text nodes of
/// one part are joined without a gap (a word processor splits words across runs).
fn office_text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("a document that cannot be read ({e})"))?;
    let mut out = String::new();
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("a document part that cannot be read ({e})"))?;
        let name = entry
            .name()
            .map_err(|e| format!("a document part with an unreadable name ({e})"))?
            .into_owned();
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .map_err(|e| format!("{name} cannot be decompressed ({e})"))?;
        if name.ends_with(".xml") || name.ends_with(".rels") {
            let xml = std::str::from_utf8(&data).map_err(|_| format!("{name} is not UTF-8"))?;
            let doc = roxmltree::Document::parse_with_options(
                xml,
                roxmltree::ParsingOptions {
                    allow_dtd: false,
                    ..Default::default()
                },
            )
            .map_err(|e| format!("{name} is not well-formed XML ({e})"))?;
            let mut attributes = String::new();
            for node in doc.descendants() {
                if let Some(t) = node.text().filter(|_| node.is_text()) {
                    out.push_str(t);
                }
                for a in node.attributes() {
                    attributes.push('\0');
                    attributes.push_str(a.value());
                }
            }
            out.push('\0');
            out.push_str(&attributes);
            out.push('\0');
        } else {
            match sniff(&data) {
                Ok(Kind::Png | Kind::Jpeg) | Ok(Kind::Text) => {
                    out.push('\0');
                    out.push_str(&String::from_utf8_lossy(&data));
                    out.push('\0');
                }
                Ok(other) => return Err(format!("{name} is an embedded {other:?}")),
                Err(what) => return Err(format!("{name} is {what}")),
            }
        }
    }
    Ok(out)
}

/// The text chunks of a PNG (tEXt as is, zTXt and iTXt inflated).
fn png_text(bytes: &[u8]) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = &bytes[8..];
    while rest.len() >= 12 {
        let len = u32::from_be_bytes(rest[..4].try_into().expect("4 bytes")) as usize;
        let kind = &rest[4..8];
        let data = rest.get(8..8 + len).ok_or("a truncated PNG".to_owned())?;
        let inflate = |z: &[u8]| {
            let mut s = Vec::new();
            flate2::read::ZlibDecoder::new(z)
                .read_to_end(&mut s)
                .map(|_| s)
                .map_err(|e| format!("a PNG text chunk that cannot be inflated ({e})"))
        };
        let (keyword, body) = match data.iter().position(|&b| b == 0) {
            Some(i) => (&data[..i], &data[i + 1..]),
            None => (data, &[][..]),
        };
        let text = match kind {
            b"tEXt" => body.to_vec(),
            b"zTXt" => inflate(body.get(1..).unwrap_or_default())?,
            b"iTXt" => {
                let (compressed, after) =
                    (body.first() == Some(&1), body.get(2..).unwrap_or_default());
                // Language tag and translated keyword, each ended by NUL, then the text.
                let mut parts = after.splitn(3, |&b| b == 0);
                let (lang, translated, text) = (
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                    parts.next().unwrap_or_default(),
                );
                let mut all = [lang, b"\0", translated, b"\0"].concat();
                all.extend(if compressed {
                    inflate(text)?
                } else {
                    text.to_vec()
                });
                all
            }
            _ => Vec::new(),
        };
        if !text.is_empty() {
            out.push('\0');
            out.push_str(&String::from_utf8_lossy(keyword));
            out.push('\0');
            out.push_str(&String::from_utf8_lossy(&text));
        }
        rest = &rest[(12 + len).min(rest.len())..];
    }
    Ok(out)
}
