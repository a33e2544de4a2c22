//! The token endpoint's 200 body, read tolerantly.
//!
//! `expires_in` is taken as seconds when it is a positive number or a string holding one
//! (fractions dropped), capped at [`MAX_LIFETIME`]; zero, negative, missing or any other
//! value gets [`DEFAULT_LIFETIME`] (a token that expires earlier is renewed on its 401).
//! `token_type` defaults to `bearer`; a `scope` that is not a string counts as absent.

use std::time::Duration;

use oauth2::basic::BasicTokenType;
use oauth2::{AccessToken, RefreshToken, Scope, TokenResponse};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The longest lifetime believed, whatever the server says.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// The lifetime of a token whose answer gives no usable `expires_in`.
pub(crate) const DEFAULT_LIFETIME: Duration = Duration::from_secs(5 * 60);

/// A token answer: only `access_token` (a string) is required.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(from = "Raw")]
pub(crate) struct TokenAnswer {
    access_token: AccessToken,
    token_type: BasicTokenType,
    /// Whole seconds, already defaulted and capped.
    expires_in: u64,
    refresh_token: Option<RefreshToken>,
    #[serde(rename = "scope")]
    scopes: Option<Vec<Scope>>,
}

#[derive(Deserialize)]
struct Raw {
    access_token: AccessToken,
    #[serde(default)]
    token_type: Option<Value>,
    #[serde(default)]
    expires_in: Option<Value>,
    #[serde(default)]
    refresh_token: Option<Value>,
    #[serde(default)]
    scope: Option<Value>,
}

impl From<Raw> for TokenAnswer {
    fn from(raw: Raw) -> Self {
        let token_type = match raw.token_type {
            Some(Value::String(t)) if !t.eq_ignore_ascii_case("bearer") => {
                BasicTokenType::Extension(t.to_ascii_lowercase())
            }
            _ => BasicTokenType::Bearer,
        };
        let scopes = match raw.scope {
            Some(Value::String(s)) => {
                Some(s.split_whitespace().map(|s| Scope::new(s.into())).collect())
            }
            _ => None,
        };
        let refresh_token = match raw.refresh_token {
            Some(Value::String(t)) => Some(RefreshToken::new(t)),
            _ => None,
        };
        Self {
            access_token: raw.access_token,
            token_type,
            expires_in: lifetime(raw.expires_in.as_ref()).as_secs(),
            refresh_token,
            scopes,
        }
    }
}

/// The lifetime `expires_in` grants, defaulted and capped (see the module doc).
pub(crate) fn lifetime(value: Option<&Value>) -> Duration {
    let secs = match value {
        Some(Value::Number(n)) => n.as_u64().or_else(|| n.as_f64().and_then(whole_secs)),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().and_then(whole_secs),
        _ => None,
    };
    match secs {
        Some(secs) if secs > 0 => Duration::from_secs(secs).min(MAX_LIFETIME),
        _ => DEFAULT_LIFETIME,
    }
}

/// Whole seconds of a finite, non-negative float (saturating at `u64::MAX`).
fn whole_secs(secs: f64) -> Option<u64> {
    // `as` saturates; NaN and negatives are refused first.
    (secs.is_finite() && secs >= 0.0).then_some(secs as u64)
}

impl TokenResponse for TokenAnswer {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }

    fn expires_in(&self) -> Option<Duration> {
        Some(Duration::from_secs(self.expires_in))
    }

    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ttl(expires_in: &str) -> Duration {
        let body = format!(r#"{{"access_token": "t", "expires_in": {expires_in}}}"#);
        let answer: TokenAnswer = serde_json::from_str(&body).unwrap();
        answer.expires_in().unwrap()
    }

    #[test]
    fn lifetimes_are_capped_defaulted_and_never_overflow() {
        assert_eq!(ttl("3600"), Duration::from_secs(3600));
        assert_eq!(ttl("18446744073709551615"), MAX_LIFETIME);
        assert_eq!(ttl("1e300"), MAX_LIFETIME);
        assert_eq!(ttl("3599.9"), Duration::from_secs(3599));
        assert_eq!(ttl("\" 120 \""), Duration::from_secs(120));
        for odd in [
            "0", "-1", "-1e300", "0.5", "\"soon\"", "\"NaN\"", "null", "[]", "{}",
        ] {
            assert_eq!(ttl(odd), DEFAULT_LIFETIME, "{odd}");
        }
        let answer: TokenAnswer = serde_json::from_str(r#"{"access_token": "t"}"#).unwrap();
        assert_eq!(answer.expires_in(), Some(DEFAULT_LIFETIME));
        assert_eq!(answer.token_type(), &BasicTokenType::Bearer);
    }

    #[test]
    fn scopes_split_on_spaces_and_odd_ones_count_as_absent() {
        let answer: TokenAnswer =
            serde_json::from_str(r#"{"access_token": "t", "scope": "a:read  b:write"}"#).unwrap();
        let scopes: Vec<String> = answer
            .scopes()
            .unwrap()
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(scopes, ["a:read", "b:write"]);
        let answer: TokenAnswer =
            serde_json::from_str(r#"{"access_token": "t", "scope": ["a"], "token_type": 3}"#)
                .unwrap();
        assert!(answer.scopes().is_none());
    }

    #[test]
    fn a_body_without_a_string_token_is_refused() {
        for body in [
            "{}",
            r#"{"access_token": 1}"#,
            "[]",
            "null",
            r#"{"access_token": null}"#,
        ] {
            assert!(serde_json::from_str::<TokenAnswer>(body).is_err(), "{body}");
        }
    }
}
