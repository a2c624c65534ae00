//! Route patterns of fault rules: `*` matches any run of characters (slashes included), and an
//! optional method prefix restricts the rule (`GET /content/v2/cms/series/*`).

/// A parsed route pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RoutePattern {
    method: Option<String>,
    path: String,
}

impl RoutePattern {
    /// Parses `"[METHOD ]path-pattern"`.
    pub(crate) fn parse(pattern: &str) -> RoutePattern {
        let pattern = pattern.trim();
        match pattern.split_once(' ') {
            Some((method, path))
                if !method.is_empty() && method.chars().all(|c| c.is_ascii_alphabetic()) =>
            {
                RoutePattern {
                    method: Some(method.to_ascii_uppercase()),
                    path: path.trim().to_owned(),
                }
            }
            _ => RoutePattern {
                method: None,
                path: pattern.to_owned(),
            },
        }
    }

    /// Whether a request matches.
    pub(crate) fn matches(&self, method: &str, path: &str) -> bool {
        let method_matches = self
            .method
            .as_deref()
            .is_none_or(|expected| expected.eq_ignore_ascii_case(method));
        method_matches && wildcard_match(self.path.as_bytes(), path.as_bytes())
    }
}

/// Glob matching with `*` only, in linear time (backtracking to the last star).
fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut pattern_index, mut text_index) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while text_index < text.len() {
        if pattern_index < pattern.len() && pattern[pattern_index] == b'*' {
            last_star = Some((pattern_index, text_index));
            pattern_index += 1;
        } else if pattern_index < pattern.len() && pattern[pattern_index] == text[text_index] {
            pattern_index += 1;
            text_index += 1;
        } else if let Some((star, matched_until)) = last_star {
            pattern_index = star + 1;
            text_index = matched_until + 1;
            last_star = Some((star, matched_until + 1));
        } else {
            return false;
        }
    }
    pattern[pattern_index..].iter().all(|&byte| byte == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_match_any_run_of_characters() {
        let pattern = RoutePattern::parse("/content/v2/*");
        assert!(pattern.matches("GET", "/content/v2/cms/series/GABC"));
        assert!(!pattern.matches("GET", "/auth/v1/token"));
        assert!(RoutePattern::parse("*").matches("POST", "/auth/v1/token"));
        assert!(
            RoutePattern::parse("/playback/*/play")
                .matches("GET", "/playback/v3/G1/web/chrome/play")
        );
        assert!(
            !RoutePattern::parse("/playback/*/play")
                .matches("GET", "/playback/v3/G1/web/chrome/play/x")
        );
    }

    #[test]
    fn a_method_prefix_restricts_the_rule() {
        let pattern = RoutePattern::parse("GET /content/v2/cms/series/*");
        assert!(pattern.matches("GET", "/content/v2/cms/series/G1"));
        assert!(!pattern.matches("POST", "/content/v2/cms/series/G1"));
        assert!(RoutePattern::parse("post /auth/v1/token").matches("POST", "/auth/v1/token"));
    }

    #[test]
    fn exact_patterns_match_only_themselves() {
        let pattern = RoutePattern::parse("/auth/v1/token");
        assert!(pattern.matches("POST", "/auth/v1/token"));
        assert!(!pattern.matches("POST", "/auth/v1/token/extra"));
    }
}
