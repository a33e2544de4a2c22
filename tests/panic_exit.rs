//! A panic in any task, not only the UI's, ends the process (exit 101) once the hook the
//! dashboard installs has restored the terminal: the app never keeps running on a
//! screen that is no longer set up for it. The panicking side runs in a child process
//! (this test binary again), so the hook's `exit` does not end the test run.

use std::process::Command;
use std::time::{Duration, Instant};

const CHILD: &str = "TDBI_TEST_PANIC_CHILD";

#[test]
fn a_panic_in_a_worker_task_ends_the_process_with_101() {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    let started = Instant::now();
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "a_panic_in_a_worker_task_ends_the_process_with_101",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .expect("child runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{stdout}\n{stderr}");
    assert!(stderr.contains("worker task failed on purpose"), "{stderr}");
    // The hook shows the cursor and turns mouse reporting off before exiting.
    assert!(stdout.contains("\u{1b}[?25h"), "cursor shown: {stdout:?}");
    assert!(
        !stdout.contains("still running"),
        "the process went on: {stdout}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// In the child: the dashboard's hook, then a panic on a runtime worker while the
/// "UI" (this thread) would go on.
fn child() {
    tdbi::app::install_panic_exit_hook();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        tokio::spawn(async { panic!("worker task failed on purpose") });
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    println!("still running");
}
