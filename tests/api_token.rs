//! Token answers with odd `expires_in` values and broken bodies: never a panic, a sane
//! token lifetime, and a clear error for a body that holds no token.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use tdbi::api::{ApiError, Client, ClientOptions, OrgEndpoint};

struct Fx {
    tokens: AtomicU64,
    body: String,
}

async fn token(State(fx): State<Arc<Fx>>) -> Response {
    fx.tokens.fetch_add(1, Ordering::SeqCst);
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        fx.body.clone(),
    )
        .into_response()
}

async fn accounts() -> Response {
    let body = json!({"count": 1, "page": 1, "per_page": 50, "total": 1, "total_pages": 1,
        "_embedded": {"accounts": [{"id": "a1", "name": "n", "status": "ACTIVE"}]}});
    axum::Json(body).into_response()
}

async fn serve(body: &str) -> (Arc<Fx>, Client) {
    let fx = Arc::new(Fx {
        tokens: AtomicU64::new(0),
        body: body.to_owned(),
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
        scopes: vec!["express-accounts:read".into()],
    };
    let options = ClientOptions {
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        request_timeout: Duration::from_secs(5),
        ..ClientOptions::default()
    };
    (fx, Client::new(endpoint, options).unwrap())
}

fn with_lifetime(expires_in: &str) -> String {
    format!(r#"{{"access_token": "tok", "token_type": "Bearer", "expires_in": {expires_in}}}"#)
}

#[tokio::test]
async fn any_expires_in_gives_a_usable_token_kept_for_more_than_one_call() {
    let mut bodies: Vec<String> = [
        "18446744073709551615",
        "1e300",
        "9223372036854775808",
        "-1",
        "-18446744073709551615",
        "0",
        "0.5",
        "3599.9",
        "\"3600\"",
        "\"soon\"",
        "null",
        "true",
        "[]",
        "{}",
    ]
    .iter()
    .map(|v| with_lifetime(v))
    .collect();
    bodies.push(r#"{"access_token": "tok", "token_type": "Bearer"}"#.into());
    bodies.push(r#"{"access_token": "tok", "token_type": "bearer", "scope": 5}"#.into());
    for body in bodies {
        let (fx, client) = serve(&body).await;
        for _ in 0..2 {
            let read = client.accounts().await;
            assert!(read.is_ok(), "{body}: {:?}", read.err());
        }
        assert_eq!(fx.tokens.load(Ordering::SeqCst), 1, "{body}");
    }
}

#[tokio::test]
async fn a_body_without_a_token_is_a_clear_error_without_the_body() {
    for body in [
        "",
        "null",
        "[]",
        "{}",
        r#"{"access_token": 7}"#,
        r#"{"access_token": null, "expires_in": 18446744073709551615}"#,
        r#"{"token_type": "Bearer", "expires_in": 3600, "secretish": "s3cr3t"}"#,
        "{\"access_token\": \"s3cr3t\"",
    ] {
        let (_fx, client) = serve(body).await;
        let err = client.accounts().await.err();
        let Some(err) = err else {
            panic!("{body}: accepted")
        };
        let text = err.to_string();
        assert!(
            matches!(err, ApiError::Malformed { .. } | ApiError::Token { .. }),
            "{body}: {text}"
        );
        assert!(!text.contains("s3cr3t"), "{text}");
    }
}
