//! Delivering queued events: one task, in order, with retries and seeded duplicates.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::{ATTEMPTS, Counters, Delivery, KEY_ID, bump};

/// Delivers queued events in order until every sender is gone.
pub async fn deliver(mut queue: mpsc::Receiver<Delivery>, counters: Arc<Counters>) {
    let mut client: Option<reqwest::Client> = None;
    while let Some(delivery) = queue.recv().await {
        let http = match &client {
            Some(c) => c.clone(),
            None => {
                crate::api::install_crypto_provider();
                let built = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(Duration::from_secs(5))
                    .build();
                match built {
                    Ok(c) => client.insert(c).clone(),
                    Err(e) => {
                        tracing::warn!("simulator: no HTTP client for events: {e}");
                        bump(&counters.failed);
                        continue;
                    }
                }
            }
        };
        if !post(&http, &delivery, &counters).await {
            bump(&counters.failed);
            tracing::warn!(
                "simulator: event {} not delivered to {}",
                delivery.id,
                delivery.url
            );
        } else if delivery.duplicate && post(&http, &delivery, &counters).await {
            bump(&counters.duplicates);
        }
    }
}

/// POSTs one delivery, retrying connection failures, 408, 429 and 5xx with backoff.
async fn post(http: &reqwest::Client, d: &Delivery, counters: &Counters) -> bool {
    let mut backoff = Duration::from_millis(100);
    for attempt in 1..=ATTEMPTS {
        let sent = http
            .post(d.url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(crate::events::SIGNATURE_HEADER, &d.signature)
            .header(crate::events::KEY_ID_HEADER, KEY_ID)
            .body(d.body.clone())
            .send()
            .await;
        let retry = match sent {
            Ok(r) if r.status().is_success() => {
                bump(&counters.delivered);
                return true;
            }
            Ok(r) => {
                let s = r.status();
                tracing::debug!("simulator: event {} answered {s}", d.id);
                s.is_server_error() || s.as_u16() == 408 || s.as_u16() == 429
            }
            Err(e) => {
                tracing::debug!("simulator: event {} not sent: {e}", d.id);
                true
            }
        };
        if !retry || attempt == ATTEMPTS {
            break;
        }
        tokio::time::sleep(backoff).await;
        backoff *= 2;
    }
    false
}
