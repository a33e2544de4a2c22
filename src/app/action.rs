//! The contract action form in the app: opening it from the account view, sending the
//! confirmed request once as a spawned task, showing the result, and re-reading the
//! account's actions until the new one settles.

use std::time::{Duration, Instant};

use crate::api::model::ContractAction;
use crate::store::Update;
use crate::sync::SyncCommand;

use super::action_form::{ActionFocus, ActionForm};
use super::keys::Action;
use super::state::{App, Mode, Notice};
use super::trial_form::FormStatus;

/// First wait before re-reading a pending action; doubled up to [`WATCH_MAX`].
pub const WATCH_FIRST: Duration = Duration::from_secs(3);
pub const WATCH_MAX: Duration = Duration::from_secs(60);

/// An account whose new contract action is re-read until it leaves CREATED/IN_PROGRESS.
#[derive(Debug, Clone)]
pub(super) struct Watch {
    pub org: usize,
    pub account_id: String,
    /// The created action: watched until a read lists it settled.
    pub action_id: String,
    pub next: Instant,
    pub every: Duration,
}

impl App {
    /// `a` in the account view: the form for that account (refused when read-only).
    pub(super) fn open_action_form(&mut self) {
        let Mode::Account(view) = &self.mode else {
            return;
        };
        let view = view.clone();
        if self.refuse_write(view.org) {
            return;
        }
        self.mode = Mode::Action(Box::new(ActionForm::new(view)));
    }

    /// The open contract action form, if any.
    pub fn action_form(&self) -> Option<&ActionForm> {
        match &self.mode {
            Mode::Action(form) => Some(form),
            _ => None,
        }
    }

    /// Carries out an action while the form has the keyboard.
    pub(super) fn action_form_action(&mut self, action: Action) {
        let Mode::Action(form) = &mut self.mode else {
            return;
        };
        if form.confirming {
            match action {
                Action::Send => self.send_action(),
                Action::Back => form.confirming = false,
                Action::Quit => self.quit = true,
                _ => {}
            }
            return;
        }
        match action {
            Action::Input(c) => form.input(c),
            Action::DeleteChar => form.delete(),
            Action::ClearInput => form.clear(),
            Action::NextField => form.move_focus(1),
            Action::PrevField => form.move_focus(-1),
            Action::Cycle(delta) if form.focus == ActionFocus::Type => {
                form.cycle_type(isize::from(delta))
            }
            Action::Submit => form.review(),
            Action::FormEnter => match form.focus {
                ActionFocus::Submit => form.review(),
                _ => form.move_focus(1),
            },
            Action::Back => {
                let view = form.view.clone();
                self.mode = Mode::Account(view);
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
    }

    /// Sends the confirmed request, once: a request in flight makes this a no-op.
    fn send_action(&mut self) {
        let (org, account_id, request) = match &self.mode {
            Mode::Action(form) if form.pending.is_none() => {
                (form.org(), form.account_id().to_owned(), form.request())
            }
            _ => return,
        };
        let writer = self.writer(org);
        let number = self.next_request();
        let Mode::Action(form) = &mut self.mode else {
            return;
        };
        let request = match request {
            Ok(request) => request,
            Err(_) => {
                form.confirming = false;
                form.review();
                return;
            }
        };
        let (client, sender) = match writer {
            Ok(writer) => writer,
            Err(why) => {
                form.failed(why);
                return;
            }
        };
        form.pending = Some(number);
        form.status = Some(FormStatus {
            text: format!(
                "Sending the {}…",
                request.action_type.label().to_lowercase()
            ),
            error: false,
        });
        tokio::spawn(async move {
            let result = client
                .create_contract_action(&account_id, &request)
                .await
                .map_err(|e| e.to_string());
            let _ = sender
                .send(Update::ContractActionCreated {
                    org,
                    account_id,
                    request: number,
                    result,
                })
                .await;
        });
    }

    /// A creation's result: on success the form closes back to the account view (the
    /// action is listed at once) and the account is watched; on failure the form that
    /// sent it shows the server's message and keeps its input.
    pub(super) fn action_result(
        &mut self,
        org: usize,
        account_id: &str,
        request: u64,
        result: &Result<ContractAction, String>,
    ) {
        let open = matches!(&self.mode, Mode::Action(f) if f.pending == Some(request));
        match result {
            Ok(action) => {
                if open {
                    if let Mode::Action(form) = &self.mode {
                        self.mode = Mode::Account(form.view.clone());
                    }
                }
                self.set_notice(Notice::info(
                    format!(
                        "{} created for account {account_id}: {} (re-read until it completes)",
                        action.action_type.label(),
                        action.status.as_str()
                    ),
                    self.now,
                ));
                self.watch(org, account_id, &action.id);
            }
            Err(message) => match &mut self.mode {
                Mode::Action(form) if open => form.failed(message.clone()),
                _ => self.set_notice(Notice::error(
                    format!("Contract action not created for account {account_id}: {message}"),
                    self.now,
                )),
            },
        }
    }

    /// Re-reads the account's actions from [`WATCH_FIRST`] on until `action_id` settles.
    fn watch(&mut self, org: usize, account_id: &str, action_id: &str) {
        self.watching
            .retain(|w| !(w.org == org && w.account_id == account_id));
        self.watching.push(Watch {
            org,
            account_id: account_id.to_owned(),
            action_id: action_id.to_owned(),
            next: Instant::now() + WATCH_FIRST,
            every: WATCH_FIRST,
        });
    }

    /// A read of `account_id`'s actions arrived: stop watching once it lists the watched
    /// action settled (a read that began before the creation may not list it yet).
    pub(super) fn watched_read(
        &mut self,
        org: usize,
        account_id: &str,
        actions: &[ContractAction],
    ) {
        self.watching.retain(|w| {
            w.org != org
                || w.account_id != account_id
                || !actions
                    .iter()
                    .any(|a| a.id == w.action_id && !a.status.is_pending())
        });
    }

    /// Whether `account_id`'s new contract action is still being re-read.
    pub fn is_watched(&self, org: usize, account_id: &str) -> bool {
        self.watching
            .iter()
            .any(|w| w.org == org && w.account_id == account_id)
    }

    /// When the next watched account is due.
    pub(super) fn next_watch(&self) -> Option<Instant> {
        self.watching.iter().map(|w| w.next).min()
    }

    /// Asks for the due watched accounts' actions again, backing off each time.
    pub(super) fn fire_watches(&mut self, now: Instant) {
        for w in &mut self.watching {
            if w.next <= now {
                self.commands.send(
                    w.org,
                    SyncCommand::OpenAccount {
                        account_id: w.account_id.clone(),
                    },
                );
                w.every = (w.every * 2).min(WATCH_MAX);
                w.next = now + w.every;
            }
        }
    }
}
