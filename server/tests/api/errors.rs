use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn malformed_json_is_a_400_with_the_error_body() {
    let app = TestApp::demo().await;
    for body in [r#"{"username":"worker""#, "", "not json", "{'a':1}"] {
        let res = app.post("/api/session").raw_json(body).send().await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{body:?}");
        let err = res.error();
        assert_eq!(err.code, "malformed_json");
        assert!(!err.message.da.is_empty() && !err.message.en.is_empty());
    }
}

#[tokio::test]
async fn wrong_types_and_missing_fields_are_422_naming_the_field() {
    let app = TestApp::demo().await;
    let cases = [
        (r#"{"username":"worker","password":5}"#, "password", "invalid_format"),
        (r#"{"username":"worker"}"#, "password", "required"),
        (r#"{"username":"worker","password":""}"#, "password", "required"),
        (r#"{"username":"a b c","password":"x"}"#, "username", "invalid_characters"),
        (r#"{"username":"ab","password":"x"}"#, "username", "too_short"),
        (r#"{"username":null,"password":"x"}"#, "username", "invalid_format"),
        (r#"[]"#, "", "invalid_format"),
    ];
    for (body, field, code) in cases {
        let res = app.post("/api/session").raw_json(body).send().await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", res.text());
        let err = res.error();
        assert_eq!(err.code, "validation");
        assert_eq!(err.fields.len(), 1, "{body}");
        assert_eq!((err.fields[0].field.as_str(), err.fields[0].code.as_str()), (field, code), "{body}");
        assert!(!err.fields[0].message.da.is_empty() && !err.fields[0].message.en.is_empty());
    }
    let err = app.post("/api/session").raw_json(r#"{"username":"worker","password":""}"#).send().await.error();
    assert_eq!(err.fields[0].message.da, "Adgangskode: skal udfyldes");
    assert_eq!(err.fields[0].message.en, "Password: is required");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = TestApp::demo().await;
    let res = app
        .post("/api/session")
        .body("application/x-www-form-urlencoded", b"username=worker&password=demo1234".to_vec())
        .send()
        .await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(res.error().code, "unsupported_media_type");
}

#[tokio::test]
async fn an_oversized_body_is_a_413() {
    let app = TestApp::demo().await;
    let huge = format!(r#"{{"username":"worker","password":"{}"}}"#, "x".repeat(server::http::BODY_LIMIT + 1));
    let res = app.post("/api/session").raw_json(&huge).send().await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(res.error().code, "payload_too_large");
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_not_the_app() {
    let app = TestApp::demo().await;
    let res = app.get("/api/nothing-here").send().await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.error().code, "not_found");
    assert_eq!(res.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn internal_errors_are_logged_not_shown() {
    let app = TestApp::demo().await;
    let cookie = app.login("worker").await;
    sqlx::query("ALTER TABLE citizens RENAME TO citizens_gone").execute(app.pool()).await.expect("break the schema");
    let res = app.get("/api/citizens").cookie(&cookie).send().await;
    assert_eq!(res.status, StatusCode::INTERNAL_SERVER_ERROR);
    let err = res.error();
    assert_eq!(err.code, "internal");
    let text = res.text();
    assert!(!text.contains("citizens") && !text.contains("SQL") && !text.contains("sqlite"), "no internals: {text}");
}

#[tokio::test]
async fn health_reports_ok() {
    let app = TestApp::empty().await;
    let res = app.get("/api/health").send().await;
    assert_eq!(res.status, StatusCode::OK);
    let health: shared::api::HealthResponse = res.json();
    assert_eq!(health.status, "ok");
}
