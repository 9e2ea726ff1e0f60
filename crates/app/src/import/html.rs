//! Turning shop-platform HTML descriptions into the plain text Meta requires.

/// Strips tags, turns block ends and `<br>` into line breaks (a list item is a line of its
/// own), decodes every named and numeric entity as HTML does (`htmlize`, WHATWG's table:
/// `Cer&acirc;mica` → `Cerâmica`, `&nbsp;`, `&#8212;`) and collapses blank runs. The
/// contents of `<script>` and `<style>` are dropped.
pub(crate) fn to_plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let raw = rest[start + 1..start + end].trim();
        let closing = raw.starts_with('/');
        let name: String = raw
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !closing && matches!(name.as_str(), "script" | "style") {
            let after = &rest[start + end + 1..];
            let close = format!("</{name}");
            rest = match after.to_ascii_lowercase().find(&close) {
                Some(at) => after[at..].find('>').map_or("", |gt| &after[at + gt + 1..]),
                None => "",
            };
            continue;
        }
        if matches!(
            name.as_str(),
            "br" | "p"
                | "div"
                | "li"
                | "ul"
                | "ol"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "tr"
                | "table"
        ) {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    let decoded = htmlize::unescape(out);
    let lines: Vec<String> = decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::to_plain_text;

    #[test]
    fn html_descriptions_become_plain_text() {
        assert_eq!(to_plain_text("<p>Caneca <b>azul</b></p><ul><li>350 ml</li><li>Cer&acirc;mica &amp; esmalte</li></ul>"), "Caneca azul\n350 ml\nCerâmica & esmalte");
        assert_eq!(to_plain_text("Plain text stays"), "Plain text stays");
        assert_eq!(
            to_plain_text("5 &lt; 6 &#8212; ok&nbsp;&eacute;&THORN;&hellip;"),
            "5 < 6 — ok éÞ…"
        );
        assert_eq!(
            to_plain_text("<style>p{color:red}</style><p>Relógio</p><script>alert(1)</script>"),
            "Relógio",
            "style and script contents are not text"
        );
        assert_eq!(
            to_plain_text("<p>ساعة&nbsp;يد</p><p>مقاومة للماء</p>"),
            "ساعة يد\nمقاومة للماء"
        );
    }
}
