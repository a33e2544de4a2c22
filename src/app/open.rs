//! `O`: opens the selected account (or the one the account view shows) in the browser,
//! at its organization's `account_url`.

use crate::config::AccountUrl;

use super::{App, Mode, Notice};

/// Hands a URL to the platform's opener (`xdg-open`, `open`, `start`); replaced in tests.
pub type Opener = Box<dyn FnMut(&str) -> std::io::Result<()> + Send>;

/// The platform's opener, detached so the browser outlives nothing of ours.
pub fn system_opener() -> Opener {
    Box::new(|url| open::that_detached(url))
}

impl App {
    /// Each organization's URL template, in configuration order.
    pub fn set_account_urls(&mut self, urls: Vec<AccountUrl>) {
        self.account_urls = urls;
    }

    pub fn set_opener(&mut self, opener: Opener) {
        self.opener = Some(opener);
    }

    pub(super) fn open_in_browser(&mut self) {
        let target = match &self.mode {
            Mode::Account(view) => Some((view.org, view.id.clone())),
            _ => self
                .listing()
                .selected_id()
                .map(|(org, id)| (org, id.to_owned())),
        };
        let Some((org, id)) = target else {
            return self.set_notice(Notice::error(
                "no account selected to open".into(),
                self.now,
            ));
        };
        let name = self
            .store
            .orgs
            .get(org)
            .and_then(|o| o.account(&id))
            .map(|a| a.name.clone());
        let notice = match (self.account_urls.get(org), name) {
            (None, _) => Notice::error(
                "no account URL is configured for this organization".into(),
                self.now,
            ),
            (_, None) => Notice::error(format!("account {id} is not listed (any more)"), self.now),
            (Some(template), Some(name)) => match template.fill(&name, &id) {
                Err(e) => Notice::error(format!("cannot open account {id}: {e}"), self.now),
                Ok(url) => match self.opener.as_mut().map(|open| open(url.as_str())) {
                    Some(Ok(())) => Notice::info(format!("opened {url}"), self.now),
                    Some(Err(e)) => Notice::error(format!("cannot open {url}: {e}"), self.now),
                    None => Notice::error(
                        format!("no browser opener here; the URL is {url}"),
                        self.now,
                    ),
                },
            },
        };
        self.set_notice(notice);
    }
}
