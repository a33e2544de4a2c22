//! The webhook receiver over loopback: verification, size and envelope checks, dedup and
//! the journal across restarts.

mod events_support;

use events_support::*;
use reqwest::StatusCode;
use tdbi::events::{EndedBy, EndedReason, EventKind, EventsServer};
use tokio::sync::broadcast::error::TryRecvError;

#[tokio::test]
async fn valid_signatures_are_accepted_der_and_raw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, mut rx) = EventsServer::start(&config).await.expect("starts");
    let url = server.url();

    let body = trial_ended("e-der");
    let (status, answer) = post(&url, body.clone(), Some(&sign_der(&key, &body)), Some("k1")).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (StatusCode::OK, Some("accepted"))
    );
    let got = next(&mut rx).await;
    assert!(got.verified);
    assert_eq!(got.key_id.as_deref(), Some("k1"));
    assert_eq!(got.event.id, "e-der");
    let EventKind::TrialEnded(ended) = &got.event.kind else {
        panic!("{:?}", got.event.kind);
    };
    assert_eq!(ended.account_id, "573491d5df012e3242001b52");
    assert_eq!(ended.ended_reason, Some(EndedReason::TrialExpired));
    assert_eq!(ended.ended_by, Some(EndedBy::System));

    let body = trial_ended("e-raw");
    let (status, _) = post(&url, body.clone(), Some(&sign_raw(&key, &body)), Some("k1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(next(&mut rx).await.event.id, "e-raw");
    let journal = String::from_utf8(journal_bytes(&config)).expect("UTF-8");
    assert_eq!(journal.lines().count(), 2, "{journal}");
    server.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_get_401_and_nothing_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, mut rx) = EventsServer::start(&config).await.expect("starts");
    let url = server.url();
    let body = trial_ended("e1");
    let good = sign_der(&key, &body);
    let mut tampered = body.clone();
    let at = tampered.len() - 3;
    tampered[at] ^= 1;
    let cases = [
        (
            "wrong key",
            body.clone(),
            Some(sign_der(&signing_key(2), &body)),
            Some("k1"),
        ),
        ("tampered body", tampered, Some(good.clone()), Some("k1")),
        ("missing signature", body.clone(), None, Some("k1")),
        ("missing key id", body.clone(), Some(good.clone()), None),
        (
            "unknown key id",
            body.clone(),
            Some(good.clone()),
            Some("k9"),
        ),
        (
            "not base64",
            body.clone(),
            Some("***".to_owned()),
            Some("k1"),
        ),
    ];
    let before = journal_bytes(&config);
    let mut reasons = Vec::new();
    for (case, body, sig, id) in cases {
        let (status, answer) = post(&url, body, sig.as_deref(), id).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{case}");
        reasons.push(answer["reason"].as_str().unwrap_or_default().to_owned());
    }
    reasons.sort();
    reasons.dedup();
    assert_eq!(reasons.len(), 5, "each fault its own reason: {reasons:?}");
    assert_eq!(journal_bytes(&config), before);
    assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
    server.shutdown().await;
}

#[tokio::test]
async fn a_duplicate_id_is_stored_and_announced_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, mut rx) = EventsServer::start(&config).await.expect("starts");
    let body = trial_ended("same");
    let sig = sign_der(&key, &body);
    let first = post(&server.url(), body.clone(), Some(&sig), Some("k1")).await;
    let second = post(&server.url(), body, Some(&sig), Some("k1")).await;
    assert_eq!(first.1["status"], "accepted");
    assert_eq!(
        (second.0, second.1["status"].as_str()),
        (StatusCode::OK, Some("duplicate"))
    );
    assert_eq!(next(&mut rx).await.event.id, "same");
    assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
    let journal = String::from_utf8(journal_bytes(&config)).expect("UTF-8");
    assert_eq!(journal.lines().count(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn the_journal_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let body = trial_ended("kept");
    let sig = sign_der(&key, &body);
    let (server, _rx) = EventsServer::start(&config).await.expect("starts");
    let (status, _) = post(&server.url(), body.clone(), Some(&sig), Some("k1")).await;
    assert_eq!(status, StatusCode::OK);
    server.shutdown().await;

    let (server, mut rx) = EventsServer::start(&config).await.expect("restarts");
    let loaded: Vec<&str> = server
        .loaded()
        .iter()
        .map(|e| e.event.id.as_str())
        .collect();
    assert_eq!(loaded, ["kept"]);
    assert!(server.loaded()[0].verified);
    let (status, answer) = post(&server.url(), body, Some(&sig), Some("k1")).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (StatusCode::OK, Some("duplicate"))
    );
    assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
    server.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_get_413_and_garbage_gets_400() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, _rx) = EventsServer::start(&config).await.expect("starts");
    let big = vec![b'x'; 1024 * 1024];
    let sig = sign_der(&key, &big);
    let (status, _) = post(&server.url(), big, Some(&sig), Some("k1")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    for garbage in [
        &b"garbage"[..],
        br#"{"id":"x","type":"user.created"}"#,
        b"[]",
    ] {
        let sig = sign_der(&key, garbage);
        let (status, answer) = post(&server.url(), garbage.to_vec(), Some(&sig), Some("k1")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(answer["status"], "rejected");
    }
    assert!(journal_bytes(&config).is_empty());
    // Only POST, only at the configured path.
    let get = http().get(server.url()).send().await.expect("answered");
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    let elsewhere = format!("http://{}/other", server.local_addr());
    let (status, _) = post(&elsewhere, trial_ended("e"), None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.shutdown().await;
}

#[tokio::test]
async fn verify_off_accepts_unsigned_marked_unverified_but_checks_signatures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), false, vec![event_key("k1", &key)]);
    let (server, mut rx) = EventsServer::start(&config).await.expect("starts");
    let (status, _) = post(&server.url(), trial_ended("unsigned"), None, None).await;
    assert_eq!(status, StatusCode::OK);
    let got = next(&mut rx).await;
    assert_eq!(
        (got.event.id.as_str(), got.verified, got.key_id),
        ("unsigned", false, None)
    );

    let body = trial_ended("forged");
    let forged = sign_der(&signing_key(2), &body);
    let (status, _) = post(&server.url(), body, Some(&forged), Some("k1")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let body = trial_ended("signed");
    let (status, _) = post(
        &server.url(),
        body.clone(),
        Some(&sign_der(&key, &body)),
        Some("k1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(next(&mut rx).await.verified);
    server.shutdown().await;
}
