//! The terminal after a signal: SIGTERM, SIGINT or SIGHUP to the running dashboard
//! restores it completely (canonical mode with echo, the main screen, a visible cursor,
//! no mouse reporting) and exits with 128 + the signal's number.

mod tmux_support;

use tmux_support::Tmux;

const BIN: &str = env!("CARGO_BIN_EXE_tdbi");

fn dashboard_then_signal(signal: &str, code: i32) {
    let Some(tmux) = Tmux::start_sized(100, 30) else {
        return;
    };
    let pid_file = tmux.path("pid");
    let modes = tmux.path("stty-after.txt");
    tmux.type_text(&format!(
        "XDG_DATA_HOME={data} sh -c 'echo $$ > {pid}; exec {BIN} --log-file {log} demo --accounts 50 --pace 0'; echo DONE-$?; stty -a > {modes}\n",
        data = tmux.path("data").display(),
        pid = pid_file.display(),
        log = tmux.path("tdbi.log").display(),
        modes = modes.display(),
    ));
    tmux.wait_for("the dashboard", 30, |s| {
        s.contains("ACTIVE") && s.contains(" of ")
    });
    assert_eq!(
        tmux.pane_format("#{alternate_on}"),
        "1",
        "the dashboard is on the alternate screen"
    );
    let pid = std::fs::read_to_string(&pid_file).expect("pid file");
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), pid.trim()])
        .status()
        .expect("kill");
    assert!(status.success());
    // The typed line shows `DONE-$?`; the shell's answer has the digits.
    let screen = tmux.wait_for("the shell", 15, |s| {
        s.split("DONE-")
            .skip(1)
            .any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    assert!(
        screen.contains(&format!("DONE-{code}")),
        "exit code after SIG{signal}:\n{screen}"
    );
    tmux.wait_for("stty", 10, |_| {
        modes.exists() && std::fs::metadata(&modes).is_ok_and(|m| m.len() > 0)
    });
    let text = std::fs::read_to_string(&modes).expect("stty output");
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo") && words.contains(&"isig"),
        "terminal modes after SIG{signal}: {text}"
    );
    assert_eq!(
        tmux.pane_format("#{alternate_on}"),
        "0",
        "the main screen is back"
    );
    assert_eq!(
        tmux.pane_format("#{cursor_flag}"),
        "1",
        "the cursor is visible"
    );
    assert_eq!(
        tmux.pane_format("#{mouse_any_flag}"),
        "0",
        "mouse reporting is off"
    );
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    dashboard_then_signal("TERM", 143);
}

#[test]
fn sigint_restores_the_terminal_and_exits_130() {
    dashboard_then_signal("INT", 130);
}

#[test]
fn sighup_restores_the_terminal_and_exits_129() {
    dashboard_then_signal("HUP", 129);
}
