//! `tdbi events listen`: the webhook receiver, headless; one JSON line per new event.

use std::io::Write;

use tokio::sync::broadcast::error::RecvError;

use crate::config::Config;
use crate::events::{EventsServer, StoredEvent};

use super::args::{EventsArgs, EventsCommand, ListenArgs};
use super::error::CliError;

pub async fn run(config: &Config, args: &EventsArgs, out: &mut impl Write) -> Result<(), CliError> {
    match &args.command {
        EventsCommand::Listen(listen_args) => listen(config, listen_args, out).await,
    }
}

async fn listen(config: &Config, args: &ListenArgs, out: &mut impl Write) -> Result<(), CliError> {
    let Some(events) = &config.events else {
        return Err(CliError::Usage(format!(
            "{}: no [events] section; add one with listen = \"127.0.0.1:8787\" and the signing keys (see config.example.toml)",
            config.path.display()
        )));
    };
    let (handle, mut receiver) = EventsServer::start(events)
        .await
        .map_err(|e| CliError::Io(e.to_string()))?;
    eprintln!(
        "tdbi: listening for events on {} (journal {}, {} event(s) in it{}); Ctrl-C stops",
        handle.url(),
        events.journal.display(),
        handle.loaded().len(),
        if events.verify {
            ""
        } else {
            "; unsigned events accepted"
        },
    );
    if args.replay {
        for event in handle.loaded() {
            print_line(out, event)?;
        }
    }
    let result = loop {
        tokio::select! {
            signal = tokio::signal::ctrl_c() => {
                break signal.map_err(|e| CliError::Io(format!("waiting for Ctrl-C: {e}")));
            }
            received = receiver.recv() => match received {
                Ok(event) => {
                    if let Err(e) = print_line(out, &event) {
                        break Err(e);
                    }
                }
                Err(RecvError::Lagged(missed)) => eprintln!(
                    "tdbi: warning: {missed} event(s) not printed (output too slow); they are in the journal"
                ),
                Err(RecvError::Closed) => break Ok(()),
            },
        }
    };
    handle.shutdown().await;
    result
}

fn print_line(out: &mut impl Write, event: &StoredEvent) -> Result<(), CliError> {
    let line = serde_json::to_string(event)
        .map_err(|e| CliError::Io(format!("encoding an event: {e}")))?;
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}
