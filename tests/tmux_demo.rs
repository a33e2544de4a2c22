//! The real binary in a real terminal: `tdbi demo` inside tmux, driven with `send-keys`
//! and read with `capture-pane`. CI installs tmux (`.ci/run`); elsewhere the test is
//! skipped with a message when tmux is missing, and fails under `CI=true`.

const BIN: &str = env!("CARGO_BIN_EXE_tdbi");

mod tmux_support;

use tmux_support::Tmux;

#[test]
fn demo_in_a_real_terminal() {
    if let Some(tmux) = Tmux::start() {
        whole_path(&tmux, 160);
    }
}

/// The same path on a common small terminal: columns drop, the form scrolls, the
/// events view keeps its type and account columns.
#[test]
fn demo_in_an_80x24_terminal() {
    if let Some(tmux) = Tmux::start_sized(80, 24) {
        whole_path(&tmux, 80);
    }
}

/// Filter, account view, another organization, a new trial through the form (typed
/// with cursor moves), the trial selected and its event, billing, and quit: the shell
/// gets its terminal back.
fn whole_path(tmux: &Tmux, width: u16) {
    let wide = width >= 120;
    let log = tmux.path("tdbi.log");
    let modes = tmux.path("stty-after.txt");
    let data = tmux.path("data");
    tmux.type_text(&format!(
        "XDG_DATA_HOME={} {BIN} --log-file {} demo --accounts 300; stty -a > {}; echo DONE-$?\n",
        data.display(),
        log.display(),
        modes.display()
    ));
    let screen = tmux.wait_for("accounts", 30, |s| {
        s.contains("ACTIVE") && s.contains("IN_TRIAL") && s.contains(" of ")
    });
    let first_org = current_org(&screen);

    // The text filter narrows the rows.
    tmux.keys(&["/"]);
    tmux.type_text("zzzqqq");
    tmux.wait_for("an empty filtered list", 10, |s| {
        s.contains("zzzqqq") && s.contains(" 0 of ")
    });
    // The status bar always names IN_TRIAL: wait for the filter itself to go, so the next
    // key does not follow the Esc at once (read as Alt+key).
    tmux.keys(&["Escape"]);
    tmux.wait_for("the rows back", 10, |s| {
        !s.contains("zzzqqq") && !s.contains("No account matches") && s.contains("IN_TRIAL")
    });

    // Contract actions of the selected account.
    tmux.keys(&["Enter"]);
    tmux.wait_for("contract actions", 15, |s| {
        s.contains("Contract actions (") && s.contains("read ") && s.contains("(NEWTDE)")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the table again", 10, |s| {
        !s.contains("Contract actions") && s.contains("IN_TRIAL")
    });

    // Another organization.
    tmux.keys(&["]"]);
    let other = tmux.wait_for("another organization", 10, |s| current_org(s) != first_org);
    assert!(!current_org(&other).is_empty(), "{other}");

    // A new trial through the form, the agreement ticked: it shows as IN_TRIAL.
    let name = format!("Tmux{}", std::process::id());
    tmux.keys(&["n"]);
    tmux.wait_for("the trial form", 10, |s| {
        s.contains("New trial in") && s.contains("Talkdesk Services Trial Agreement")
    });
    // the currency starts as the region's: Ctrl-U clears each field first
    for value in [
        name.as_str(),
        "ops@example.com",
        "Ada Lovelace",
        "Tmux Test Ltd",
        "USD",
        "5",
        "+351489489948",
    ] {
        tmux.keys(&["C-u"]);
        tmux.type_text(value);
        tmux.keys(&["Tab"]);
    }
    // the website typed without its scheme, then Home and the scheme: in front of it
    tmux.type_text("www.example.com");
    tmux.keys(&["Home"]);
    tmux.type_text("https://");
    tmux.wait_for("the scheme at the start", 10, |s| {
        s.contains("[https://www.example.com ")
    });
    tmux.keys(&["Tab"]);
    tmux.keys(&["Tab", "Tab"]); // edition (EXPRESS) and external data stay as they are
    tmux.wait_for("the agreement unticked, submit disabled", 10, |s| {
        s.contains("[ ] The customer accepted") && s.contains("disabled: the customer must accept")
    });
    tmux.keys(&["Space", "Tab", "Enter"]);
    tmux.wait_for("the confirmation", 10, |s| {
        s.contains("Send this trial request?") && s.contains(&name)
    });
    tmux.keys(&["Enter"]);
    let lower = name.to_ascii_lowercase();
    // the form closes, the notice says so (cut on a narrow status line), and the new
    // account is the selected row
    tmux.wait_for("the created trial selected", 15, |s| {
        !s.contains("New trial in")
            && s.contains(&format!("Trial {name}"))
            && s.lines().any(|l| {
                // the row (the account name is lower case there), not the notice
                !l.contains("created in")
                    && l.to_ascii_lowercase().contains(&lower)
                    && l.contains("IN_TRIAL")
            })
    });
    // the selected row is drawn in reverse video, before and after the sync renames it
    let styled = tmux.styled_screen();
    assert!(
        styled.lines().any(|l| {
            l.contains("\u{1b}[1;7m")
                && !l.contains("created in")
                && l.to_ascii_lowercase().contains(&lower)
        }),
        "the new trial is not the selected (reverse video) row:\n{styled}"
    );
    tmux.keys(&["/"]);
    tmux.type_text(&lower);
    tmux.wait_for("the new account IN_TRIAL", 15, |s| {
        s.lines().any(|l| {
            l.to_ascii_lowercase().contains(&lower) && l.contains("IN_TRIAL") && !l.contains("/ ")
        })
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the filter kept", 10, |s| s.contains("filter: "));
    // Esc then a key at once reads as Alt+key: wait for the Esc to land first
    tmux.keys(&["Escape"]);
    tmux.wait_for("the filter cleared", 10, |s| !s.contains("filter: "));

    // The simulator's signed trial_started event for it, live in the events view;
    // filtered to it, Enter opens its account.
    tmux.keys(&["e"]);
    tmux.wait_for("the events view", 10, |s| {
        s.contains("listening on http://127.0.0.1")
    });
    tmux.keys(&["/"]);
    tmux.type_text(&lower);
    tmux.wait_for("its trial event", 20, |s| {
        s.lines().any(|l| {
            l.contains("app.trial_started")
                && l.to_ascii_lowercase().contains(&lower)
                && (!wide || l.contains("verified"))
        })
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the filter kept", 10, |s| s.contains("filter: "));
    tmux.keys(&["Enter"]);
    tmux.wait_for("its account", 15, |s| {
        s.contains("Contract actions (") && s.contains(&name)
    });
    // Esc: back to the events view (its filter kept), Esc clears the filter, Esc leaves
    tmux.keys(&["Escape"]);
    tmux.wait_for("the events view again", 10, |s| {
        !s.contains("Contract actions") && s.contains("listening on") && s.contains("filter: ")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the events filter cleared", 10, |s| {
        s.contains("listening on") && !s.contains("filter: ")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("the table again", 10, |s| !s.contains("listening on"));

    // The Billing view of this organization; once its billing is read, MRR in a currency.
    tmux.keys(&["b"]);
    tmux.wait_for("the Billing view", 10, |s| s.contains("Billing · "));
    let screen = tmux.wait_for("the MRR tile", 30, |s| s.contains("MRR "));
    assert!(
        money_with_code(&screen),
        "MRR without a currency:\n{screen}"
    );
    tmux.keys(&["Escape"]);
    tmux.wait_for("the table again", 10, |s| !s.contains("Billing · "));

    // Quit: the shell gets the terminal back in canonical mode with echo.
    tmux.keys(&["q"]);
    // the exit code echoed, not the typed command that ends with "echo DONE-$?"
    tmux.wait_for("the shell", 15, |s| {
        s.split("DONE-")
            .skip(1)
            .any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    let modes = std::fs::read_to_string(&modes).expect("stty output");
    let words: Vec<&str> = modes.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "terminal modes after quit: {modes}"
    );
}

/// Some line shows an amount with separators and a currency code: `1,234.50 USD`.
fn money_with_code(screen: &str) -> bool {
    screen.lines().any(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words.windows(2).any(|w| {
            w[0].contains('.')
                && w[0]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
                && w[1].len() == 3
                && w[1].chars().all(|c| c.is_ascii_uppercase())
        })
    })
}

/// The current organization's name: the status line (the last) starts with it.
fn current_org(screen: &str) -> String {
    let status = screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    status
        .split(" · ")
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned()
}
