//! A real terminal for tests: a detached tmux session driven with `send-keys` and read
//! with `capture-pane`. CI installs tmux (`.ci/run`); elsewhere a test is skipped with a
//! message when tmux is missing, and fails under `CI=true`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// A detached tmux session running a shell; killed on drop.
pub struct Tmux {
    session: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// A 160x45 session.
    pub fn start() -> Option<Tmux> {
        Self::start_sized(160, 45)
    }

    /// A session of `width` x `height`; `None` (skipped) when tmux is missing outside CI.
    pub fn start_sized(width: u16, height: u16) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is required under CI"
            );
            eprintln!("tmux not installed: skipping the real-terminal test");
            return None;
        }
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let session = format!("tdbi-test-{}-{n}", std::process::id());
        let dir = tempfile::tempdir().expect("temp dir");
        let status = tmux(&session)
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                "sh",
            ])
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session");
        Some(Tmux { session, dir })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `tmux send-keys`: each argument is a key name or literal text.
    pub fn keys(&self, keys: &[&str]) {
        let status = tmux(&self.session)
            .args(["send-keys", "-t", &self.session])
            .args(keys)
            .status()
            .expect("send-keys");
        assert!(status.success());
    }

    /// Literal text, not interpreted as key names.
    pub fn type_text(&self, text: &str) {
        let status = tmux(&self.session)
            .args(["send-keys", "-l", "-t", &self.session, text])
            .status()
            .expect("send-keys -l");
        assert!(status.success());
    }

    pub fn screen(&self) -> String {
        let out = tmux(&self.session)
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .expect("capture-pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The screen with its SGR escapes (`capture-pane -e`): a selected row starts with
    /// the reverse-video sequence.
    pub fn styled_screen(&self) -> String {
        let out = tmux(&self.session)
            .args(["capture-pane", "-e", "-p", "-t", &self.session])
            .output()
            .expect("capture-pane -e");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `pred` holds, for at most `secs`.
    pub fn wait_for(&self, what: &str, secs: u64, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited {secs}s for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Tmux {
    /// A tmux format of the pane, e.g. `#{alternate_on}` or `#{cursor_flag}`.
    pub fn pane_format(&self, format: &str) -> String {
        let out = tmux(&self.session)
            .args(["display-message", "-p", "-t", &self.session, format])
            .output()
            .expect("display-message");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // Its own server: killing it cannot take another test's session down.
        let _ = tmux(&self.session).arg("kill-server").status();
    }
}

/// `tmux` on a server of its own (`-L session`): tests running in parallel each get one,
/// so one ending its last session never stops the server under another's feet.
fn tmux(session: &str) -> Command {
    let mut command = Command::new("tmux");
    command.args(["-L", session]);
    command
}
