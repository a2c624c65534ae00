//! `application/x-www-form-urlencoded` decoding for the token endpoint (axum's `Form` needs a
//! feature the workspace does not enable, and the format is small).

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
    let bytes = component.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' if index + 2 < bytes.len() => match hex_pair(bytes[index + 1], bytes[index + 2]) {
                Some(byte) => {
                    decoded.push(byte);
                    index += 2;
                }
                None => decoded.push(b'%'),
            },
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_pair(high: u8, low: u8) -> Option<u8> {
    let digit = |byte: u8| char::from(byte).to_digit(16);
    Some((digit(high)? * 16 + digit(low)?) as u8)
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
    }

    #[test]
    fn broken_escapes_are_kept() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("%4"), "%4");
    }
}
