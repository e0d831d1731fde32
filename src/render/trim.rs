//! Templates lose their layout whitespace once, when the theme is loaded, so that no page has
//! to be minified after it is rendered (an HTML minifier parsing every page was a fifth of the
//! build). What is dropped never changes what a reader sees or hears:
//!
//! - the indentation at the start of a line;
//! - spaces and tabs at the end of a line;
//! - the line break after a line that prints nothing: blank lines and lines holding only
//!   `{% ... %}` statements and `{# ... #}` comments (`{% for %}`, `{% endif %}`, `{% block %}`),
//!   or the end of one that began on a line above.
//!
//! A line that prints something keeps its line break, so words on two lines stay two words.
//! Nothing changes inside a Tera tag, inside `{% raw %}`, or inside `<pre>`, `<textarea>`,
//! `<script>` and `<style>`, where whitespace is content.
//!
//! A dropped line break is moved into a Tera comment (`{#` at the end of the line, `#}` at the
//! start of the next), so a template error still names the line the theme author sees.

/// `template` with its layout whitespace removed, as described above.
pub(crate) fn trim(template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut lexer = Lexer::default();
    // Whether the last line's break went into a comment that the next line must close.
    let mut open_comment = false;
    for line in template.split_inclusive('\n') {
        let starts_outside = lexer.state == State::Text;
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (line, false),
        };
        let body = if starts_outside {
            body.trim_start_matches([' ', '\t'])
        } else {
            body
        };
        // A line that starts inside an expression, a raw block or a verbatim element prints.
        let printing = matches!(
            lexer.state,
            State::Tag { close: b'}', .. } | State::Verbatim(_) | State::Raw
        );
        let prints = lexer.read(body) || printing;
        let ends_outside = lexer.state == State::Text;
        let body = if ends_outside {
            body.trim_end_matches([' ', '\t', '\r'])
        } else {
            body
        };
        if open_comment {
            out.push_str("#}");
        }
        out.push_str(body);
        open_comment = false;
        if newline {
            if ends_outside && !prints {
                out.push_str("{#\n");
                open_comment = true;
            } else {
                out.push('\n');
            }
        }
    }
    if open_comment {
        out.push_str("#}");
    }
    out
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    /// Template text outside any tag.
    #[default]
    Text,
    /// Inside `{{ }}`, `{% %}` or `{# #}`, with the quote of a string being read, if any;
    /// `raw` for `{% raw %}`, after which the raw block starts.
    Tag {
        close: u8,
        quote: Option<u8>,
        raw: bool,
    },
    /// Inside `<pre>`, `<textarea>`, `<script>` or `<style>`: whitespace is content.
    Verbatim(&'static str),
    /// Between `{% raw %}` and `{% endraw %}`.
    Raw,
}

/// Elements whose whitespace is content (and, for scripts and styles, code).
const VERBATIM: [&str; 4] = ["pre", "textarea", "script", "style"];

#[derive(Default)]
struct Lexer {
    state: State,
}

impl Lexer {
    /// Reads one line (without its break); true if it prints something: text, markup or a
    /// `{{ }}` expression.
    fn read(&mut self, line: &str) -> bool {
        let bytes = line.as_bytes();
        let mut prints = false;
        let mut i = 0;
        while i < bytes.len() {
            match self.state {
                State::Text => {
                    let b = bytes[i];
                    if b == b'{' && matches!(bytes.get(i + 1), Some(b'{' | b'%' | b'#')) {
                        let close = match bytes[i + 1] {
                            b'{' => b'}',
                            other => other,
                        };
                        prints |= close == b'}';
                        let raw = close == b'%' && statement_name(&line[i + 2..]) == "raw";
                        self.state = State::Tag {
                            close,
                            quote: None,
                            raw,
                        };
                        i += 2;
                        continue;
                    }
                    if !b.is_ascii_whitespace() {
                        prints = true;
                    }
                    if b == b'<' {
                        if let Some(name) = opening_verbatim(&line[i + 1..]) {
                            self.state = State::Verbatim(name);
                        }
                    }
                    i += 1;
                }
                State::Tag { close, quote, raw } => {
                    let b = bytes[i];
                    match quote {
                        Some(q) if b == q => {
                            self.state = State::Tag {
                                close,
                                quote: None,
                                raw,
                            }
                        }
                        Some(_) => {}
                        None if matches!(b, b'"' | b'\'' | b'`') && close != b'#' => {
                            self.state = State::Tag {
                                close,
                                quote: Some(b),
                                raw,
                            }
                        }
                        None if b == close && bytes.get(i + 1) == Some(&b'}') => {
                            self.state = if raw { State::Raw } else { State::Text };
                            i += 2;
                            continue;
                        }
                        None => {}
                    }
                    i += 1;
                }
                State::Verbatim(name) => {
                    match find_closing(&line[i..], name) {
                        Some(at) => {
                            self.state = State::Text;
                            i += at;
                        }
                        None => i = bytes.len(),
                    }
                    prints = true;
                }
                State::Raw => {
                    prints = true;
                    match line[i..].find("{%").map(|at| i + at) {
                        Some(at) => {
                            let rest = &line[at + 2..];
                            if let Some(end) = rest.find("%}") {
                                if statement_name(&rest[..end]) == "endraw" {
                                    self.state = State::Text;
                                }
                                i = at + 2 + end + 2;
                            } else {
                                i = bytes.len();
                            }
                        }
                        None => i = bytes.len(),
                    }
                }
            }
        }
        prints
    }
}

/// The name of the statement that `after_open` (the text after `{%`) starts, without the
/// whitespace-control dash: `raw` in `{%- raw %}` and in `{%raw%}`.
fn statement_name(after_open: &str) -> &str {
    let name = after_open.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
    let end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(name.len());
    &name[..end]
}

/// The verbatim element `after_lt` opens (the text after a `<`), if it opens one.
fn opening_verbatim(after_lt: &str) -> Option<&'static str> {
    VERBATIM.into_iter().find(|name| {
        after_lt
            .get(..name.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(name))
            && after_lt[name.len()..]
                .bytes()
                .next()
                .is_none_or(|b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
    })
}

/// Where in `text` the closing tag of `name` starts, if it is there.
fn find_closing(text: &str, name: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.find(&format!("</{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders `template` with Tera, as the site does.
    fn render(template: &str, context: &tera::Context) -> String {
        let mut tera = tera::Tera::new();
        tera.add_raw_template("t.html", template).unwrap();
        tera.render("t.html", context).unwrap()
    }

    fn context() -> tera::Context {
        let mut c = tera::Context::new();
        c.insert("items", &["one", "two"]);
        c.insert("show", &true);
        c.insert("code", &"line 1\n    line 2\n\nline 4");
        c
    }

    #[test]
    fn indentation_and_lines_that_print_nothing_go() {
        let template = "<ul>\n    {% for item in items %}\n    <li>{{ item }}</li>\n    {% endfor %}\n</ul>\n\n\n<p>end</p>  \n";
        assert_eq!(
            render(&trim(template), &context()),
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<p>end</p>\n"
        );
    }

    #[test]
    fn words_on_two_lines_stay_two_words() {
        let template =
            "<p>\n  {{ items[0] }}\n  {% if show %}\n  {{ items[1] }}\n  {% endif %}\n</p>";
        assert_eq!(render(&trim(template), &context()), "<p>\none\ntwo\n</p>");
    }

    #[test]
    fn whitespace_inside_pre_textarea_and_script_is_kept() {
        for template in [
            "<div>\n  <pre>\n  kept\n\n    kept too\n  </pre>\n  </div>",
            "<div>\n  <TEXTAREA rows=2>\n  kept\n\n    kept too\n  </textarea>\n  </div>",
            "<div>\n  <script>\n  kept\n\n    kept too\n  </script>\n  </div>",
        ] {
            let out = trim(template);
            assert!(out.contains("\n  kept\n\n    kept too\n  </"), "{out}");
            assert!(
                out.starts_with("<div>\n<") && out.ends_with(">\n</div>"),
                "{out}"
            );
        }
        // A value printed inside <pre> is untouched: only the template is trimmed.
        let out = render(&trim("<pre>{{ code }}</pre>"), &context());
        assert_eq!(out, "<pre>line 1\n    line 2\n\nline 4</pre>");
    }

    #[test]
    fn tags_over_several_lines_and_raw_blocks_are_left_as_written() {
        let template = "{% set x = [\n    \"a  }}\",\n    \"b\"] %}\n<p>{{ x | join(sep=\", \") }}</p>\n{% raw %}\n  {{ not a tag }}\n\n{% endraw %}\n";
        let out = render(&trim(template), &context());
        assert_eq!(out, "<p>a  }}, b</p>\n\n  {{ not a tag }}\n\n\n");
    }

    #[test]
    fn every_line_keeps_its_number() {
        let template = "{% extends \"base.html\" %}\n\n  {% block x %}\n   <p>\n{# note #}\n  {{ y }}\n{% endblock %}\n";
        let out = trim(template);
        assert_eq!(out.matches('\n').count(), template.matches('\n').count());
        for (before, after) in template.lines().zip(out.lines()) {
            if before.contains("{{") {
                assert!(after.contains("{{ y }}"), "{after}");
            }
        }
    }
}
