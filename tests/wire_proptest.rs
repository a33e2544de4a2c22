//! Property tests of the wire decoders: arbitrary and mutated page, token, error and
//! event bodies never panic a decoder, what decodes keeps its invariants, and a listing
//! made of pages that parse is either complete or an error.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use tdbi::api::decode;
use tdbi::api::{ApiError, Client, ClientOptions, OrgEndpoint};
use tdbi::events::{Event, StoredEvent};

/// Numbers that break naive code: zero, negatives, limits, floats.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0u64..60).prop_map(Value::from),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(u32::MAX)),
        Just(json!(-1)),
        Just(json!(1e300)),
        Just(json!(-0.5)),
        Just(json!(3599.9)),
        any::<i64>().prop_map(Value::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("id".to_owned()),
        Just("accounts".to_owned()),
        Just("app.trial_ended".to_owned()),
        Just("2030-01-01T00:00:00Z".to_owned()),
        Just("/express/accounts?page=2".to_owned()),
        Just("http://evil.example/x".to_owned()),
        Just("\u{200b}é\u{0}\n\r\t".to_owned()),
        "\\PC{0,12}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A value that is usually right for its field, sometimes anything.
fn mostly(right: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Option<Value>> {
    prop_oneof![
        3 => right.prop_map(Some),
        1 => json_value().prop_map(Some),
        1 => Just(None),
    ]
    .boxed()
}

fn object(fields: Vec<(&'static str, Option<Value>)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?)))
            .collect(),
    )
}

fn account() -> impl Strategy<Value = Value> {
    let id = prop_oneof![(0u8..30).prop_map(|n| json!(format!("a{n}"))), number()];
    (mostly(id), mostly(text().prop_map(Value::String))).prop_map(|(id, name)| {
        object(vec![
            ("id", id),
            ("name", name),
            ("status", Some(json!("ACTIVE"))),
        ])
    })
}

fn page_body() -> impl Strategy<Value = Value> {
    let small = || (0u64..14).prop_map(Value::from);
    (
        mostly(small()),
        mostly(prop_oneof![(0u64..6).prop_map(Value::from), number()]),
        mostly(prop_oneof![small(), Just(json!(10_000_000_000u64))]),
        mostly(prop_oneof![small(), Just(json!(1_000_000))]),
        mostly(prop::collection::vec(account(), 0..6).prop_map(Value::Array)),
        mostly(text().prop_map(|href| json!({"next": {"href": href}}))),
    )
        .prop_map(|(count, per_page, total, total_pages, items, links)| {
            object(vec![
                ("count", count),
                ("per_page", per_page),
                ("total", total),
                ("total_pages", total_pages),
                ("_embedded", items.map(|i| json!({ "accounts": i }))),
                ("_links", links),
            ])
        })
}

/// A page whose items and links are sound, with counters that may say anything.
fn listing_page() -> impl Strategy<Value = Value> {
    let small = || (0u64..14).prop_map(Value::from);
    let ids = prop::collection::vec(0u8..12, 0..6);
    let next = prop_oneof![
        Just(None),
        Just(Some("/express/accounts?page=2&per_page=5")),
    ];
    (
        mostly(prop_oneof![(1u64..6).prop_map(Value::from), number()]),
        mostly(prop_oneof![small(), Just(json!(10_000_000_000u64))]),
        mostly(prop_oneof![small(), Just(json!(1_000_000))]),
        ids,
        next,
    )
        .prop_map(|(per_page, total, total_pages, ids, next)| {
            let items: Vec<Value> = ids.iter().map(|n| json!({"id": format!("a{n}")})).collect();
            object(vec![
                ("count", Some(json!(items.len()))),
                ("per_page", per_page),
                ("total", total),
                ("total_pages", total_pages),
                ("_embedded", Some(json!({ "accounts": items }))),
                ("_links", next.map(|href| json!({"next": {"href": href}}))),
            ])
        })
}

fn token_body() -> impl Strategy<Value = Value> {
    (
        mostly(text().prop_map(Value::String)),
        mostly(number()),
        mostly(text().prop_map(Value::String)),
    )
        .prop_map(|(token, expires_in, scope)| {
            object(vec![
                ("access_token", token),
                ("token_type", Some(json!("Bearer"))),
                ("expires_in", expires_in),
                ("scope", scope),
            ])
        })
}

fn error_body() -> impl Strategy<Value = Value> {
    let field = (text(), text()).prop_map(|(n, d)| json!({"name": n, "description": d}));
    (
        mostly(text().prop_map(Value::String)),
        mostly(text().prop_map(Value::String)),
        mostly(text().prop_map(Value::String)),
        mostly(prop::collection::vec(field, 0..3).prop_map(Value::Array)),
    )
        .prop_map(|(code, message, description, fields)| {
            object(vec![
                ("code", code),
                ("message", message),
                ("description", description),
                ("fields", fields),
            ])
        })
}

fn event_body() -> impl Strategy<Value = Value> {
    let kind = prop_oneof![
        Just(json!("app.trial_started")),
        Just(json!("APP.Trial_Ended")),
        Just(json!("app.installed")),
        text().prop_map(Value::String),
    ];
    let data = prop_oneof![
        text().prop_map(|a| json!({"account_id": a, "expires_at": "2030-01-01T00:00:00Z"})),
        json_value(),
    ];
    (
        mostly(text().prop_map(Value::String)),
        mostly(kind),
        mostly(data),
        mostly(text().prop_map(Value::String)),
    )
        .prop_map(|(id, kind, data, created_at)| {
            object(vec![
                ("id", id),
                ("type", kind),
                ("data", data),
                ("created_at", created_at),
            ])
        })
}

/// `body` serialized, then damaged by a few byte edits.
fn mutated(body: impl Strategy<Value = Value>) -> impl Strategy<Value = Vec<u8>> {
    let edit = (any::<u8>(), any::<prop::sample::Index>(), 0u8..4);
    (body, prop::collection::vec(edit, 0..4)).prop_map(|(value, edits)| {
        let mut bytes = value.to_string().into_bytes();
        for (byte, at, op) in edits {
            if bytes.is_empty() {
                break;
            }
            let i = at.index(bytes.len());
            match op {
                0 => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                2 => drop(bytes.remove(i)),
                _ => bytes.truncate(i),
            }
        }
        bytes
    })
}

fn check_page(bytes: &[u8]) {
    for actions in [false, true] {
        if let Ok(page) = decode::page(bytes, actions) {
            let _ = (page.total, page.per_page, page.total_pages, page.next);
        }
    }
}

fn check_token(bytes: &[u8]) {
    if let Ok(lifetime) = decode::token_lifetime(bytes) {
        assert!(lifetime > Duration::ZERO && lifetime <= Duration::from_secs(86_400));
    }
}

fn check_error(bytes: &[u8]) {
    let error = ApiError::Api {
        status: 400,
        endpoint: "GET /express/accounts".into(),
        body: decode::error_body(bytes).map(Box::new),
        required_scope: None,
    };
    let line = error.to_string();
    assert!(!line.contains('\n'), "{line}");
}

/// An accepted event survives the journal: its line reads back as the same event.
fn check_event(bytes: &[u8]) {
    if let Ok(event) = Event::parse(bytes) {
        let stored = StoredEvent {
            event,
            received_at: Utc::now(),
            verified: false,
            key_id: None,
        };
        let line = serde_json::to_string(&stored).expect("serializes");
        let back: StoredEvent = serde_json::from_str(&line).expect("reloads");
        assert_eq!(back, stored);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn decoders_never_panic_on_arbitrary_json(value in json_value()) {
        let bytes = value.to_string().into_bytes();
        check_page(&bytes);
        check_token(&bytes);
        check_error(&bytes);
        check_event(&bytes);
    }

    #[test]
    fn page_decoding_survives_mutation(bytes in mutated(page_body())) {
        check_page(&bytes);
    }

    #[test]
    fn token_decoding_survives_mutation(bytes in mutated(token_body())) {
        check_token(&bytes);
    }

    #[test]
    fn error_decoding_survives_mutation(bytes in mutated(error_body())) {
        check_error(&bytes);
    }

    #[test]
    fn event_decoding_survives_mutation(bytes in mutated(event_body())) {
        check_event(&bytes);
    }
}

/// A loopback server answering every page request with the same body.
struct Fixture {
    runtime: tokio::runtime::Runtime,
    client: Client,
    body: Arc<Mutex<String>>,
}

async fn token() -> Response {
    axum::Json(json!({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}))
        .into_response()
}

async fn page(State(body): State<Arc<Mutex<String>>>) -> Response {
    let body = body.lock().map(|b| b.clone()).unwrap_or_default();
    ([("content-type", "application/json")], body).into_response()
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let body = Arc::new(Mutex::new(String::new()));
        let app = Router::new()
            .route("/oauth/token", post(token))
            .route("/express/accounts", get(page))
            .with_state(body.clone());
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("binds");
        let addr = listener.local_addr().expect("address");
        runtime.spawn(async move { axum::serve(listener, app).await });
        let base: url::Url = format!("http://{addr}/").parse().expect("URL");
        let endpoint = OrgEndpoint {
            name: "Fixture".into(),
            api_base: base.clone(),
            token_url: base.join("oauth/token").expect("URL"),
            client_id: "id".into(),
            client_secret: "secret".into(),
            scopes: vec![],
        };
        let options = ClientOptions {
            per_page: 5,
            max_retries: 0,
            initial_backoff: Duration::from_millis(1),
            request_timeout: Duration::from_secs(5),
            ..ClientOptions::default()
        };
        let client = Client::new(endpoint, options).expect("client");
        Fixture {
            runtime,
            client,
            body,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every page answers `body`: the listing is an error, or holds each id once and at
    /// least `total` of them.
    #[test]
    fn a_listing_of_parsing_pages_is_complete_or_an_error(
        body in prop_oneof![3 => listing_page(), 1 => page_body()],
    ) {
        let fx = fixture();
        *fx.body.lock().expect("lock") = body.to_string();
        let decoded = decode::page(body.to_string().as_bytes(), false).ok();
        let total = decoded.as_ref().and_then(|p| p.total);
        // Without `total`, a huge `total_pages` over pages that all hold items cannot be
        // told from a huge list: the pager would read them all (up to a million).
        let unbounded = decoded.as_ref().is_some_and(|p| {
            p.total.is_none()
                && p.total_pages.is_some_and(|n| n > 1000)
                && p.ids.as_ref().is_some_and(|ids| !ids.is_empty())
        });
        prop_assume!(!unbounded);
        let read = fx.runtime.block_on(fx.client.accounts());
        if let Ok(items) = read {
            let ids: HashSet<&str> = items.iter().map(|a| a.id.as_str()).collect();
            prop_assert_eq!(ids.len(), items.len(), "an item came twice");
            if let Some(total) = total {
                prop_assert!(items.len() as u64 >= total, "{} of {} items", items.len(), total);
            }
        }
    }
}
