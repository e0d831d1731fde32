//! Lints that protect people: personal data in public case text, and third-party assets in
//! templates or content (every request must stay on the site).

use std::sync::{Arc, LazyLock};

use regex::{Regex, RegexSet};

use crate::content::GuidancePage;
use crate::diagnostics::{Problem, Problems, SourceFile};
use crate::load::Inputs;
use crate::markdown;
use crate::memo::FileMemo;
use crate::model::Record;
use crate::model::case::Case;
use crate::model::localized::Localized;
use crate::project::gates;
use crate::theme::Theme;

struct Pattern {
    what: &'static str,
    regex: Regex,
    /// Extra test on the match (for example "at least nine digits").
    accept: fn(&str) -> bool,
}

fn always(_: &str) -> bool {
    true
}

fn has_digit(m: &str) -> bool {
    m.chars().any(|c| crate::fold::digit_value(c).is_some())
}

/// Nine digits or more (eight after a `+`), and not a date or a range of years.
fn phone_like(m: &str) -> bool {
    static DATE_OR_YEARS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\d{4}-\d{2}-\d{2}|\b(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}\b")
            .expect("valid pattern")
    });
    let digits = m
        .chars()
        .filter(|c| crate::fold::digit_value(*c).is_some())
        .count();
    (digits >= 9 || (m.starts_with('+') && digits >= 8)) && !DATE_OR_YEARS.is_match(m)
}

/// The patterns, and all of them as one set: one pass over a text tells which patterns occur
/// in it at all, and most texts hold none or one (a year), so the others are never run.
static PATTERNS: LazyLock<(Vec<Pattern>, RegexSet)> = LazyLock::new(|| {
    let p = |what, re: &str, accept| Pattern {
        what,
        regex: Regex::new(re).expect("valid pattern"),
        accept,
    };
    let patterns = vec![
        // Internationalised addresses too: letters and digits of any script on both sides.
        p(
            "an e-mail address",
            r"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}",
            always,
        ),
        p(
            "a phone or ID number",
            r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,}(?:[ .-]\d{2,}){0,5}",
            phone_like,
        ),
        p(
            "an e-mail address",
            r"(?i)[a-z0-9._%+-]+\s*[\[(]\s*at\s*[\])]\s*[a-z0-9-]+(?:\s*(?:[\[(]\s*dot\s*[\])]|\.)\s*[a-z0-9-]+)+",
            always,
        ),
        // Spelled out, as people write addresses to dodge harvesters: "jane at example dot
        // org", in the site's languages.
        p(
            "an e-mail address",
            r"(?i)[\p{L}\p{N}._%+-]+\s+(?:at|chez|arroba|собака|эт)\s+[\p{L}\p{N}-]+(?:\s+(?:dot|point|punto|точка|نقطة)\s+[\p{L}\p{N}-]+)+|[\p{L}\p{N}._%+-]+\s*(?:艾特|圈a)\s*[\p{L}\p{N}-]+(?:\s*(?:点|點)\s*[\p{L}\p{N}-]+)+",
            always,
        ),
        p("a passport or ID number", r"\b[A-Z]{1,2}\d{6,9}\b", always),
        p(
            "a passport or ID number",
            r"(?i)(?:passport|passeport|pasaporte|паспорт|جواز سفر|护照|身份证|(?:national |identity |ID )(?:card|number|no\.?)|carte d'identité|cédula)(?:\s*(?:no\.?|number|n[°º]|#|номер|№))?\s*:?\s*[A-Z0-9][A-Z0-9-]{4,}",
            has_digit,
        ),
        p(
            "a street address",
            r"(?i)\b\d{1,5}[a-z]?,?\s+(?:[\p{L}'-]+\s+){0,3}(?:street|st\.|avenue|ave\.|road|rd\.|boulevard|blvd|lane|drive|rue|calle|avenida|strasse|straße|ulitsa)\b|\b(?:rue|calle|avenida|avenue)\s+(?:[\p{L}'-]+\s+){0,3}\d{1,5}\b|(?:\bул\.|\bулица|\bвул\.|\bвулиця|\bпроспект|\bпр-т|شارع)\s*(?:[\p{L}'.-]+,?\s+){1,4}(?:д\.\s*)?\d{1,5}|\p{Han}{1,12}(?:路|街|大道|胡同|巷)\d{1,5}号",
            always,
        ),
        p(
            "a GPS coordinate",
            r"-?\b\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}\b|\b\d{1,3}°\s*\d{1,2}['′]|\b\d{1,3}\.\d{3,}\s*°",
            always,
        ),
    ];
    let set = RegexSet::new(patterns.iter().map(|p| p.regex.as_str())).expect("valid patterns");
    (patterns, set)
});

/// Every match of a personal-data pattern in `text`, as (what, matched text).
pub(crate) fn find_personal_data(text: &str, allow: &[String]) -> Findings {
    let text = &*readable(text);
    let allow: Vec<String> = allow
        .iter()
        .map(|a| readable(a.trim()).into_owned())
        .collect();
    let mut found: Vec<(&'static str, std::ops::Range<usize>, String)> = Vec::new();
    let (patterns, set) = &*PATTERNS;
    let present = set.matches(text);
    for pattern in present.iter().map(|i| &patterns[i]) {
        for m in pattern.regex.find_iter(text) {
            let value = m.as_str().trim();
            // Two shapes of the same kind may match one spot: report it once.
            let seen = found.iter().any(|(what, r, _)| {
                *what == pattern.what && r.start < m.end() && m.start() < r.end
            });
            if !seen && (pattern.accept)(value) && !allow.iter().any(|a| a.trim() == value) {
                found.push((pattern.what, m.range(), value.to_owned()));
            }
        }
    }
    found
        .into_iter()
        .map(|(what, _, value)| (what, value))
        .collect()
}

/// `text` as the patterns read it: compatibility forms unified (fullwidth `＠` and digits,
/// ligatures) and decimal digits of every script written as ASCII digits, so that a phone
/// number in Arabic-Indic or Persian digits is counted like any other.
fn readable(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.nfkc()
            .map(|c| match crate::fold::digit_value(c) {
                Some(d) => char::from_digit(d, 10).expect("a digit"),
                None => c,
            })
            .collect(),
    )
}

/// What `find_personal_data` finds in one text.
pub(crate) type Findings = Vec<(&'static str, String)>;

/// Public free text of published cases: titles, summaries, public action notes, released
/// letters. With `memo` (`serve`), a case file read at the last rebuild, under the same
/// allow-list and build date, is not checked again.
pub(crate) fn personal_data(
    inputs: &Inputs,
    build_date: crate::model::date::Date,
    allow: &[String],
    memo: Option<&mut FileMemo<Vec<Problem>>>,
) -> Problems {
    // What was found under another allow-list no longer holds, nor under another date, which
    // decides what of a case is published.
    let mut salt = xxhash_rust::xxh3::Xxh3::new();
    salt.update(allow.join("\0").as_bytes());
    salt.update(build_date.to_string().as_bytes());
    // Case by case in parallel (a large site's texts take a noticeable part of every build and
    // every `serve` edit), the problems kept in case order.
    let per_case = FileMemo::check_each(memo, salt.digest(), &inputs.cases, |record| {
        match gates::case_published(&record.value, build_date) {
            true => personal_data_of_case(record, build_date, allow),
            false => Vec::new(),
        }
    });
    let mut problems = Problems::default();
    problems.extend(per_case.into_iter().flatten());
    problems
}

/// The personal data in one published case's published texts.
fn personal_data_of_case(
    record: &Record<Case>,
    build_date: crate::model::date::Date,
    allow: &[String],
) -> Vec<Problem> {
    let case = &record.value;
    let mut fields: Vec<(String, &toml::Spanned<Localized>)> = vec![
        ("title".into(), &case.title),
        ("summary".into(), &case.summary),
    ];
    for (i, action) in case
        .actions
        .iter()
        .enumerate()
        .filter(|(_, a)| gates::action_public(a, build_date))
    {
        if let Some(note) = &action.note {
            fields.push((format!("actions[{i}].note"), note));
        }
    }
    for (i, letter) in case.correspondence.iter().enumerate() {
        let released = gates::letter_released(letter, build_date);
        if let (true, Some(summary)) = (released, &letter.summary) {
            fields.push((format!("correspondence[{i}].summary"), summary));
        }
    }
    let mut problems = Vec::new();
    for (field, value) in fields {
        for text in value.get_ref().texts() {
            for (what, matched) in find_personal_data(text, allow) {
                problems.push(personal_data_problem(
                    &record.file,
                    value.span(),
                    &field,
                    what,
                    &matched,
                ));
            }
        }
    }
    problems
}

fn personal_data_problem(
    file: &Arc<SourceFile>,
    span: std::ops::Range<usize>,
    field: &str,
    what: &str,
    matched: &str,
) -> Problem {
    // A build that runs once has released the text; it is read again for the caret.
    let file = &file.reread();
    let inner = file
        .text
        .get(span.clone())
        .and_then(|s| s.find(matched))
        .map(|i| span.start + i..span.start + i + matched.len());
    Problem::error(format!("`{field}` contains what looks like {what}"))
        .at(file, inner.unwrap_or(span))
        .label(format!("looks like {what}"))
        .help(format!(
            "public case text must not identify anyone: remove it, or if it is a public contact, add it to [lint] allow = [\"{matched}\"] in site.toml"
        ))
}

/// `src=`, `<link href=`, CSS `url()` and `@import` pointing at another host.
static REMOTE_ASSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:\b(?:src|srcset|poster|data|action)\s*=\s*["']?\s*(?:https?:)?//|<link\b[^>]*\bhref\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//)"#)
        .expect("valid pattern")
});

pub(crate) fn third_party_assets(theme: &Theme, guidance: &[GuidancePage]) -> Problems {
    let mut problems = Problems::default();
    for (name, (origin, text)) in &theme.templates {
        for m in REMOTE_ASSET.find_iter(text) {
            let file = SourceFile::new(origin.clone(), text.clone());
            problems.push(
                Problem::error(format!("template {name} loads an asset from another host"))
                    .at(&file, m.range())
                    .label("third-party request")
                    .help("every request must stay on this site: copy the file into the theme's static/ folder"),
            );
        }
    }
    for asset in &theme.assets {
        if asset.name.ends_with(".css") {
            let text = String::from_utf8_lossy(&asset.bytes);
            if let Some(m) = REMOTE_ASSET.find(&text) {
                let file = SourceFile::new(format!("static/{}", asset.name), text.to_string());
                problems.push(
                    Problem::error("stylesheet loads an asset from another host")
                        .at(&file, m.range()),
                );
            }
        }
    }
    let placement = markdown::Placement {
        root: "/",
        heading_offset: 0,
        anchor_label: "",
    };
    for page in guidance {
        for version in page.versions.values() {
            for url in markdown::render(&version.body, &placement).external_assets {
                let at = version
                    .file
                    .text
                    .find(&url)
                    .map(|i| i..i + url.len())
                    .unwrap_or(0..0);
                problems.push(
                    Problem::error("an image or other asset from another host")
                        .at(&version.file, at)
                        .label("third-party request")
                        .help("put the file in public-data/files/ and link it as /files/<name>"),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<&'static str> {
        find_personal_data(text, &[])
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    }

    #[test]
    fn finds_personal_data() {
        assert_eq!(
            kinds("write to jane.doe@example.org today"),
            ["an e-mail address"]
        );
        assert_eq!(kinds("call +41 22 917 90 00"), ["a phone or ID number"]);
        assert_eq!(
            kinds("passport AB1234567 was seized"),
            ["a passport or ID number"]
        );
        assert_eq!(kinds("she lives at 12 Mill Street"), ["a street address"]);
        assert_eq!(kinds("vive en Calle Mayor 5"), ["a street address"]);
        assert_eq!(kinds("found at 19.4326, -99.1332"), ["a GPS coordinate"]);
    }

    #[test]
    fn ignores_dates_symbols_and_allowed_values() {
        assert!(
            kinds("reported on 2024-03-12, see A/HRC/57/30 and CAT/C/55/2 (2019-2024)").is_empty()
        );
        assert!(kinds("In 2023, 14 people were detained").is_empty());
        let allow = vec!["+41 22 917 90 00".to_owned()];
        assert!(find_personal_data("call +41 22 917 90 00", &allow).is_empty());
    }

    #[test]
    fn finds_more_shapes_of_personal_data() {
        let mut missed = Vec::new();
        for (text, what) in [
            (
                "contact: Jane.Doe+ngo@mail.example.co.uk",
                "an e-mail address",
            ),
            ("écrire à marie@exemple.fr", "an e-mail address"),
            ("write to jane [at] example [dot] org", "an e-mail address"),
            ("write to jane(at)example.org", "an e-mail address"),
            ("his number is +7 (495) 123-45-67", "a phone or ID number"),
            ("call 0044 20 7946 0958", "a phone or ID number"),
            ("mobile +254 712 345 678", "a phone or ID number"),
            ("tel. (022) 917-9000", "a phone or ID number"),
            ("+1-202-555-0143", "a phone or ID number"),
            ("national ID 123456789", "a phone or ID number"),
            ("passport no. C01X00T47", "a passport or ID number"),
            ("passport N° 12AB34567", "a passport or ID number"),
            ("ID card number: 8812-0417", "a passport or ID number"),
            ("held at 221B Baker Street", "a street address"),
            ("lives at 1600 Pennsylvania Avenue", "a street address"),
            ("habite au 12, rue de la Paix", "a street address"),
            ("вул. Хрещатик, 22", "a street address"),
            ("ул. Тверская, д. 7", "a street address"),
            ("شارع الرشيد 14", "a street address"),
            ("北京市朝阳区建国路88号", "a street address"),
            ("at 48.8566, 2.3522", "a GPS coordinate"),
            ("at 48.8566° N, 2.3522° E", "a GPS coordinate"),
            ("at 40°26′46″N 79°58′56″W", "a GPS coordinate"),
        ] {
            if !kinds(text).contains(&what) {
                missed.push(format!(
                    "{text:?}: expected {what}, found {:?}",
                    kinds(text)
                ));
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn document_symbols_dates_years_and_case_ids_are_not_personal_data() {
        for text in [
            "see A/HRC/57/30, A/HRC/54/61 and A/78/250",
            "CAT/C/55/2, CAT/OP/6/Rev.1 and HRI/MC/2015/6",
            "CCPR/C/137/D/3232/2018 and CRC/C/OPSC/JPN/CO/1",
            "E/C.12/GC/25, CEDAW/C/OP.8/GBR/1",
            "G/SO 215/1 MEX (3) and UA CAT 12/2024",
            "reported on 2024-03-12, again on 12.03.2024 and 12/03/2024",
            "between 2019 and 2024 (2019-2024, 2019 – 2024)",
            "cases 2024-001, 2024-002 and 2025-117",
            "from 2024-03-12 to 2024-05-01",
            "In 2023, 14 people were detained; 1,250 signed a petition",
            "paragraphs 12 to 15 of the concluding observations",
            "the 82nd session (CAT/C/SR.2101)",
            "A/HRC/WG.6/42/JPN/1 of 1 January 2023",
            "Articles 13 and 16 of the Convention, rule 114 of the rules of procedure",
        ] {
            assert!(
                kinds(text).is_empty(),
                "{text:?}: {:?}",
                find_personal_data(text, &[])
            );
        }
    }

    #[test]
    fn reads_every_script_in_all_six_languages() {
        let mut missed = Vec::new();
        for (lang, text, what) in [
            (
                "en",
                "write to jane at example dot org",
                "an e-mail address",
            ),
            (
                "en",
                "call ＋４４ ２０ ７９４６ ０９５８",
                "a phone or ID number",
            ),
            (
                "fr",
                "écrire à marie chez exemple point fr",
                "an e-mail address",
            ),
            ("fr", "courriel : élodie＠exemple.fr", "an e-mail address"),
            (
                "es",
                "escribir a juan arroba ejemplo punto es",
                "an e-mail address",
            ),
            ("es", "correo: josé.núñez@correo.es", "an e-mail address"),
            ("ar", "رقم هاتفه ٠٥٠١٢٣٤٥٦٧", "a phone or ID number"),
            ("ar", "هاتف: +٩٦٦ ٥٠ ١٢٣ ٤٥٦٧", "a phone or ID number"),
            ("ar", "رقمه ۰۹۱۲۳۴۵۶۷۸۹ (فارسی)", "a phone or ID number"),
            ("ar", "البريد: سارة@مثال.مصر", "an e-mail address"),
            ("zh", "电话１３８１２３４５６７８", "a phone or ID number"),
            ("zh", "邮箱：张伟@例子.中国", "an e-mail address"),
            (
                "zh",
                "邮箱 zhangwei 艾特 example 点 cn",
                "an e-mail address",
            ),
            ("zh", "写信到 wang＠example.cn", "an e-mail address"),
            ("ru", "почта: иван@пример.рф", "an e-mail address"),
            (
                "ru",
                "пишите ivan собака mail точка ru",
                "an e-mail address",
            ),
            (
                "ru",
                "телефон +7 (495) １２３-45-67",
                "a phone or ID number",
            ),
        ] {
            if !kinds(text).contains(&what) {
                missed.push(format!(
                    "{lang} {text:?}: expected {what}, found {:?}",
                    kinds(text)
                ));
            }
        }
        assert!(missed.is_empty(), "{missed:#?}");
    }

    #[test]
    fn ordinary_text_in_all_six_languages_is_not_personal_data() {
        for text in [
            "The lawyer was arrested at dawn, at the office of the association.",
            "L'avocate a été arrêtée à l'aube, au point de contrôle.",
            "La abogada fue detenida en 2024 y liberada el 12 de marzo.",
            "أُبلغ عن الحالة في ٢٠٢٤-٠٣-١٢ وفي عام ٢٠٢٣ احتُجز ١٤ شخصاً",
            "２０２４年３月１２日，委员会收到了来文。",
            "В 2023 году задержаны 14 человек; см. CAT/C/55/2.",
        ] {
            assert!(kinds(text).is_empty(), "{text:?}: {:?}", kinds(text));
        }
    }

    #[test]
    fn finds_remote_assets_but_not_links() {
        assert!(REMOTE_ASSET.is_match(r#"<script src="https://cdn.example.com/x.js">"#));
        assert!(
            REMOTE_ASSET
                .is_match(r#"<link rel="stylesheet" href="https://fonts.example.com/a.css">"#)
        );
        assert!(REMOTE_ASSET.is_match("body { background: url(//img.example.com/a.png) }"));
        assert!(!REMOTE_ASSET.is_match(r#"<a href="https://undocs.org/A/1">A/1</a>"#));
        assert!(!REMOTE_ASSET.is_match(r#"<img src="{{ page.site_root }}files/a.png">"#));
    }
}
