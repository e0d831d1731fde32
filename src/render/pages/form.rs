//! `/how-to-submit/form/`: the submission form (issue 18). The fields come from
//! `intake::FORM`; the page also carries the same form as a blank text template (what a reader
//! without JavaScript copies or prints) and the committees' contacts from the roster.

use serde::Serialize;
use tera::Context;

use crate::intake::{self, Answer, FORM, Options};
use crate::model::vocab::VocabKind;

use super::PageContent;
use super::committees::{CommitteeSummary, summary};
use crate::site::routes::Route;
use crate::site::views::{Text, View};

#[derive(Serialize)]
struct Choice {
    id: String,
    label: Text,
    checked: bool,
}

#[derive(Serialize)]
struct FieldView {
    key: &'static str,
    /// `line`, `text`, `month`, `number`, `radio`, `select` or `checkbox`.
    control: &'static str,
    label: String,
    hint: Option<String>,
    required: bool,
    options: Vec<Choice>,
}

#[derive(Serialize)]
struct SectionView {
    key: &'static str,
    legend: String,
    fields: Vec<FieldView>,
}

#[derive(Serialize)]
struct FormPage {
    sections: Vec<SectionView>,
    /// The blank document, exactly as `form.js` composes it with every answer empty, plus the
    /// choices as comment lines.
    template: String,
    /// The first lines of every composed document.
    header: String,
    how_to_submit: String,
    send_intro: String,
    roster: Vec<CommitteeSummary>,
}

pub(super) fn page(view: &View) -> PageContent {
    let sections: Vec<SectionView> = FORM
        .iter()
        .map(|section| SectionView {
            key: section.key,
            legend: view.t(&format!("form_section_{}", section.key)),
            fields: section.fields.iter().map(|f| field(view, f)).collect(),
        })
        .collect();
    let header = format!(
        "# {}\n# {} · {}\n# {}\n",
        view.t("form_doc_title"),
        intake::MAGIC,
        view.lang.code,
        view.t("form_doc_note")
    );
    let template = blank_template(view, &header, &sections);
    let data = FormPage {
        template,
        header,
        how_to_submit: view.href(
            &Route::Guidance {
                slug: super::guidance::HOW_TO_SUBMIT.to_owned(),
            }
            .path(),
        ),
        send_intro: view
            .t("form_send_intro")
            .replace("{date}", &view.date(view.site.public.build_date)),
        roster: view
            .site
            .public
            .committees
            .iter()
            .map(|c| summary(view, c))
            .collect(),
        sections,
    };
    PageContent {
        template: "form.html",
        title: view.t("form_title"),
        section: "how-to-submit-form".into(),
        fallback: false,
        data: Context::from_serialize(&data).expect("serialisable"),
    }
}

fn field(view: &View, f: &intake::Field) -> FieldView {
    let label = view.t(&format!("form_{}", f.key));
    let hint = f.hint.then(|| view.t(&format!("form_{}_hint", f.key)));
    let required = intake::REQUIRED.contains(&f.key);
    let (control, options) = match f.answer {
        Answer::Line => ("line", Vec::new()),
        Answer::Text => ("text", Vec::new()),
        Answer::Month => ("month", Vec::new()),
        Answer::Number => ("number", Vec::new()),
        Answer::One(Options::Countries) => ("select", choices(view, f, Options::Countries)),
        Answer::One(o) => ("radio", choices(view, f, o)),
        Answer::Many(o) => ("checkbox", choices(view, f, o)),
    };
    FieldView {
        key: f.key,
        control,
        label,
        hint,
        required,
        options,
    }
}

fn choices(view: &View, f: &intake::Field, options: Options) -> Vec<Choice> {
    let public = view.site.public;
    let pairs: Vec<(String, Text)> = match options {
        Options::YesNo => ["yes", "no"]
            .into_iter()
            .map(|id| (id.to_owned(), view.raw(&view.t(&format!("form_{id}")))))
            .collect(),
        Options::Fixed(ids) => ids
            .iter()
            .map(|id| {
                (
                    (*id).to_owned(),
                    view.raw(&view.t(&format!("form_{}_{id}", f.key))),
                )
            })
            .collect(),
        Options::Vocab(kind) => vocab(view, kind),
        Options::Committees => public
            .committees
            .iter()
            .map(|c| (c.code.as_str().to_owned(), view.text(&c.name)))
            .collect(),
        Options::Countries => public
            .vocab
            .countries
            .iter()
            .map(|c| (c.code.as_str().to_owned(), view.text(&c.name)))
            .collect(),
    };
    pairs
        .into_iter()
        .map(|(id, label)| Choice {
            checked: f.default == Some(id.as_str()),
            id,
            label,
        })
        .collect()
}

fn vocab(view: &View, kind: VocabKind) -> Vec<(String, Text)> {
    view.site
        .public
        .vocab
        .lists
        .get(&kind)
        .map(|terms| {
            terms
                .iter()
                .map(|t| (t.id.as_str().to_owned(), view.text(&t.label)))
                .collect()
        })
        .unwrap_or_default()
}

/// The document with every answer left blank: headings and fields in the same shape as a
/// composed one, with the choices as `#` comment lines (which the parser skips).
fn blank_template(view: &View, header: &str, sections: &[SectionView]) -> String {
    let mut out = String::from(header);
    let choices_word = view.t("form_template_choices");
    for section in sections {
        out.push_str(&format!("\n== {} [{}] ==\n", section.legend, section.key));
        for field in &section.fields {
            out.push_str(&format!("{} [{}]: \n", field.label, field.key));
            if field.control == "month" {
                out.push_str("#   YYYY-MM\n");
            }
            // Countries are too many to list; their codes are ISO 3166-1 alpha-3.
            if !field.options.is_empty() && field.control != "select" {
                let list: Vec<String> = field
                    .options
                    .iter()
                    .map(|o| format!("{} ({})", o.label.text, o.id))
                    .collect();
                out.push_str(&format!("#   {choices_word} {}\n", list.join("; ")));
            }
            if field.control == "select" {
                out.push_str("#   ISO 3166-1 alpha-3 (MEX, ...)\n");
            }
            if field.control == "text" {
                out.push('\n');
            }
        }
    }
    out
}
