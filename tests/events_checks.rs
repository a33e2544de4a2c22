//! Receiver checks over loopback: trial events need a usable `account_id` (400
//! otherwise), high-S signatures are normalized, and Content-Type is ignored.

mod events_support;

use events_support::*;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use reqwest::StatusCode;
use serde_json::json;
use tdbi::events::EventsServer;
use tdbi::events::verify::encode_signature;

fn trial(id: &str, kind: &str, account_id: serde_json::Value) -> Vec<u8> {
    let data = json!({"account_id": account_id, "expires_at": "2030-01-01T00:00:00Z"});
    json!({"id": id, "type": kind, "data": data})
        .to_string()
        .into_bytes()
}

#[tokio::test]
async fn trial_events_without_a_usable_account_id_get_400() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, _rx) = EventsServer::start(&config).await.expect("starts");
    let kinds = [
        "app.trial_started",
        "app.trial_extended",
        "app.trial_ended",
        "APP.TRIAL_ENDED",
        "app.trial_started ",
    ];
    let accounts = [
        json!(null),
        json!(""),
        json!("   "),
        json!("\u{200b}"),
        json!("\u{0}"),
        json!("a\u{0}b"),
        json!(12),
    ];
    let mut n = 0;
    for kind in kinds {
        for account in &accounts {
            n += 1;
            let body = trial(&format!("e{n}"), kind, account.clone());
            let sig = sign_der(&key, &body);
            let (status, answer) = post(&server.url(), body, Some(&sig), Some("k1")).await;
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{kind} {account}: {answer}"
            );
        }
        // Without `data` at all.
        n += 1;
        let body = json!({"id": format!("e{n}"), "type": kind}).to_string();
        let sig = sign_der(&key, body.as_bytes());
        let (status, _) = post(&server.url(), body.into_bytes(), Some(&sig), Some("k1")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{kind} without data");
    }
    assert!(journal_bytes(&config).is_empty());
    let body = trial("ok", "APP.Trial_Ended", json!("573491d5df012e3242001b52"));
    let sig = sign_der(&key, &body);
    let (status, answer) = post(&server.url(), body, Some(&sig), Some("k1")).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (StatusCode::OK, Some("accepted"))
    );
    server.shutdown().await;
}

/// The other signature of the same message: `s` replaced by `n - s`.
fn flipped(sig: &Signature) -> Signature {
    let (r, s) = sig.split_scalars();
    Signature::from_scalars(r, -*s).expect("a valid signature")
}

#[tokio::test]
async fn high_s_signatures_are_normalized_and_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, _rx) = EventsServer::start(&config).await.expect("starts");
    for (n, raw) in [false, true].into_iter().enumerate() {
        let body = trial_ended(&format!("hs{n}"));
        let sig: Signature = key.sign(&body);
        let high = if sig.normalize_s().is_some() {
            sig
        } else {
            flipped(&sig)
        };
        assert!(high.normalize_s().is_some(), "not a high-S signature");
        let encoded = match raw {
            true => encode_signature(&high.to_bytes()),
            false => encode_signature(high.to_der().as_bytes()),
        };
        let (status, answer) = post(&server.url(), body, Some(&encoded), Some("k1")).await;
        assert_eq!(
            (status, answer["status"].as_str()),
            (StatusCode::OK, Some("accepted"))
        );
    }
    // A high-S signature by another key is still a mismatch.
    let other = SigningKey::from_slice(&[3u8; 32]).expect("scalar");
    let body = trial_ended("hs-wrong");
    let sig: Signature = other.sign(&body);
    let encoded = encode_signature(&flipped(&sig).to_bytes());
    let (status, _) = post(&server.url(), body, Some(&encoded), Some("k1")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    server.shutdown().await;
}

#[tokio::test]
async fn content_type_is_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, _rx) = EventsServer::start(&config).await.expect("starts");
    let types = [
        None,
        Some("application/json"),
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/json; charset=latin1"),
        Some("\u{1}bogus"),
    ];
    for (n, content_type) in types.into_iter().enumerate() {
        let body = trial_ended(&format!("ct{n}"));
        let sig = sign_der(&key, &body);
        let mut request = http()
            .post(server.url())
            .header("X-Hub-Ecdsa-Signature", sig)
            .header("X-Hub-Ecdsa-Signature-Id", "k1")
            .body(body);
        if let Some(value) = content_type {
            if let Ok(value) = reqwest::header::HeaderValue::from_bytes(value.as_bytes()) {
                request = request.header("content-type", value);
            }
        }
        let response = request.send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::OK, "{content_type:?}");
    }
    server.shutdown().await;
}
