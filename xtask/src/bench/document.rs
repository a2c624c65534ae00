//! The generated sections of `docs/benchmarks.md`, each between its own marker comments.

/// What a benchmark contributes: its markdown and the plots it links.
#[derive(Debug, Default)]
pub struct Section {
    pub markdown: String,
    /// File name in `docs/benchmarks/` → SVG document.
    pub plots: Vec<(String, String)>,
}

fn markers(name: &str) -> (String, String) {
    (
        format!("<!-- bench:{name} -->"),
        format!("<!-- /bench:{name} -->"),
    )
}

/// `document` with the section `name` replaced by `markdown`, or appended when it has none yet.
pub fn replace_section(document: &str, name: &str, markdown: &str) -> String {
    let (start, end) = markers(name);
    let body = format!("{start}\n{}\n{end}", markdown.trim_end());
    if let (Some(from), Some(to)) = (document.find(&start), document.find(&end))
        && from < to
    {
        return format!("{}{body}{}", &document[..from], &document[to + end.len()..]);
    }
    let mut text = document.trim_end().to_owned();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&body);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_appended_once_and_then_replaced_in_place() {
        let original = "# Benchmarks\n\nHand-written figures.\n";

        let first = replace_section(original, "load", "## Load\n\nold");
        let second = replace_section(&first, "load", "## Load\n\nnew");

        assert!(second.starts_with(original.trim_end()));
        assert!(second.contains("new") && !second.contains("old"));
        assert_eq!(second.matches("<!-- bench:load -->").count(), 1);
    }

    #[test]
    fn other_sections_survive_a_rewrite() {
        let document = replace_section("", "read-path", "## Read path\n\nmine");
        let document = replace_section(&document, "chaos", "## Chaos\n\nv1");

        let rewritten = replace_section(&document, "chaos", "## Chaos\n\nv2");

        assert!(rewritten.contains("## Read path\n\nmine"));
        assert!(rewritten.contains("v2"));
    }
}
