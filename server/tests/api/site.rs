use axum::http::StatusCode;

use crate::support::TestApp;

#[tokio::test]
async fn wasm_is_served_as_application_wasm_and_cached_for_good() {
    let app = TestApp::empty().await;
    let res = app.get("/helhed-0123456789abcdef_bg.wasm").send().await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), Some("application/wasm"));
    assert_eq!(res.header("cache-control"), Some("public, max-age=31536000, immutable"));
    for (path, mime) in [
        ("/helhed-0123456789abcdef.js", "text/javascript; charset=utf-8"),
        ("/helhed-fedcba9876543210.css", "text/css; charset=utf-8"),
    ] {
        let res = app.get(path).send().await;
        assert_eq!(res.header("content-type"), Some(mime), "{path}");
        assert_eq!(res.header("cache-control"), Some("public, max-age=31536000, immutable"), "{path}");
    }
}

#[tokio::test]
async fn the_shell_and_service_worker_are_always_revalidated() {
    let app = TestApp::empty().await;
    for (path, mime) in [
        ("/", "text/html; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/sw.js", "text/javascript; charset=utf-8"),
        ("/manifest.webmanifest", "application/manifest+json"),
    ] {
        let res = app.get(path).send().await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert_eq!(res.header("content-type"), Some(mime), "{path}");
        assert_eq!(res.header("cache-control"), Some("no-cache"), "{path}");
    }
    let res = app.get("/").send().await;
    let csp = res.header("content-security-policy").expect("CSP on the shell");
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
}

#[tokio::test]
async fn client_side_routes_get_the_shell_but_missing_files_do_not() {
    let app = TestApp::empty().await;
    let shell = app.get("/").send().await.body;
    for route in ["/login", "/citizens", "/citizens/0192f0c4-7b1e-7c4a-9a55-3c1d2e3f4a5b"] {
        let res = app.get(route).send().await;
        assert_eq!(res.status, StatusCode::OK, "{route}");
        assert_eq!(res.body, shell, "{route}");
    }
    for missing in ["/missing.js", "/helhed-ffffffffffffffff.wasm", "/icons/nope.png"] {
        assert_eq!(app.get(missing).send().await.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn etags_let_a_phone_revalidate_cheaply() {
    let app = TestApp::empty().await;
    let first = app.get("/index.html").send().await;
    let etag = first.header("etag").expect("etag").to_owned();
    let again = app.get("/index.html").header("if-none-match", &etag).send().await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_asks() {
    let app = TestApp::empty().await;
    let res = app.get("/sw.js").header("accept-encoding", "gzip").send().await;
    assert_eq!(res.header("content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn only_get_and_head_reach_the_site() {
    let app = TestApp::empty().await;
    let res = app.call(axum::http::Method::HEAD, "/index.html").send().await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.is_empty());
    let res = app.post("/index.html").send().await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn an_unbuilt_app_says_how_to_build_it() {
    let dir = tempfile::tempdir().expect("temp");
    let site = server::site::Site::load(&dir.path().join("no-such-dir")).expect("empty site");
    let app = TestApp::empty().await;
    let state = server::AppState { site: std::sync::Arc::new(site), ..app.state.clone() };
    let request = axum::http::Request::get("/").body(axum::body::Body::empty()).expect("request");
    let res = tower::ServiceExt::oneshot(server::app(state), request).await.expect("infallible");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
}
