//! Talkdesk regions and the URLs they imply.

use std::fmt;
use std::str::FromStr;

/// A Talkdesk region: decides the API base URL and the token host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Us,
    Eu,
    Ca,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::Ca];

    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::Ca => "ca",
        }
    }

    /// The currency a new trial in this region defaults to (ISO 4217).
    pub fn currency(self) -> &'static str {
        match self {
            Region::Us => "USD",
            Region::Eu => "EUR",
            Region::Ca => "CAD",
        }
    }

    /// The region's API base URL.
    pub fn api_base_url(self) -> &'static str {
        match self {
            Region::Us => "https://api.talkdeskapp.com",
            Region::Eu => "https://api.talkdeskapp.eu",
            Region::Ca => "https://api.talkdeskappca.com",
        }
    }

    /// The token URL of the Talkdesk account `account` in this region.
    pub fn token_url(self, account: &str) -> String {
        let host = match self {
            Region::Us => "talkdeskid.com",
            Region::Eu => "talkdeskid.eu",
            Region::Ca => "talkdeskidca.com",
        };
        format!("https://{account}.{host}/oauth/token")
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Region {
    type Err = ();

    /// Case-insensitive, surrounding blanks ignored.
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim();
        Region::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
            .ok_or(())
    }
}
