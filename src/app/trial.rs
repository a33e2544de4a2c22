//! The trial form in the app: opening it for an organization, keeping the draft, and
//! sending the request as a spawned task that reports back through the updates channel.

use crate::api::model::{Account, AccountStatus, FieldError};
use crate::api::{ApiError, Client};
use crate::store::{TrialFailure, Update};
use crate::sync::{OrgSource, SyncCommand};

use super::keys::Action;
use super::listing::Scope;
use super::state::{App, Mode, Notice, Picker};
use super::trial_form::{Focus, FormStatus, TrialForm};

impl App {
    /// Gives the app a client per organization (or why there is none) to provision
    /// trials with, and the updates channel that spawned work reports back through
    /// (held weakly, so the app never keeps the channel open).
    pub fn connect(
        &mut self,
        clients: Vec<OrgSource>,
        updates: &tokio::sync::mpsc::Sender<Update>,
    ) {
        self.clients = clients;
        self.updates = Some(updates.downgrade());
    }

    /// Gives the app each organization's region (in configuration order): a new trial
    /// form's currency defaults from it.
    pub fn set_regions(&mut self, regions: Vec<crate::config::Region>) {
        self.regions = regions;
    }

    /// `n`: the form for the current organization; on the All tab, for the selected
    /// row's organization, or the organization picker asks which.
    pub(super) fn open_trial_form(&mut self) {
        let org = match self.listing().scope() {
            Scope::Org(org) => Some(org),
            Scope::All | Scope::View(_) => self.listing().selected_id().map(|(org, _)| org),
        };
        match org {
            Some(org) => self.open_trial_form_for(org),
            None => {
                let mut picker = Picker {
                    query: String::new(),
                    matches: Vec::new(),
                    selected: 0,
                    for_trial: true,
                };
                self.filter_picker(&mut picker);
                self.mode = Mode::Picker(picker);
            }
        }
    }

    /// Opens the form for `org`, with its kept draft if there is one.
    pub fn open_trial_form_for(&mut self, org: usize) {
        if org >= self.store.orgs.len() || self.refuse_write(org) {
            return;
        }
        let region = self.regions.get(org).copied();
        let form = self.drafts.remove(&org).unwrap_or_else(|| {
            let form = TrialForm::new(org);
            match region {
                Some(region) => form.with_currency(region.currency()),
                None => form,
            }
        });
        self.mode = Mode::Trial(Box::new(form));
    }

    /// The open form, if any.
    pub fn trial_form(&self) -> Option<&TrialForm> {
        match &self.mode {
            Mode::Trial(form) => Some(form),
            _ => None,
        }
    }

    /// Carries out an action while the form has the keyboard.
    pub(super) fn form_action(&mut self, action: Action) {
        let Mode::Trial(form) = &mut self.mode else {
            return;
        };
        if form.confirming {
            match action {
                Action::Send => self.send_trial(),
                Action::Back => form.confirming = false,
                Action::Quit => self.quit = true,
                _ => {}
            }
            return;
        }
        match action {
            Action::Input(c) => form.input(c),
            Action::Edit(request) => form.edit_text(request),
            Action::DeleteChar => form.delete(),
            Action::ClearInput => form.clear(),
            Action::NextField => form.move_focus(1),
            Action::PrevField => form.move_focus(-1),
            Action::Space => form.space(),
            Action::Complete => form.arrow(1),
            Action::PrevChoice => form.arrow(-1),
            Action::SuggestNext => form.suggest(1),
            Action::SuggestPrev => form.suggest(-1),
            Action::Submit => form.review(),
            Action::FormEnter => match form.focus {
                Focus::Submit => form.review(),
                Focus::Field(crate::trial::Field::CurrencyIsoCode)
                    if crate::trial::validate_field(
                        crate::trial::Field::CurrencyIsoCode,
                        &form.draft.currency_iso_code,
                    )
                    .is_err() =>
                {
                    form.complete();
                    form.move_focus(1);
                }
                _ => form.move_focus(1),
            },
            Action::Back => self.close_trial_form(),
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    /// Esc: the form closes and its draft is kept for `n` to reopen.
    fn close_trial_form(&mut self) {
        let Mode::Trial(form) = std::mem::replace(&mut self.mode, Mode::Table) else {
            return;
        };
        let org = form.org;
        self.drafts.insert(org, *form);
        self.set_notice(Notice::info(
            "Trial draft kept: n reopens it".to_owned(),
            self.now,
        ));
    }

    /// Sends the confirmed request, once: a request in flight makes this a no-op.
    fn send_trial(&mut self) {
        let org = match &self.mode {
            Mode::Trial(form) if form.pending.is_none() => form.org,
            _ => return,
        };
        let writer = self.writer(org);
        let number = self.next_request();
        let Mode::Trial(form) = &mut self.mode else {
            return;
        };
        let Some(request) = form.request() else {
            form.confirming = false;
            form.review();
            return;
        };
        let (client, sender) = match writer {
            Ok(writer) => writer,
            Err(why) => {
                form.confirming = false;
                form.status = Some(FormStatus {
                    text: why,
                    error: true,
                });
                return;
            }
        };
        form.pending = Some(number);
        form.confirming = false;
        form.status = Some(FormStatus {
            text: format!("Sending the request for {}…", request.account_name),
            error: false,
        });
        let org = form.org;
        let company = request.company_name.clone();
        tokio::spawn(async move {
            let result = provision(&client, &request, company).await;
            let _ = sender
                .send(Update::TrialProvisioned {
                    org,
                    request: number,
                    result,
                })
                .await;
        });
    }

    /// A provisioning result: the form that sent it closes on success (the account is
    /// shown at once, a refresh confirms it) or shows the faults.
    pub(super) fn trial_result(
        &mut self,
        org: usize,
        request: u64,
        result: &Result<Account, TrialFailure>,
    ) {
        let org_name = self.org(org).map_or(String::new(), |o| o.name.clone());
        let open = matches!(&self.mode, Mode::Trial(f) if f.pending == Some(request));
        match result {
            Ok(account) => {
                if open {
                    self.mode = Mode::Table;
                }
                self.drafts.retain(|_, f| f.pending != Some(request));
                self.set_notice(Notice::info(
                    format!(
                        "Trial {} created in {org_name}: id {} (IN_TRIAL; the next sync confirms it)",
                        account.name, account.id
                    ),
                    self.now,
                ));
                self.commands.send(org, SyncCommand::Refresh);
                self.pending_select = Some((org, account.id.to_string()));
            }
            Err(failure) => {
                let form = match &mut self.mode {
                    Mode::Trial(f) if f.pending == Some(request) => Some(f.as_mut()),
                    _ => self
                        .drafts
                        .values_mut()
                        .find(|f| f.pending == Some(request)),
                };
                if let Some(form) = form {
                    form.failed(failure.clone());
                }
                if !open {
                    self.set_notice(Notice::error(
                        format!(
                            "Trial not created in {org_name}: {} (n reopens the form)",
                            failure.message
                        ),
                        self.now,
                    ));
                }
            }
        }
    }
}

/// Sends the request; on success the account as the table shows it until the next sync.
async fn provision(
    client: &Client,
    request: &crate::api::model::TrialRequest,
    company_name: String,
) -> Result<Account, TrialFailure> {
    match client.provision_trial(request).await {
        Ok(created) => Ok(Account {
            name: if created.name.is_empty() {
                request.account_name.as_str().into()
            } else {
                created.name.into()
            },
            id: created.id.into(),
            company_name: company_name.into(),
            status: AccountStatus::from_raw("IN_TRIAL"),
        }),
        Err(error) => Err(failure(&error)),
    }
}

/// The form's view of an error. A 409 without fields is taken as the account name being
/// taken: the reference is **unspecified** about conflicts, and the name is the only
/// field that must be unique.
fn failure(error: &ApiError) -> TrialFailure {
    let mut fields = error.fields().to_vec();
    if fields.is_empty() && error.status() == Some(409) {
        let why = match error {
            ApiError::Api {
                body: Some(body), ..
            } => body
                .description
                .clone()
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| body.message.clone()),
            _ => "is already taken".to_owned(),
        };
        fields.push(FieldError::new("account_name", why));
    }
    TrialFailure {
        message: error.to_string(),
        fields,
    }
}
