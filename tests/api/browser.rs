//! The OAuth authorization page in a real headless Chromium (Debian's `chromium` and `chromedriver`, over
//! WebDriver): a tiny third-party client page, served from another origin by the test, sends the browser to the
//! page with a PKCE challenge it made with WebCrypto; the person signs in and allows; the client gets the code back
//! and exchanges it with its verifier from the browser (CORS), then reads `/me` with the token. In Arabic the page
//! is right-to-left, and denying sends the client `access_denied`. Screenshots of the page in English and Arabic
//! are written to `target/screenshots/` (and to `docs/images/` with `WSIS_UPDATE_SCREENSHOTS=1`).
//!
//! Runs when `WSIS_TEST_CHROMEDRIVER` names a chromedriver at build time (CI installs Debian's); listed as ignored,
//! with the reason, otherwise.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Child, Command};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use wsis_e2e::{PASSWORD, TestApp, json as body_json};

/// The tiny third-party client: its page starts the flow, its `/callback` finishes it.
fn client_page(api: &str, client_id: &str, lang: &str) -> String {
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8"><title>Tiny client</title></head><body><pre id="result">starting</pre><script>
const API = "{api}", CLIENT = "{client_id}", REDIRECT = location.origin + "/callback";
function b64url(bytes) {{ let s = ""; for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""); }}
function result(text) {{ const e = document.getElementById("result"); e.textContent = text; e.setAttribute("data-done", "1"); }}
async function start() {{
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("verifier", verifier); sessionStorage.setItem("state", state);
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const q = new URLSearchParams({{response_type: "code", client_id: CLIENT, redirect_uri: REDIRECT, scope: "account",
    state, code_challenge: challenge, code_challenge_method: "S256", lang: "{lang}"}});
  location.assign(API + "/api/v1/oauth/authorize?" + q);
}}
async function callback() {{
  const p = new URLSearchParams(location.search);
  if (p.get("state") !== sessionStorage.getItem("state")) return result("state mismatch");
  if (p.get("error")) return result("error: " + p.get("error"));
  const body = new URLSearchParams({{grant_type: "authorization_code", code: p.get("code"), client_id: CLIENT,
    redirect_uri: REDIRECT, code_verifier: sessionStorage.getItem("verifier")}});
  const answer = await fetch(API + "/api/v1/auth/token", {{method: "POST", body}});
  const tokens = await answer.json();
  const me = await fetch(API + "/api/v1/me", {{headers: {{Authorization: "Bearer " + tokens.access_token}}}});
  result(JSON.stringify({{status: answer.status, scope: tokens.scope, email: (await me.json()).account.email}}));
}}
(location.pathname === "/callback" ? callback() : start()).catch(e => result("failed: " + e));
</script></body></html>"#
    )
}

/// Serves the tiny client on `listener` until the test ends.
fn serve_client(listener: TcpListener, api: String, client_id: String) {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            if BufReader::new(&stream).read_line(&mut line).is_err() {
                continue;
            }
            let target = line.split(' ').nth(1).unwrap_or("/");
            let lang = target
                .split("lang=")
                .nth(1)
                .unwrap_or("en")
                .chars()
                .take(2)
                .collect::<String>();
            let body = client_page(&api, &client_id, &lang);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
}

/// A chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let path = option_env!("WSIS_TEST_CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver");
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| unreachable!("chromedriver at {path} did not start: {e}"));
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

fn save_screenshot(name: &str, png: &[u8]) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
    if std::env::var_os("WSIS_UPDATE_SCREENSHOTS").is_some() {
        std::fs::write(root.join("docs/images").join(name), png).unwrap();
    }
}

fn run(backend: wsis_e2e::Backend) {
    let client_listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client_origin = format!(
        "http://127.0.0.1:{}",
        client_listener.local_addr().unwrap().port()
    );
    let app = TestApp::spawn_with(
        backend,
        wsis_http::server::HttpSettings {
            cors_allowed_origins: vec![client_origin.clone()],
            ..wsis_e2e::test_settings()
        },
    );
    let staff = app.staff("ops@example.org");
    app.verified_user("amina@example.org");
    let registered = body_json(app.send(app.client.post(app.url("/api/v1/admin/oauth-clients")).bearer_auth(&staff.access).json(&json!({
        "name": "Knowledge Commons portal", "redirect_uris": [format!("{client_origin}/callback")], "scopes": ["account"]
    }))));
    let api = app.url("").trim_end_matches('/').to_owned();
    serve_client(
        client_listener,
        api,
        registered["client_id"].as_str().unwrap().to_owned(),
    );

    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let mut capabilities = serde_json::map::Map::new();
        capabilities.insert("goog:chromeOptions".into(), json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=720,820", format!("--user-data-dir={}", profile.path().display())],
        }));
        let browser = ClientBuilder::rustls()
            .unwrap()
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| unreachable!("no WebDriver session: {e}"));
        let wait = Duration::from_secs(20);

        // English: the client sends the browser to the page; sign in and allow.
        browser.goto(&format!("{client_origin}/?lang=en")).await.unwrap();
        browser.wait().at_most(wait).for_element(Locator::Css("#email")).await.unwrap();
        let focused: serde_json::Value = browser.execute("return document.activeElement.id", vec![]).await.unwrap();
        assert_eq!(focused, "email", "the address field has the focus");
        assert_eq!(browser.execute("return document.documentElement.dir", vec![]).await.unwrap(), "ltr");
        save_screenshot("oauth-authorize-en.png", &browser.screenshot().await.unwrap());
        browser.find(Locator::Css("#email")).await.unwrap().send_keys("amina@example.org").await.unwrap();
        browser.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        browser.find(Locator::Css("button.allow")).await.unwrap().click().await.unwrap();
        let result = match browser.wait().at_most(wait).for_element(Locator::Css("#result[data-done]")).await {
            Ok(result) => result,
            Err(error) => unreachable!(
                "no result ({error}) at {}: {}",
                browser.current_url().await.unwrap(),
                browser.source().await.unwrap()
            ),
        };
        let text = result.text().await.unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|_| json!(text)),
            json!({"status": 200, "scope": "account", "email": "amina@example.org"})
        );

        // Arabic: right to left; deny, and the client hears it.
        browser.goto(&format!("{client_origin}/?lang=ar")).await.unwrap();
        browser.wait().at_most(wait).for_element(Locator::Css("#email")).await.unwrap();
        assert_eq!(browser.execute("return document.documentElement.dir", vec![]).await.unwrap(), "rtl");
        assert_eq!(browser.execute("return document.documentElement.lang", vec![]).await.unwrap(), "ar");
        save_screenshot("oauth-authorize-ar.png", &browser.screenshot().await.unwrap());
        browser.find(Locator::Css("button.deny")).await.unwrap().click().await.unwrap();
        let result = browser.wait().at_most(wait).for_element(Locator::Css("#result[data-done]")).await.unwrap();
        assert_eq!(result.text().await.unwrap(), "error: access_denied");

        // The page cannot be framed by the client (or anyone): the browser refuses to render it in an iframe.
        browser.goto(&format!("{client_origin}/callback?state=none")).await.unwrap();
        browser.execute(
            &format!("const f = document.createElement('iframe'); f.id = 'framed'; f.src = '{}/api/v1/oauth/authorize?client_id=x'; document.body.appendChild(f);", app.url("").trim_end_matches('/')),
            vec![],
        ).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let framed = browser.execute("try { return document.getElementById('framed').contentDocument === null || document.getElementById('framed').contentDocument.body.innerText === ''; } catch (e) { return true; }", vec![]).await.unwrap();
        assert_eq!(framed, true, "the page rendered inside a frame");
        browser.close().await.unwrap();
    });
    drop(driver);
}

#[test]
#[cfg_attr(
    not(browser_tests),
    ignore = "browser skipped: set WSIS_TEST_CHROMEDRIVER (Debian's chromium-driver) to run it"
)]
fn a_third_party_page_signs_a_person_in_through_the_authorization_page_in_chromium_sqlite() {
    run(wsis_e2e::Backend::Sqlite);
}

#[test]
#[cfg_attr(
    not(all(browser_tests, pg_tests)),
    ignore = "browser or PostgreSQL skipped: set WSIS_TEST_CHROMEDRIVER and WSIS_TEST_POSTGRES_URL"
)]
fn a_third_party_page_signs_a_person_in_through_the_authorization_page_in_chromium_postgres() {
    run(wsis_e2e::Backend::Postgres);
}
