//! The leak proof end to end: a withheld value that reaches a page stops the build (exit 3),
//! names the file and field, and publishes nothing.

use std::path::Path;

use crate::common::{build, copy_site, fixture, stderr};

const CASE: &str = "public-data/cases/2024/2024-001.toml";

fn edit(site: &Path, from: &str, to: &str) {
    let path = site.join(CASE);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "fixture changed: no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn assert_leak_stops_the_build(site: &Path, date: &str, field: &str) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = build(site, &target, date);
    let message = stderr(&result);
    assert_eq!(result.status.code(), Some(3), "{message}");
    assert!(message.contains(&format!("{CASE}: {field}")), "{message}");
    assert!(!target.exists(), "a leaking build published its output");
}

#[test]
fn a_private_note_copied_into_a_public_summary_stops_the_build() {
    let site = copy_site(&fixture("minimal"));
    edit(
        site.path(),
        "A lawyer was threatened after briefing the Committee.",
        "A lawyer was threatened after briefing the Committee. Private note, sentinel VALUE.",
    );
    assert_leak_stops_the_build(site.path(), "2024-06-15", "private.note");
}

#[test]
fn the_beginning_of_a_long_embargoed_letter_in_a_public_summary_stops_the_build() {
    let site = copy_site(&fixture("minimal"));
    let letter = "The Committee asked the State to protect the lawyer, to investigate the threats \
                  received after the briefing, and to report on the measures taken within sixty days.";
    edit(
        site.path(),
        "summary = \"The Committee asked the State to protect the lawyer.\"",
        &format!("summary = \"{letter}\""),
    );
    // Only the first 100 characters are quoted: a truncated excerpt is still a leak.
    edit(
        site.path(),
        "A lawyer was threatened after briefing the Committee.",
        &format!("A lawyer was threatened. {}", &letter[..100]),
    );
    // Before the letter's deadline (2024-05-20) it is under embargo.
    assert_leak_stops_the_build(site.path(), "2024-04-01", "correspondence[0].summary");
}

// Issue 14: each hole an attacker or a careless colleague found, closed.

/// Puts `text` at the end of the public summary of 2024-001.
fn publish_in_summary(site: &Path, text: &str) {
    edit(
        site,
        "A lawyer was threatened after briefing the Committee.",
        &format!("A lawyer was threatened after briefing the Committee. {text}"),
    );
}

fn set_private(site: &Path, private: &str) {
    edit(
        site,
        "[private]\nnote = \"Private note sentinel value\"",
        &format!("[private]\n{private}"),
    );
}

#[test]
fn ninety_characters_from_the_middle_of_a_long_private_note_stop_the_build() {
    let site = copy_site(&fixture("minimal"));
    let note = "Met the lawyer on the second day of the session. She asked that nothing about her \
                family be written down, because her brother was questioned twice by the security \
                services after her last trip, and the office of her association was searched.";
    set_private(site.path(), &format!("note = \"{note}\""));
    let middle = &note[80..170];
    publish_in_summary(site.path(), middle);
    assert_leak_stops_the_build(site.path(), "2024-06-15", "private.note");
}

#[test]
fn one_copied_sentence_of_a_long_private_note_stops_the_build() {
    let site = copy_site(&fixture("minimal"));
    let note = "Met the lawyer on the second day of the session, in the café across the road. \
                Her brother was questioned by the police. She asked that nothing about her family be written \
                down, and that we call only on the office line.";
    set_private(site.path(), &format!("note = \"{note}\""));
    publish_in_summary(site.path(), "Her brother was questioned by the police.");
    assert_leak_stops_the_build(site.path(), "2024-06-15", "private.note");
}

#[test]
fn a_name_without_consent_in_another_spelling_stops_the_build() {
    for (name, written) in [
        ("Zoé Martín", "Zoe\u{301} Marti\u{301}n"),        // NFD
        ("Zoé Martín", "Zoe Martin"),                      // accents dropped
        ("İlknur Şahin", "ILKNUR SAHIN"),                  // Turkish dotted İ
        ("Rashid Ahmadov", "ＲＡＳＨＩＤ ＡＨＭＡＤＯＶ"), // fullwidth
        ("Rashid Ahmadov", "Rаshid Аhmаdov"),              // Cyrillic look-alikes
        ("رشيد أحمدوف", "رَشِيد أَحْمَدُوف"),                    // Arabic with harakat
        ("王芳", "王芳"),                                  // a Han name of two characters
    ] {
        let site = copy_site(&fixture("minimal"));
        edit(
            site.path(),
            "name = \"Hidden Person Name\"",
            &format!("name = \"{name}\""),
        );
        publish_in_summary(
            site.path(),
            &format!("The lawyer, {written}, was threatened."),
        );
        assert_leak_stops_the_build(site.path(), "2024-06-15", "victim.name (no consent)");
    }
}

#[test]
fn private_numbers_dates_keys_and_bracketed_values_stop_the_build() {
    for (private, public, field) in [
        ("file_no = 44719028", "File 44719028.", "private.file_no"),
        ("file_no = 44719028", "File ٤٤٧١٩٠٢٨.", "private.file_no"),
        ("met = 2024-02-29", "They met on 2024-02-29.", "private.met"),
        (
            "[private.contacts]\n\"Rashid Ahmadov\" = \"brother\"",
            "Rashid Ahmadov spoke.",
            "private.contacts.#1 (key)",
        ),
        (
            "note = \"<Rashid Ahmadov>\"",
            "Rashid Ahmadov spoke.",
            "private.note",
        ),
    ] {
        let site = copy_site(&fixture("minimal"));
        set_private(site.path(), private);
        publish_in_summary(site.path(), public);
        assert_leak_stops_the_build(site.path(), "2024-06-15", field);
    }
}

/// Attaches `bytes` as `files/<name>` to a letter released in full on 2024-06-15.
fn attach(site: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(site.join("public-data/files")).unwrap();
    std::fs::write(site.join("public-data/files").join(name), bytes).unwrap();
    edit(
        site,
        "summary = \"The Committee asked the State to protect the lawyer.\"",
        &format!(
            "summary = \"The Committee asked the State to protect the lawyer.\"\nmode = \"full\"\nfile = \"files/{name}\""
        ),
    );
}

fn build_fails_with(site: &Path, expected: &str) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = build(site, &target, "2024-06-15");
    let message = stderr(&result);
    assert!(!result.status.success(), "{message}");
    assert!(message.contains(expected), "{message}");
    assert!(!target.exists(), "a failed build published its output");
}

#[test]
fn svg_html_and_unreadable_attachments_are_refused() {
    for (name, bytes, expected) in [
        (
            "letter.svg",
            &b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>fetch('/')</script></svg>"[..],
            "cannot be published: HTML, SVG or XML markup",
        ),
        (
            "letter.txt",
            b"<html><body onload=alert(1)>letter</body></html>",
            "cannot be published: HTML, SVG or XML markup",
        ),
        (
            "letter.txt",
            b"\xff\xfeL\0e\0t\0t\0e\0r\0",
            "cannot be published: UTF-16 text",
        ),
        (
            "letter.pdf",
            b"\x1f\x8b\x08\0\0\0\0\0",
            "cannot be published: an unknown binary format",
        ),
        (
            "letter.pdf",
            b"%PDF-1.4\ntruncated",
            "a PDF that cannot be read",
        ),
        ("letter.txt", b"%PDF-1.4\n", "its content is Pdf"),
    ] {
        let site = copy_site(&fixture("minimal"));
        attach(site.path(), name, bytes);
        build_fails_with(site.path(), expected);
    }
}

/// A one-page PDF whose page shows `text` in Helvetica.
fn pdf_with_text(text: &str) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let content = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id,
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    bytes
}

/// A DOCX whose one paragraph splits `text` over two runs, as word processors do.
fn docx_with_text(text: &str) -> Vec<u8> {
    use std::io::Write;
    let (a, b) = text.split_at(text.len() / 2);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>").unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    write!(zip, "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{a}</w:t></w:r><w:r><w:t>{b}</w:t></w:r></w:p></w:body></w:document>").unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_private_note_inside_a_published_pdf_or_docx_stops_the_build() {
    for (name, bytes) in [
        (
            "letter.pdf",
            pdf_with_text("Ref. Private note sentinel value, file 2"),
        ),
        ("letter.docx", docx_with_text("Private note sentinel value")),
    ] {
        let site = copy_site(&fixture("minimal"));
        attach(site.path(), name, &bytes);
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("public");
        let result = build(site.path(), &target, "2024-06-15");
        let message = stderr(&result);
        assert_eq!(result.status.code(), Some(3), "{name}: {message}");
        assert!(
            message.contains("LEAK: withheld text from")
                && message.contains(&format!("files/{name}")),
            "{name}: {message}"
        );
        assert!(message.contains("private.note"), "{message}");
    }
}

#[test]
fn clean_pdf_docx_and_text_attachments_are_published() {
    for (name, bytes) in [
        (
            "letter.pdf",
            pdf_with_text("The Committee wrote to the State."),
        ),
        (
            "letter.docx",
            docx_with_text("The Committee wrote to the State."),
        ),
        (
            "letter.txt",
            b"The Committee wrote to the State.\n".to_vec(),
        ),
    ] {
        let site = copy_site(&fixture("minimal"));
        attach(site.path(), name, &bytes);
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("public");
        let result = build(site.path(), &target, "2024-06-15");
        assert!(result.status.success(), "{name}: {}", stderr(&result));
        assert!(target.join("files").join(name).exists(), "{name}");
    }
}

#[test]
fn an_error_inside_private_shows_its_position_never_its_line() {
    let site = copy_site(&fixture("minimal"));
    set_private(
        site.path(),
        "note = \"Rashid Ahmadov, +7 495 123 45 67, hides at his sister's\nbroken",
    );
    let result = crate::common::run(&["check", "--root", site.path().to_str().unwrap()]);
    let message = stderr(&result);
    assert!(!result.status.success(), "{message}");
    assert!(message.contains("2024-001.toml:"), "{message}");
    assert!(!message.contains("Rashid"), "{message}");
    assert!(!message.contains("495"), "{message}");
    assert!(message.contains("the line is not shown"), "{message}");
}
