//! Turns on the PostgreSQL variants of the contract tests when `WSIS_TEST_POSTGRES_URL` is set at build time;
//! without it they are listed as ignored, with the reason, so a skipped backend is always visible.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(pg_tests)");
    println!("cargo::rerun-if-env-changed=WSIS_TEST_POSTGRES_URL");
    if std::env::var_os("WSIS_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=pg_tests");
    }
}
