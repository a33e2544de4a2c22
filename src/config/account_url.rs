//! Where `O` opens an account in the browser: a URL template per organization with
//! `{name}` (the Talkdesk account name) and `{id}` placeholders.
//!
//! The per-region defaults are assumptions (Talkdesk documents no account URL):
//! `https://{name}.mytalkdesk.com` (us), `.mytalkdesk.eu` (eu), `.mytalkdeskca.com` (ca).

use url::Url;

use super::Region;

/// A checked template: http(s) once its placeholders are filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountUrl(String);

impl AccountUrl {
    /// The region's default template.
    pub fn default_for(region: Region) -> Self {
        let host = match region {
            Region::Us => "mytalkdesk.com",
            Region::Eu => "mytalkdesk.eu",
            Region::Ca => "mytalkdeskca.com",
        };
        AccountUrl(format!("https://{{name}}.{host}"))
    }

    /// Checks `raw` (the value of `key`): it names `{name}` or `{id}` and is an http(s) URL.
    pub fn parse(key: &str, raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if !raw.contains("{name}") && !raw.contains("{id}") {
            return Err(format!(
                "{key}: \"{raw}\" names neither {{name}} nor {{id}}; e.g. \"https://{{name}}.mytalkdesk.com\""
            ));
        }
        let template = AccountUrl(raw.to_owned());
        match template.fill("example", "example") {
            Ok(_) => Ok(template),
            Err(_) => Err(format!(
                "{key}: \"{raw}\" is not an http(s) URL once {{name}} and {{id}} are filled in"
            )),
        }
    }

    /// The URL of the account called `name` with id `id`. Values are put in as they are,
    /// so each must be plain URL text (letters, digits, `-`, `_`, `.`, `~`).
    pub fn fill(&self, name: &str, id: &str) -> Result<Url, String> {
        for (what, value) in [("name", name), ("id", id)] {
            let plain = !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c));
            if self.0.contains(&format!("{{{what}}}")) && !plain {
                return Err(format!(
                    "the account {what} \"{value}\" cannot be put into a URL"
                ));
            }
        }
        let text = self.0.replace("{name}", name).replace("{id}", id);
        let url = Url::parse(&text).map_err(|e| format!("\"{text}\" is not a URL: {e}"))?;
        match url.scheme() {
            "http" | "https" if url.host().is_some() => Ok(url),
            _ => Err(format!("\"{text}\" is not an http(s) URL")),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_defaults_fill_the_account_name() {
        let url = AccountUrl::default_for(Region::Eu)
            .fill("acme", "a1")
            .unwrap();
        assert_eq!(url.as_str(), "https://acme.mytalkdesk.eu/");
        let url = AccountUrl::default_for(Region::Ca)
            .fill("acme", "a1")
            .unwrap();
        assert_eq!(url.as_str(), "https://acme.mytalkdeskca.com/");
    }

    #[test]
    fn a_template_needs_a_placeholder_and_http() {
        assert!(AccountUrl::parse("k", "https://example.com").is_err());
        let err = AccountUrl::parse("k", "ftp://{name}.example.com").unwrap_err();
        assert!(err.starts_with("k: "), "{err}");
        let ok = AccountUrl::parse("k", "https://admin.example.com/accounts/{id}").unwrap();
        let url = ok.fill("ignored name", "a-1").unwrap();
        assert_eq!(url.as_str(), "https://admin.example.com/accounts/a-1");
    }

    #[test]
    fn values_that_would_change_the_url_are_refused() {
        let t = AccountUrl::default_for(Region::Us);
        let err = t.fill("evil.com/x?", "a1").unwrap_err();
        assert!(err.contains("cannot be put into a URL"), "{err}");
        assert!(t.fill("", "a1").is_err());
    }
}
