//! Turns on the PostgreSQL variants of the contract tests when `WSIS_TEST_POSTGRES_URL` is set at build time, and
//! the browser test when `WSIS_TEST_CHROMEDRIVER` is; without them they are listed as ignored, with the reason, so
//! a skipped backend or browser is always visible.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    println!("cargo::rustc-check-cfg=cfg(browser_tests)");
    println!("cargo::rerun-if-env-changed=WSIS_TEST_CHROMEDRIVER");
    // The OAuth authorization page's test in a real Chromium (`tests/api/browser.rs`) needs a chromedriver.
    if std::env::var_os("WSIS_TEST_CHROMEDRIVER").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=browser_tests");
    }
    println!("cargo::rerun-if-env-changed=WSIS_TEST_POSTGRES_URL");
    if std::env::var_os("WSIS_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=pg_tests");
    }
}
