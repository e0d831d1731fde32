//! Horizontal bar charts drawn as inline SVG, for the trends page.
//!
//! Each chart names itself (`<title>`, `<desc>`, `role="img"`), prints every value beside its bar
//! so that colour carries no meaning of its own, draws suppressed counts with a hatch pattern
//! and their "<3" label, and mirrors itself in right-to-left languages (bars grow from the
//! inline start). No `style` attribute: CSP forbids them, so colours are presentation
//! attributes that `site.css` may override through the classes.

use std::fmt::Write;

use crate::markdown::escape;

/// One bar: its label and value as displayed, and its length (`None`: suppressed).
#[derive(Clone, Debug)]
pub(crate) struct Bar {
    pub label: String,
    pub value: Option<u64>,
    /// The value as the reader sees it: a localised number, "<3", "–".
    pub display: String,
}

#[derive(Clone, Debug)]
pub(crate) struct BarChart<'a> {
    /// Unique on the page: prefixes the ids of the title, description and pattern.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub bars: &'a [Bar],
    pub rtl: bool,
}

const WIDTH: u32 = 640;
const ROW: u32 = 26;
const BAR: u32 = 18;
const PAD: u32 = 8;
const VALUE_SPACE: u32 = 56;
const MAX_LABEL: u32 = 240;
const FONT: u32 = 13;
/// How long a suppressed bar is drawn: visible, and clearly not to scale.
const STUB: u32 = 10;

/// A generous estimate of a character's width, in tenths of the font size: CJK is square,
/// capitals and digits are wide, the rest average a little over half.
fn tenths(c: char) -> u32 {
    if is_wide(c) {
        10
    } else if c.is_uppercase() || c.is_ascii_digit() {
        8
    } else {
        6
    }
}

/// How wide `text` is drawn at `FONT` px, by that estimate.
fn text_width(text: &str) -> u32 {
    text.chars().map(tenths).sum::<u32>() * FONT / 10
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60)
}

/// `text` cut to fit `width` px, with an ellipsis; the table below the chart has it in full.
fn fit(text: &str, width: u32) -> String {
    if text_width(text) <= width {
        return text.to_owned();
    }
    let budget = width * 10 / FONT;
    let mut used = tenths('…');
    let mut out = String::new();
    for c in text.chars() {
        if used + tenths(c) > budget {
            break;
        }
        used += tenths(c);
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// The SVG of a horizontal bar chart.
pub(crate) fn horizontal(chart: &BarChart) -> String {
    let id = chart.id;
    let label_width = chart
        .bars
        .iter()
        .map(|b| text_width(&b.label))
        .max()
        .unwrap_or(0)
        .clamp(48, MAX_LABEL)
        + PAD;
    let plot = WIDTH - label_width - VALUE_SPACE - PAD;
    let max = chart
        .bars
        .iter()
        .filter_map(|b| b.value)
        .max()
        .unwrap_or(0)
        .max(1);
    let height = ROW * chart.bars.len() as u32 + PAD * 2;
    // Positions are worked out left to right, then mirrored for right-to-left pages.
    let x = |ltr: u32| if chart.rtl { WIDTH - ltr } else { ltr };
    let rect_x = |ltr: u32, w: u32| if chart.rtl { WIDTH - ltr - w } else { ltr };
    let dir = if chart.rtl { "rtl" } else { "ltr" };

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" direction="{dir}" font-size="{FONT}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(chart.title),
        escape(chart.description),
    );
    let _ = write!(
        svg,
        r##"<defs><pattern id="{id}-hatch" class="chart-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#4a4a4a" stroke-width="3"/></pattern></defs>"##
    );
    for (i, bar) in chart.bars.iter().enumerate() {
        let top = PAD + ROW * i as u32;
        let text_y = top + ROW / 2 + FONT * 4 / 10;
        let (length, class, fill) = match bar.value {
            Some(v) => (
                (v * u64::from(plot) / max) as u32,
                "chart-bar",
                "#1d5a8c".to_owned(),
            ),
            None => (
                STUB,
                "chart-bar chart-suppressed",
                format!("url(#{id}-hatch)"),
            ),
        };
        let _ = write!(
            svg,
            r#"<g class="chart-row"><title>{label}: {value}</title><text class="chart-label" x="{lx}" y="{text_y}" text-anchor="end">{short}</text>"#,
            label = escape(&bar.label),
            value = escape(&bar.display),
            lx = x(label_width - PAD / 2),
            short = escape(&fit(&bar.label, label_width - PAD)),
        );
        if length > 0 {
            let _ = write!(
                svg,
                r##"<rect class="{class}" x="{rx}" y="{ry}" width="{length}" height="{BAR}" fill="{fill}" stroke="#1a1a1a" stroke-width="0.5"/>"##,
                rx = rect_x(label_width, length),
                ry = top + (ROW - BAR) / 2,
            );
        }
        let _ = write!(
            svg,
            r#"<text class="chart-value" x="{vx}" y="{text_y}" text-anchor="start">{}</text></g>"#,
            escape(&bar.display),
            vx = x(label_width + length + PAD / 2 + 2),
        );
    }
    let _ = write!(
        svg,
        r##"<line class="chart-axis" x1="{ax}" y1="{PAD}" x2="{ax}" y2="{y2}" stroke="#1a1a1a" stroke-width="1"/></svg>"##,
        ax = x(label_width),
        y2 = height - PAD,
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "Women & girls".into(),
                value: Some(10),
                display: "10".into(),
            },
            Bar {
                label: "Non-binary".into(),
                value: None,
                display: "<3".into(),
            },
        ]
    }

    fn chart(rtl: bool) -> String {
        let bars = bars();
        horizontal(&BarChart {
            id: "g",
            title: "Gender <of> victims",
            description: "Bar chart",
            bars: &bars,
            rtl,
        })
    }

    #[test]
    fn names_itself_escapes_text_and_labels_every_bar() {
        let svg = chart(false);
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains(r#"role="img" aria-labelledby="g-title g-desc""#));
        assert!(svg.contains("<title id=\"g-title\">Gender &lt;of&gt; victims</title>"));
        assert!(svg.contains(">Women &amp; girls</text>"));
        assert!(svg.contains(">&lt;3</text>"));
        assert!(svg.contains("url(#g-hatch)"), "suppressed bars are hatched");
        assert!(!svg.contains("style="), "CSP forbids style attributes");
    }

    #[test]
    fn bars_grow_from_the_inline_start() {
        let ltr = chart(false);
        let rtl = chart(true);
        let first_rect_x = |svg: &str| -> u32 {
            let marker = "<rect class=\"chart-bar\" x=\"";
            let at = svg.find(marker).unwrap() + marker.len();
            svg[at..].split('"').next().unwrap().parse().unwrap()
        };
        // The longest bar starts just after the labels on the left, or ends just before them
        // on the right.
        let l = first_rect_x(&ltr);
        let r = first_rect_x(&rtl);
        assert!(l > 40 && l < 320, "{l}");
        assert!(r < WIDTH / 2, "{r}");
        assert!(rtl.contains(r#"direction="rtl""#));
    }

    #[test]
    fn long_labels_are_shortened_to_fit() {
        let long = "x".repeat(200);
        let cut = fit(&long, 100);
        assert!(text_width(&cut) <= 100 && cut.ends_with('…'));
        assert_eq!(fit("short", 100), "short");
    }
}
