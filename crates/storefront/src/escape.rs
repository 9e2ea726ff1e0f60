//! Escaping text into HTML, attributes, URLs and inline JSON.
//!
//! Everything a merchant types (titles, descriptions, collection names, the shop name) goes
//! through one of these before it reaches a page, so a product called `<script>` is shown as
//! those characters and never runs.

use std::fmt::Write as _;

/// Text for an HTML element's content or a double-quoted attribute value.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_html(&mut out, text);
    out
}

/// Appends `text` escaped for HTML content or a double-quoted attribute value.
pub fn push_html(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A JSON value safe inside `<script>`: `<`, `>` and `&` as `\u003c`…, so no text can close
/// the element or open a comment; U+2028/U+2029 escaped for old JavaScript parsers.
pub fn script_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML content (the sitemap).
pub fn xml(text: &str) -> String {
    html(text)
}

/// A file name for any text, the same for the same text and different for different texts:
/// ASCII letters, digits, `-`, `_` and `.` stay (a leading `.` does not, so no hidden
/// files); every other byte of the UTF-8 becomes `~XX`. Only URL-unreserved characters
/// remain, so the name is its own URL path segment on every host.
pub fn file_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, byte) in text.bytes().enumerate() {
        let keep =
            byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_') || (byte == b'.' && i > 0);
        if keep {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "~{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_merchant_text_is_shown_not_run() {
        assert_eq!(
            html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn inline_json_cannot_close_its_script_element() {
        let value = serde_json::json!({ "name": "</script><script>alert(1)</script>\u{2028}" });
        let text = script_json(&value);
        assert!(!text.contains("</"), "{text}");
        assert!(!text.contains('<'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(
            back, value,
            "the escapes are JSON escapes: the value is unchanged"
        );
    }

    #[test]
    fn file_names_are_url_safe_and_never_collide() {
        assert_eq!(file_name("MUG-01"), "MUG-01");
        assert_eq!(file_name("a/b"), "a~2Fb");
        assert_eq!(
            file_name("a~2Fb"),
            "a~7E2Fb",
            "a literal tilde is escaped too"
        );
        assert_eq!(file_name(".htaccess"), "~2Ehtaccess");
        assert_eq!(file_name("Caneca_1.5"), "Caneca_1.5");
        assert_eq!(file_name("ساعة"), "~D8~B3~D8~A7~D8~B9~D8~A9");
        assert_eq!(file_name("x?y#z%"), "x~3Fy~23z~25");
    }
}
