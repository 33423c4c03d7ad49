//! Serves the built PWA from memory.
//!
//! The build (`cargo xtask build`) gives every JS, wasm and CSS file a
//! content hash in its name, so those are cached for a year as immutable;
//! `index.html`, the service worker and the manifest must be revalidated on
//! every load, or a phone would never see a new version. Any other path
//! without a file extension is a client-side route and gets `index.html`.
//!
//! What is served: `helhed-<hash>_bg.wasm`, `helhed-<hash>.js`,
//! `helhed-<hash>.css`, `boot-<hash>.js`, the split's link module
//! `split-<hash>.js` and its chunks (`<screen>-view-<hash>.wasm`,
//! `chunk-<n>-<hash>.wasm`, custom sections stripped) with
//! `Cache-Control: public, max-age=31536000, immutable`. The glue and the link
//! module import each other, so both are named after one digest
//! (`xtask/src/build.rs`). `index.html`, `manifest.webmanifest` and `sw.js`
//! (with `Service-Worker-Allowed: /`) are `no-cache`, with ETags; icons are
//! cached a day. Missing files are 404. HTML carries a strict CSP
//! (`script-src 'self' 'wasm-unsafe-eval'`, so the boot script is a file, not
//! inline).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::Arc;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
const SHORT: &str = "public, max-age=86400";

/// Content Security Policy for the app shell: only our own scripts, and
/// `wasm-unsafe-eval` so the browser may compile our wasm.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
base-uri 'none'; frame-ancestors 'none'; form-action 'self'; object-src 'none'";

#[derive(Debug, Clone)]
struct Asset {
    body: Bytes,
    content_type: &'static str,
    cache_control: &'static str,
    etag: String,
}

/// The built app, loaded once at start.
#[derive(Debug, Default)]
pub struct Site {
    files: HashMap<String, Asset>,
}

impl Site {
    /// Loads every file below `dir`. A missing folder gives an empty site
    /// (the API still works; pages answer that the app is not built).
    pub fn load(dir: &Path) -> anyhow::Result<Site> {
        let mut site = Site::default();
        if !dir.exists() {
            tracing::warn!(dir = %dir.display(), "no built app found; run `cargo xtask build`");
            return Ok(site);
        }
        site.load_dir(dir, dir)?;
        tracing::info!(files = site.files.len(), dir = %dir.display(), "app loaded");
        Ok(site)
    }

    fn load_dir(&mut self, root: &Path, dir: &Path) -> anyhow::Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                self.load_dir(root, &path)?;
                continue;
            }
            let rel =
                path.strip_prefix(root).context("file outside the site folder")?.to_string_lossy().replace('\\', "/");
            let body = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            self.insert(&rel, body);
        }
        Ok(())
    }

    /// Adds one file at `path` (relative, `/`-separated).
    pub fn insert(&mut self, path: &str, body: Vec<u8>) {
        let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
        let asset = Asset {
            content_type: content_type(path),
            cache_control: cache_control(path),
            body: Bytes::from(body),
            etag,
        };
        self.files.insert(path.to_owned(), asset);
    }

    fn lookup(&self, path: &str) -> Option<&Asset> {
        let path = path.trim_start_matches('/');
        if let Some(asset) = self.files.get(path) {
            return Some(asset);
        }
        let last = path.rsplit('/').next().unwrap_or(path);
        // A client-side route: the app's router takes it from here.
        if !last.contains('.') { self.files.get("index.html") } else { None }
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// `name-0123456789abcdef.ext`: a content-hashed build output.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn cache_control(path: &str) -> &'static str {
    if is_hashed(path) {
        IMMUTABLE
    } else if path.ends_with(".png") || path.ends_with(".svg") || path.ends_with(".ico") {
        SHORT
    } else {
        // index.html, sw.js, manifest.webmanifest and anything unhashed.
        REVALIDATE
    }
}

/// The fallback handler for everything outside `/api`.
pub async fn serve(State(site): State<Arc<Site>>, method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let Some(asset) = site.lookup(uri.path()) else {
        if site.files.is_empty() {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Helhed: the app is not built. Run `cargo xtask build`, then restart the server.\n",
            )
                .into_response();
        }
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Not found\n")
            .into_response();
    };
    let mut response = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == asset.etag))
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else if method == Method::HEAD {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(asset.body.clone()))
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(asset.cache_control));
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        h.insert(header::ETAG, etag);
    }
    if asset.content_type.starts_with("text/html") {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    if uri.path() == "/sw.js" {
        // Lets the service worker control the whole origin.
        h.insert("service-worker-allowed", HeaderValue::from_static("/"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("helhed-0123456789abcdef.js"));
        assert!(is_hashed("helhed-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("assets/style-fedcba9876543210.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("sw.js"));
        assert!(!is_hashed("helhed-0123.js"));
        assert!(!is_hashed("helhed-0123456789abcdeg.js"));
    }
}
