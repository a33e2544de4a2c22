//! The client against a tiny in-test axum server: paging modes the simulator does not
//! offer (no `total_pages`, a link leaving the host, string money) and the retry paths.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tdbi::api::{ApiError, Client, ClientOptions, OrgEndpoint};

const BASIC: &str = "Basic aWQ6c2VjcmV0"; // id:secret

#[derive(Default)]
struct Fx {
    tokens: AtomicU64,
    current: Mutex<String>,
    ids: Vec<String>,
    cap: u32,
    /// Omit `total_pages` and `total`: only `_links.next` tells what follows.
    links_only: bool,
    /// A `next` href pointing at this.
    next_override: Option<String>,
    script: Mutex<VecDeque<(u16, &'static str)>>,
}

type Shared = Arc<Fx>;

async fn token(State(fx): State<Shared>, headers: HeaderMap) -> Response {
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(BASIC)
    {
        let body =
            json!({"error": "invalid_client", "error_description": "Bad client credentials"});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    let n = fx.tokens.fetch_add(1, Ordering::SeqCst) + 1;
    let token = format!("tok-{n}");
    *fx.current.lock().unwrap() = token.clone();
    axum::Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": 3600}))
        .into_response()
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn accounts(
    State(fx): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let bearer = format!("Bearer {}", fx.current.lock().unwrap());
    if headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        != Some(bearer.as_str())
    {
        let body = json!({"code": "401", "message": "Unauthorized"});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }
    if let Some((status, body)) = fx.script.lock().unwrap().pop_front() {
        let status = StatusCode::from_u16(status).unwrap();
        return (status, [(header::RETRY_AFTER, "0")], body).into_response();
    }
    let per_page = q.per_page.unwrap_or(50).min(fx.cap);
    let page = q.page.unwrap_or(1);
    let start = ((page - 1) * per_page) as usize;
    let items: Vec<_> = fx
        .ids
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(|id| json!({"id": id, "name": format!("n{id}"), "company_name": "C", "status": "ACTIVE"}))
        .collect();
    let total_pages = (fx.ids.len() as u32).div_ceil(per_page).max(1);
    let mut links =
        json!({"self": {"href": format!("/express/accounts?page={page}&per_page={per_page}")}});
    if page < total_pages {
        let next = fx
            .next_override
            .clone()
            .unwrap_or_else(|| format!("/express/accounts?page={}&per_page={per_page}", page + 1));
        links["next"] = json!({ "href": next });
    }
    let mut body = json!({"count": items.len(), "page": page, "per_page": per_page,
        "_embedded": {"accounts": items}, "_links": links});
    if !fx.links_only {
        body["total"] = json!(fx.ids.len());
        body["total_pages"] = json!(total_pages);
    }
    axum::Json(body).into_response()
}

async fn serve(fx: Fx) -> (Shared, url::Url) {
    let fx = Arc::new(fx);
    let app = Router::new()
        .route("/oauth/token", post(token))
        .route("/express/accounts", get(accounts))
        .with_state(fx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (fx, format!("http://{addr}/").parse().unwrap())
}

fn client(base: &url::Url, secret: &str) -> Client {
    let endpoint = OrgEndpoint {
        name: "Fixture".into(),
        api_base: base.clone(),
        token_url: base.join("oauth/token").unwrap(),
        client_id: "id".into(),
        client_secret: secret.into(),
        scopes: vec!["express-accounts:read".into()],
    };
    let options = ClientOptions {
        per_page: 10,
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        request_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    Client::new(endpoint, options).unwrap()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{i:024x}")).collect()
}

fn assert_each_once(got: &[tdbi::api::model::Account], want: &[String]) {
    let mut got: Vec<&str> = got.iter().map(|a| a.id.as_str()).collect();
    got.sort_unstable();
    let mut want: Vec<&str> = want.iter().map(String::as_str).collect();
    want.sort_unstable();
    assert_eq!(got, want);
}

#[tokio::test]
async fn concurrent_calls_share_one_token_and_a_capped_page_size_is_trusted() {
    let (fx, base) = serve(Fx {
        ids: ids(53),
        cap: 7,
        ..Fx::default()
    })
    .await;
    let c = client(&base, "secret");
    let reads = futures::future::join_all((0..5).map(|_| c.accounts())).await;
    for read in reads {
        assert_each_once(&read.unwrap(), &fx.ids);
    }
    assert_eq!(fx.tokens.load(Ordering::SeqCst), 1);
    assert_eq!(
        c.granted_scopes().await.unwrap(),
        vec!["express-accounts:read"]
    );
}

#[tokio::test]
async fn without_total_pages_the_next_links_are_followed() {
    let (fx, base) = serve(Fx {
        ids: ids(31),
        cap: 100,
        links_only: true,
        ..Fx::default()
    })
    .await;
    let mut pages = Vec::new();
    let got = client(&base, "secret")
        .accounts_with_progress(|p| pages.push(p))
        .await
        .unwrap();
    assert_each_once(&got, &fx.ids);
    assert_eq!(pages.len(), 4);
    assert!(pages.iter().all(|p| p.done <= p.total));
}

#[tokio::test]
async fn a_link_to_another_host_is_refused() {
    let fx = Fx {
        ids: ids(30),
        cap: 100,
        links_only: true,
        next_override: Some("http://127.0.0.2:9/express/accounts?page=2".into()),
        ..Fx::default()
    };
    let (_fx, base) = serve(fx).await;
    let err = client(&base, "secret").accounts().await.unwrap_err();
    assert!(matches!(err, ApiError::Malformed { .. }), "{err}");
    assert!(err.to_string().contains("leaves the API host"), "{err}");
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_retries() {
    let (fx, base) = serve(Fx {
        ids: ids(5),
        cap: 100,
        ..Fx::default()
    })
    .await;
    let c = client(&base, "secret");
    c.accounts().await.unwrap();
    *fx.current.lock().unwrap() = "revoked".into();
    assert_each_once(&c.accounts().await.unwrap(), &fx.ids);
    assert_eq!(fx.tokens.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn transient_failures_are_retried_and_garbage_ends_in_a_clear_error() {
    let (fx, base) = serve(Fx {
        ids: ids(5),
        cap: 100,
        ..Fx::default()
    })
    .await;
    fx.script
        .lock()
        .unwrap()
        .extend([(503, "busy"), (429, ""), (200, "<html>proxy</html>")]);
    let c = client(&base, "secret");
    assert_each_once(&c.accounts().await.unwrap(), &fx.ids);

    fx.script
        .lock()
        .unwrap()
        .extend([(200, "<html>"), (200, "<html>"), (200, "<html>")]);
    let err = c.accounts().await.unwrap_err();
    let line = err.to_string();
    assert!(matches!(err, ApiError::Malformed { .. }), "{line}");
    assert!(
        line.contains("/express/accounts") && line.contains("not JSON"),
        "{line}"
    );
}

#[tokio::test]
async fn a_rejected_secret_is_a_readable_token_error_without_the_secret() {
    let (_fx, base) = serve(Fx {
        ids: ids(5),
        cap: 100,
        ..Fx::default()
    })
    .await;
    let err = client(&base, "wrong-secret-xyz")
        .accounts()
        .await
        .unwrap_err();
    let line = err.to_string();
    assert!(err.is_auth() && err.status() == Some(401), "{line}");
    assert!(
        line.starts_with("token request refused: invalid_client (Bad client credentials)"),
        "{line}"
    );
    assert!(
        line.contains("not effective yet") && !line.contains("wrong-secret-xyz"),
        "{line}"
    );
    assert!(!format!("{err:?}").contains("wrong-secret-xyz"));
}
