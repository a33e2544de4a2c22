//! Whatever the receiver acknowledges reloads from the journal: the most deeply nested
//! event it accepts survives a restart and a repeat delivery is a duplicate.

mod events_support;

use events_support::*;
use reqwest::StatusCode;
use tdbi::events::EventsServer;

/// An `app.installed` event whose `data` is `depth` nested arrays.
fn nested(id: &str, depth: usize) -> Vec<u8> {
    let data = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    format!(r#"{{"id":"{id}","type":"app.installed","data":{data}}}"#).into_bytes()
}

#[tokio::test]
async fn the_deepest_accepted_event_reloads_and_dedupes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = signing_key(1);
    let config = config(dir.path(), true, vec![event_key("k1", &key)]);
    let (server, _rx) = EventsServer::start(&config).await.expect("starts");
    // Bisects the deepest accepted nesting; every accepted probe is journaled.
    let (mut accepted, mut refused) = (Vec::new(), 200);
    let (mut low, mut high) = (1, 200);
    while low <= high {
        let depth = (low + high) / 2;
        let body = nested(&format!("deep-{depth}"), depth);
        let sig = sign_der(&key, &body);
        let (status, answer) = post(&server.url(), body, Some(&sig), Some("k1")).await;
        if status == StatusCode::OK {
            assert_eq!(answer["status"], "accepted", "depth {depth}");
            accepted.push(depth);
            low = depth + 1;
        } else {
            assert!(
                matches!(
                    status,
                    StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE
                ),
                "depth {depth}: {status} {answer}"
            );
            refused = refused.min(depth);
            high = depth - 1;
        }
    }
    let deepest = accepted.iter().copied().max().expect("some depth accepted");
    assert_eq!(deepest + 1, refused, "no clear nesting limit");
    server.shutdown().await;

    let (server, mut rx) = EventsServer::start(&config).await.expect("restarts");
    assert_eq!(server.skipped_lines(), 0, "a journal line did not reload");
    let mut loaded: Vec<String> = server.loaded().iter().map(|e| e.event.id.clone()).collect();
    let mut want: Vec<String> = accepted.iter().map(|d| format!("deep-{d}")).collect();
    loaded.sort_unstable();
    want.sort_unstable();
    assert_eq!(loaded, want);
    let body = nested(&format!("deep-{deepest}"), deepest);
    let sig = sign_der(&key, &body);
    let (status, answer) = post(&server.url(), body, Some(&sig), Some("k1")).await;
    assert_eq!(
        (status, answer["status"].as_str()),
        (StatusCode::OK, Some("duplicate"))
    );
    assert!(rx.try_recv().is_err(), "announced again as new");
    server.shutdown().await;
}
