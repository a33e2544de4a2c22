//! Misbehaviour of API routes: latency, scripted answers, random 503/429/garbage.

use axum::http::StatusCode;
use axum::response::Response;
use rand::Rng;

use super::state::{Shared, Stats, lock};
use super::wire;
use super::{Faults, ScriptedFault};

/// What to do with an API request before serving it.
enum Verdict {
    Serve,
    Fault(ScriptedFault),
}

/// Counts the request, waits the configured latency, and answers a scripted or random
/// fault instead of the real answer when one is due.
pub async fn before_api(shared: &Shared) -> Result<(), Response> {
    Stats::bump(&shared.stats.api_requests);
    let (latency, verdict) = {
        let mut knobs = lock(&shared.knobs);
        let latency = knobs.faults.latency;
        let verdict = match knobs.script.pop_front() {
            Some(fault) => Verdict::Fault(fault),
            None => {
                let faults: Faults = knobs.faults.clone();
                let roll: f64 = knobs.rng.random();
                random_fault(&faults, roll)
            }
        };
        (latency, verdict)
    };
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match verdict {
        Verdict::Serve => Ok(()),
        Verdict::Fault(fault) => Err(answer(shared, &fault)),
    }
}

/// One roll decides among the rates, laid end to end on [0, 1).
fn random_fault(f: &Faults, roll: f64) -> Verdict {
    let mut edge = f.server_error_rate.clamp(0.0, 1.0);
    if roll < edge {
        return Verdict::Fault(ScriptedFault::Status(503));
    }
    edge += f.throttle_rate.clamp(0.0, 1.0);
    if roll < edge {
        return Verdict::Fault(ScriptedFault::TooManyRequests {
            retry_after_secs: 1,
        });
    }
    edge += f.malformed_rate.clamp(0.0, 1.0);
    if roll < edge {
        return Verdict::Fault(ScriptedFault::Malformed);
    }
    Verdict::Serve
}

fn answer(shared: &Shared, fault: &ScriptedFault) -> Response {
    match fault {
        ScriptedFault::Malformed => wire::malformed(),
        ScriptedFault::TooManyRequests { retry_after_secs } => {
            Stats::bump(&shared.stats.throttled);
            wire::too_many(*retry_after_secs)
        }
        ScriptedFault::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match status {
                StatusCode::TOO_MANY_REQUESTS => {
                    Stats::bump(&shared.stats.throttled);
                    wire::too_many(1)
                }
                StatusCode::UNAUTHORIZED => {
                    Stats::bump(&shared.stats.unauthorized);
                    wire::error(status, "Unauthorized", Some("Scripted 401.".to_owned()))
                }
                _ => {
                    let message = status.canonical_reason().unwrap_or("Error");
                    wire::error(status, message, Some(format!("Simulated {code} answer.")))
                }
            }
        }
    }
}
