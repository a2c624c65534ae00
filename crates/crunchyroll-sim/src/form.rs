//! `application/x-www-form-urlencoded` decoding for the token endpoint (axum's `Form` needs a
//! feature the workspace does not enable): split on `&` and `=`, then `percent-encoding`.

use std::collections::HashMap;

/// The fields of a urlencoded body; a repeated field keeps its first value.
pub(crate) fn parse_form(body: &str) -> HashMap<String, String> {
    let mut fields = HashMap::new();
    for pair in body.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        fields.entry(decode(name)).or_insert_with(|| decode(value));
    }
    fields
}

/// Percent-decodes one component, with `+` as a space; invalid escapes stay as written.
pub(crate) fn decode(component: &str) -> String {
    // `+` becomes a space before the escapes are decoded, so an encoded plus (`%2B`) stays a plus.
    let with_spaces = component.replace('+', " ");
    percent_encoding::percent_decode_str(&with_spaces)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_split_and_decoded() {
        let fields = parse_form("grant_type=password&username=a%40b.test&password=p+w%21&x");
        assert_eq!(fields["username"], "a@b.test");
        assert_eq!(fields["password"], "p w!");
        assert_eq!(fields["x"], "");
        assert_eq!(parse_form("secret=a%2Bb")["secret"], "a+b");
    }

    #[test]
    fn broken_escapes_are_kept() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%4"), "%4");
    }
}
