//! Listings that end short: a server that reports `total` = 150 but whose pages do not
//! hold 150 items. Such a read is an error, never a short success; page counts follow
//! `total`, whatever `total_pages` says.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tdbi::api::{ApiError, Client, ClientOptions, OrgEndpoint};

const TOTAL: usize = 150;
const PER_PAGE: usize = 50;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Honest pages.
    Honest,
    /// Page 2 holds nothing.
    EmptyPage2,
    /// Page 2 holds 10 of its 50 items.
    ShortPage2,
    /// Every page says `total_pages: 1`, yet links to the next one.
    OnePageWithNext,
    /// Page 2 repeats page 1.
    RepeatPage1,
    /// `total_pages: 1000000`; pages past the third are empty.
    AbsurdTotalPages,
    /// No `total`, `total_pages: 1000000`; pages past the third are empty.
    NoTotalAbsurdPages,
    /// 10 accounts deleted after page 1 was first read: later answers say `total` 140.
    Shrinks,
}

struct Fx {
    mode: Mode,
    requests: AtomicU64,
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<usize>,
}

async fn token() -> Response {
    axum::Json(json!({"access_token": "t", "token_type": "Bearer", "expires_in": 3600}))
        .into_response()
}

fn account(i: usize) -> Value {
    json!({"id": format!("a{i:03}"), "name": format!("n{i}"), "status": "ACTIVE"})
}

async fn accounts(State(fx): State<Arc<Fx>>, Query(q): Query<PageQuery>) -> Response {
    let earlier = fx.requests.fetch_add(1, Ordering::SeqCst);
    let page = q.page.unwrap_or(1).max(1);
    let (mut total, mut total_pages) = (TOTAL, TOTAL.div_ceil(PER_PAGE));
    let mut ids: Vec<usize> = (0..TOTAL).collect();
    match fx.mode {
        Mode::Shrinks if earlier > 0 => {
            // After the first request, the 10 first accounts are gone: every later one
            // moved 10 places up.
            ids.drain(..10);
            total = ids.len();
        }
        Mode::AbsurdTotalPages | Mode::NoTotalAbsurdPages => total_pages = 1_000_000,
        Mode::OnePageWithNext => total_pages = 1,
        _ => {}
    }
    let shown = if fx.mode == Mode::RepeatPage1 && page == 2 {
        1
    } else {
        page
    };
    let mut items: Vec<Value> = ids
        .iter()
        .skip((shown - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|&i| account(i))
        .collect();
    match (fx.mode, page) {
        (Mode::EmptyPage2, 2) => items.clear(),
        (Mode::ShortPage2, 2) => items.truncate(10),
        _ => {}
    }
    let mut links = json!({"self": {"href": format!("/express/accounts?page={page}")}});
    if page < TOTAL.div_ceil(PER_PAGE) {
        let next = format!("/express/accounts?page={}&per_page={PER_PAGE}", page + 1);
        links["next"] = json!({ "href": next });
    }
    let mut body = json!({"count": items.len(), "page": page, "per_page": PER_PAGE,
        "total": total, "total_pages": total_pages,
        "_embedded": {"accounts": items}, "_links": links});
    if fx.mode == Mode::NoTotalAbsurdPages {
        body.as_object_mut().map(|b| b.remove("total"));
    }
    axum::Json(body).into_response()
}

async fn serve(mode: Mode) -> (Arc<Fx>, Client) {
    let fx = Arc::new(Fx {
        mode,
        requests: AtomicU64::new(0),
    });
    let app = Router::new()
        .route("/oauth/token", post(token))
        .route("/express/accounts", get(accounts))
        .with_state(fx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base: url::Url = format!("http://{addr}/").parse().unwrap();
    let endpoint = OrgEndpoint {
        name: "Fixture".into(),
        api_base: base.clone(),
        token_url: base.join("oauth/token").unwrap(),
        client_id: "id".into(),
        client_secret: "secret".into(),
        scopes: vec![],
    };
    let options = ClientOptions {
        per_page: 100,
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        request_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    (fx, Client::new(endpoint, options).unwrap())
}

fn ids(got: &[tdbi::api::model::Account]) -> Vec<String> {
    let mut ids: Vec<String> = got.iter().map(|a| a.id.to_string()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), got.len(), "an account came twice");
    ids
}

async fn incomplete(mode: Mode, got: usize) {
    let (_fx, client) = serve(mode).await;
    let read = client.accounts().await;
    let err = match read {
        Ok(items) => panic!("a short listing of {} accepted", items.len()),
        Err(e) => e,
    };
    assert!(matches!(err, ApiError::Incomplete { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("GET /express/accounts: incomplete listing: {got} of 150 items")
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn an_honest_listing_reads_three_pages() {
    let (fx, client) = serve(Mode::Honest).await;
    assert_eq!(ids(&client.accounts().await.unwrap()).len(), TOTAL);
    assert_eq!(fx.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_empty_second_page_is_an_incomplete_listing() {
    incomplete(Mode::EmptyPage2, 100).await;
}

#[tokio::test]
async fn a_short_second_page_is_an_incomplete_listing() {
    incomplete(Mode::ShortPage2, 110).await;
}

#[tokio::test]
async fn a_repeated_page_is_an_incomplete_listing() {
    incomplete(Mode::RepeatPage1, 100).await;
}

#[tokio::test]
async fn total_pages_below_what_total_needs_is_read_on_to_total() {
    let (_fx, client) = serve(Mode::OnePageWithNext).await;
    assert_eq!(ids(&client.accounts().await.unwrap()).len(), TOTAL);
}

#[tokio::test]
async fn an_absurd_total_pages_is_bounded_by_total() {
    let (fx, client) = serve(Mode::AbsurdTotalPages).await;
    let read = tokio::time::timeout(Duration::from_secs(10), client.accounts()).await;
    let read = read.expect("still reading pages after 10 s");
    assert_eq!(ids(&read.unwrap()).len(), TOTAL);
    assert_eq!(fx.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_list_that_shrank_during_the_read_is_no_error() {
    let (_fx, client) = serve(Mode::Shrinks).await;
    let got = ids(&client.accounts().await.unwrap());
    // Every account that existed for the whole read is there.
    for i in 10..TOTAL {
        assert!(got.contains(&format!("a{i:03}")), "a{i:03} dropped");
    }
}

#[tokio::test]
async fn without_total_an_absurd_total_pages_ends_at_the_first_empty_page() {
    let (fx, client) = serve(Mode::NoTotalAbsurdPages).await;
    let read = tokio::time::timeout(Duration::from_secs(10), client.accounts()).await;
    let err = read.expect("still reading pages after 10 s").unwrap_err();
    assert!(err.to_string().contains("of 1000000 is empty"), "{err}");
    assert!(fx.requests.load(Ordering::SeqCst) < 20);
}
