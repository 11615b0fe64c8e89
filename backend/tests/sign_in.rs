//! The sign-in seam: forward auth (the host app's own endpoint answers for
//! the request's credentials), JWT (a token checked with the app's key),
//! the application's own `User` extension, and the demo sign-in only when
//! asked for. Plus temporary data bound to its owner, and the smaller
//! leaks: CxReports' words, the internal URL, the cookie's prefix.
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use common::{client, start, start_default, Req, Stub};
use cxreports_backend::{BackendConfig, ForwardAuth, Jwt, JwtKey, Secret, SignIn, User};
use cxreports_simulator::SimConfig;
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::json;

const JWT_KEY: &str = "host-app-jwt-key-of-32-bytes-or-more";

/// The host app's check endpoint: `session=good-*` cookies are signed in
/// as the rest of the value (in a header, or a JSON field for
/// `session=json-*`); it counts its calls.
async fn host_app(calls: Arc<AtomicUsize>) -> String {
    let app = axum::Router::new().route(
        "/auth/check",
        get(move |headers: HeaderMap| {
            let calls = calls.clone();
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                let cookie = headers
                    .get("cookie")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned();
                if let Some(user) = cookie.strip_prefix("session=good-") {
                    ([("x-auth-user", user.to_owned())], "ok").into_response_parts()
                } else if let Some(user) = cookie.strip_prefix("session=json-") {
                    axum::Json(json!({"user": user})).into_response_parts()
                } else {
                    (StatusCode::UNAUTHORIZED, "no").into_response_parts()
                }
            }
        }),
    );
    let stub = Stub::start(app).await;
    format!("http://{}", stub.addr)
}

trait Parts {
    fn into_response_parts(self) -> axum::response::Response;
}

impl<T: axum::response::IntoResponse> Parts for T {
    fn into_response_parts(self) -> axum::response::Response {
        self.into_response()
    }
}

#[tokio::test]
async fn forward_auth_asks_the_host_app_and_remembers_a_yes_briefly() {
    let calls = Arc::new(AtomicUsize::new(0));
    let check = format!("{}/auth/check", host_app(calls.clone()).await);
    let h = start(SimConfig::default(), |config| {
        config.sign_in = SignIn::ForwardAuth(ForwardAuth {
            url: check,
            user_header: "X-Auth-User".into(),
            user_field: "user".into(),
            timeout: std::time::Duration::from_secs(2),
            cache_ttl: std::time::Duration::from_secs(60),
        });
    })
    .await;
    let nonce = |cookie: Option<&str>| {
        let mut req = Req::post("/api/cxreports/nonce");
        if let Some(cookie) = cookie {
            req = req.header("cookie", cookie);
        }
        h.send(req)
    };
    // No credentials at all: refused without asking.
    nonce(None).await.assert_error(401, "unauthenticated");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    nonce(Some("session=bad"))
        .await
        .assert_error(401, "unauthenticated");
    assert_eq!(
        nonce(Some("session=good-alice")).await.status,
        StatusCode::OK
    );
    assert_eq!(nonce(Some("session=json-bob")).await.status, StatusCode::OK);
    let before = calls.load(Ordering::SeqCst);
    assert_eq!(
        nonce(Some("session=good-alice")).await.status,
        StatusCode::OK
    );
    assert_eq!(calls.load(Ordering::SeqCst), before, "a yes is remembered");
    // The demo sign-in is not there.
    h.send(Req::post("/auth/login").json(&json!({"user": "mallory"})))
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn forward_auth_that_does_not_answer_is_a_503_not_a_yes() {
    let h = start(SimConfig::default(), |config| {
        config.sign_in = SignIn::ForwardAuth(ForwardAuth {
            url: "http://127.0.0.1:9/auth/check".into(),
            user_header: "X-Auth-User".into(),
            user_field: "user".into(),
            timeout: std::time::Duration::from_millis(500),
            cache_ttl: std::time::Duration::ZERO,
        });
    })
    .await;
    h.send(Req::get("/api/cxreports/reports").header("cookie", "session=good-alice"))
        .await
        .assert_error(503, "auth_unavailable");
}

fn token(claims: serde_json::Value) -> String {
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(JWT_KEY.as_bytes()).unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_jwt_from_the_host_app_signs_in_by_bearer_or_cookie() {
    let h = start(SimConfig::default(), |config| {
        config.sign_in = SignIn::Jwt(Jwt {
            key: JwtKey::Hs256(Secret::new(JWT_KEY)),
            audience: Some("cxreports".into()),
            issuer: Some("host-app".into()),
            cookie: Some("app_jwt".into()),
            user_claim: "sub".into(),
        });
    })
    .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let good =
        token(json!({"sub": "alice", "exp": now + 300, "aud": "cxreports", "iss": "host-app"}));
    let expired =
        token(json!({"sub": "alice", "exp": now - 300, "aud": "cxreports", "iss": "host-app"}));
    let wrong_aud =
        token(json!({"sub": "alice", "exp": now + 300, "aud": "other", "iss": "host-app"}));
    let reports = |name: &'static str, value: String| {
        h.send(Req::get("/api/cxreports/reports").header(name, &value))
    };
    assert_eq!(
        reports("authorization", format!("Bearer {good}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        reports("cookie", format!("app_jwt={good}")).await.status,
        StatusCode::OK
    );
    for bad in [expired, wrong_aud] {
        reports("authorization", format!("Bearer {bad}"))
            .await
            .assert_error(401, "unauthenticated");
    }
    h.send(Req::get("/api/cxreports/reports"))
        .await
        .assert_error(401, "unauthenticated");
}

/// A P-256 key pair made for this test only: the host app signs with the
/// private key, the backend is given the public one.
const ES256_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQGkqZI17wDKTRDjQ
C7qbHpbaHX7MuU94BOCIiKAV6JShRANCAAR7FS0nSLkvJU98oAMzDIgXiuHBgAF0
sDlzqhmqEIRxYHkVG/2JxwDx5tXnPAqG55kFm0bdMilmzeDiXOuJ2Krh
-----END PRIVATE KEY-----";
const ES256_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEexUtJ0i5LyVPfKADMwyIF4rhwYAB
dLA5c6oZqhCEcWB5FRv9iccA8ebV5zwKhueZBZtG3TIpZs3g4lzridiq4Q==
-----END PUBLIC KEY-----";

#[tokio::test]
async fn an_es256_jwt_is_checked_with_the_public_key_and_no_other_algorithm() {
    let h = start(SimConfig::default(), |config| {
        config.sign_in = SignIn::Jwt(Jwt {
            key: JwtKey::Es256(ES256_PUBLIC.as_bytes().to_vec()),
            audience: None,
            issuer: None,
            cookie: None,
            user_claim: "sub".into(),
        });
    })
    .await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 300;
    let claims = json!({"sub": "alice", "exp": exp});
    let signed = encode(
        &Header::new(jsonwebtoken::Algorithm::ES256),
        &claims,
        &EncodingKey::from_ec_pem(ES256_PRIVATE.as_bytes()).unwrap(),
    )
    .unwrap();
    // Algorithm confusion: HS256 keyed with the public key's text.
    let confused = encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(ES256_PUBLIC.as_bytes()).unwrap(),
    )
    .unwrap();
    let reports = |token: String| {
        h.send(
            Req::get("/api/cxreports/reports").header("authorization", &format!("Bearer {token}")),
        )
    };
    assert_eq!(reports(signed).await.status, StatusCode::OK);
    reports(confused).await.assert_error(401, "unauthenticated");
}

#[tokio::test]
async fn an_application_supplies_the_user_itself() {
    common::init();
    let sim = cxreports_simulator::spawn(SimConfig::default())
        .await
        .unwrap();
    let config = BackendConfig {
        cxreports_url: format!("http://{sim}"),
        sign_in: SignIn::Application,
        ..BackendConfig::simulator_default()
    };
    let app = cxreports_backend::router(config).layer(axum::middleware::from_fn(
        |mut request: axum::extract::Request, next: axum::middleware::Next| async move {
            let name = request
                .headers()
                .get("x-app-user")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            if let Some(user) = name.and_then(User::new) {
                request.extensions_mut().insert(user);
            }
            next.run(request).await
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    cxreports_serve::spawn(listener, app, cxreports_serve::Limits::default());
    let http = client();
    let nonce = |user: Option<&'static str>| {
        let mut request = http
            .post(format!("http://{addr}/api/cxreports/nonce"))
            .header("x-requested-with", "t");
        if let Some(user) = user {
            request = request.header("x-app-user", user);
        }
        request.send()
    };
    assert_eq!(nonce(Some("alice")).await.unwrap().status(), 200);
    assert_eq!(nonce(None).await.unwrap().status(), 401);
}

#[tokio::test]
async fn temporary_data_is_refused_to_another_user() {
    let mut alice = start_default().await;
    alice.login("alice").await;
    let stored = alice
        .send(Req::post("/api/cxreports/temporary-data").json(&json!({"content": {"secret": 1}})))
        .await
        .json();
    let id = stored["tempDataId"].as_i64().unwrap();
    let handle = stored["tempDataHandle"].as_str().unwrap().to_owned();
    let export = format!("/api/cxreports/reports/101/pdf?tempDataHandle={handle}&tempDataId={id}");
    assert_eq!(alice.send(Req::get(&export)).await.status, StatusCode::OK);
    // Mallory, signed in to the same backend, with Alice's handle and id.
    let mut mallory = common::Harness {
        cookie: None,
        answers: Default::default(),
        client: client(),
        sim: alice.sim,
        backend: alice.backend.clone(),
    };
    mallory.login("mallory").await;
    mallory
        .send(Req::get(&export))
        .await
        .assert_error(403, "forbidden");
    mallory
        .send(Req::get(&format!(
            "/api/cxreports/reports/101/pdf?tempDataId={id}"
        )))
        .await
        .assert_error(403, "forbidden");
}

#[tokio::test]
async fn cxreports_words_and_internal_urls_stay_inside() {
    let mut h = start(SimConfig::default(), |config| {
        config.public_cxreports_url = Some("https://reports.example.com".into());
    })
    .await;
    h.login("alice").await;
    let config = h
        .send(Req::get("/api/cxreports/widget-config"))
        .await
        .json();
    assert_eq!(config["cxreportsUrl"], "https://reports.example.com");
    // CxReports' own error text is not passed on.
    // CxReports answers {"error":"injected"}; the browser sees only ours.
    h.sim_fault(json!({"path": "/api/v1/ws/sales/report-types", "kind": "status", "status": 500, "times": 1}))
        .await;
    let answer = h.send(Req::get("/api/cxreports/report-types")).await;
    assert_eq!(answer.status.as_u16(), 502, "{:?}", answer.json());
    let text = String::from_utf8_lossy(&answer.body).into_owned();
    assert!(
        !text.contains("injected") && text.contains("status 500"),
        "{text}"
    );
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed() {
    let mut h = start(SimConfig::default(), |config| {
        config.secure_cookies = true;
    })
    .await;
    let answer = h
        .send(Req::post("/auth/login").json(&json!({"user": "alice"})))
        .await;
    let cookie = answer.header("set-cookie");
    assert!(cookie.starts_with("__Host-host_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/") && !cookie.contains("Domain"),
        "{cookie}"
    );
    h.cookie = Some(cookie.split(';').next().unwrap().to_owned());
    assert_eq!(
        h.send(Req::post("/api/cxreports/nonce")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_pdf_cut_short_is_never_a_complete_download() {
    use axum::routing::get;
    let cxreports = axum::Router::new()
        .route(
            "/api/v1/ws/sales/report-types",
            get(|| async {
                axum::Json(json!([{"id": 1, "name": "Invoice", "code": "invoice",
                                   "defaultReportId": 1, "defaultReportName": "Invoice"}]))
            }),
        )
        .route(
            "/api/v1/ws/sales/reports/invoice/pdf",
            // As a connection closed mid-file reads: a PDF without its end.
            get(|| async {
                (
                    [("content-type", "application/pdf")],
                    "%PDF-1.7\n1 0 obj\n<< /Type",
                )
            }),
        );
    let stub = Stub::start(cxreports).await;
    let mut h = common::start_against(stub.addr, |_| {}).await;
    h.login("alice").await;
    let answer = h
        .client
        .get(format!("{}/api/cxreports/reports/invoice/pdf", h.backend))
        .header("cookie", h.cookie.clone().unwrap())
        .send()
        .await;
    // Either the answer breaks off before its head, or its body fails.
    if let Ok(answer) = answer {
        assert!(answer.bytes().await.is_err(), "a cut PDF read as complete");
    }
}
