use std::fmt;

/// A Graph API access token. It never appears in `Debug`, `Display`, logs or errors; only
/// [`AccessToken::expose`] reveals it, to put it in an `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token, trimming the whitespace a paste often brings. `None` when empty.
    pub fn new(token: impl Into<String>) -> Option<Self> {
        let token = token.into().trim().to_owned();
        (!token.is_empty()).then_some(Self(token))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::AccessToken;

    #[test]
    fn a_token_never_prints() {
        let token = AccessToken::new(" EAAsecretvalue \n").expect("non-empty");
        assert_eq!(token.expose(), "EAAsecretvalue", "trimmed");
        assert!(!format!("{token:?} {token}").contains("secret"));
        assert!(AccessToken::new("   ").is_none());
    }
}
