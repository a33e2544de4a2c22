//! `O`, `y`, `Y` and `x`: what leaves the terminal, with a recording desktop.

use std::sync::{Arc, Mutex};

use crate::app::testdata::{account, store};
use crate::app::{Action, App, Desktop, Mode, osc52};
use crate::config::{AccountUrl, Region};
use crate::view::Theme;

#[derive(Clone, Default)]
struct Recorder {
    opened: Arc<Mutex<Vec<String>>>,
    copied: Arc<Mutex<Vec<String>>>,
    fail: bool,
}

impl Desktop for Recorder {
    fn open(&mut self, url: &str) -> std::io::Result<()> {
        if self.fail {
            return Err(std::io::Error::other("no browser"));
        }
        self.opened.lock().unwrap().push(url.to_owned());
        Ok(())
    }
    fn copy(&mut self, text: &str) -> std::io::Result<()> {
        self.copied.lock().unwrap().push(text.to_owned());
        Ok(())
    }
}

fn app() -> App {
    let store = store(vec![
        (
            "Acme",
            vec![
                account("a1", "zed", "Z Co", "IN_TRIAL"),
                account("a2", "amy", "=HYPERLINK(\"x\")", "ACTIVE"),
                account("a3", "al\tbert", "Tab Co", "IN_TRIAL"),
            ],
        ),
        ("Beta", vec![account("b1", "bob", "B Co", "IN_TRIAL")]),
    ]);
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::new(store, Theme::default(), Box::new(tx));
    app.refresh();
    app
}

fn notice(app: &App) -> (bool, String) {
    let n = app.notice.clone().expect("a notice");
    (n.error, n.text)
}

#[test]
fn osc52_sets_the_clipboard_with_base64() {
    assert_eq!(osc52("a1"), "\u{1b}]52;c;YTE=\u{1b}\\");
    assert_eq!(osc52(""), "\u{1b}]52;c;\u{1b}\\");
}

#[test]
fn y_copies_the_id_and_shift_y_the_row_as_tsv() {
    let mut app = app();
    let rec = Recorder::default();
    app.update(Action::CopyId);
    assert_eq!(notice(&app), (true, "no clipboard here".to_owned()));
    app.set_desktop(Box::new(rec.clone()));
    app.update(Action::Down); // sorted by name: al bert, amy, zed
    app.update(Action::CopyId);
    app.update(Action::CopyRow);
    let copied = rec.copied.lock().unwrap().clone();
    assert_eq!(copied[0], "a2");
    // the org tab's columns: ID NAME COMPANY STATUS MRR CONTRACT (no billing, no actions)
    assert_eq!(copied[1], "a2\tamy\t=HYPERLINK(\"x\")\tACTIVE\t\t");
    assert_eq!(
        notice(&app),
        (
            false,
            "copied the row of a2 (6 cells, TSV) to the clipboard (OSC 52)".to_owned()
        )
    );
    app.update(Action::Up);
    app.update(Action::CopyRow);
    let tsv = rec.copied.lock().unwrap()[2].clone();
    assert_eq!(
        tsv.split('\t').nth(1),
        Some("al bert"),
        "a tab inside a cell is a space: {tsv:?}"
    );
    // the account view copies its account
    app.update(Action::Confirm);
    assert!(matches!(app.mode(), Mode::Account(_)));
    app.update(Action::CopyId);
    assert_eq!(rec.copied.lock().unwrap()[3], "a3");
}

#[test]
fn o_opens_the_account_url_or_says_why_not() {
    let mut app = app();
    app.update(Action::OpenInBrowser);
    let (error, text) = notice(&app);
    assert!(error && text.contains("no account URL"), "{text}");
    app.set_account_urls(vec![
        AccountUrl::default_for(Region::Eu),
        AccountUrl::default_for(Region::Ca),
    ]);
    let rec = Recorder::default();
    app.set_desktop(Box::new(rec.clone()));
    app.update(Action::Down);
    app.update(Action::OpenInBrowser);
    assert_eq!(*rec.opened.lock().unwrap(), ["https://amy.mytalkdesk.eu/"]);
    assert_eq!(
        notice(&app),
        (false, "opened https://amy.mytalkdesk.eu/".to_owned())
    );
    // a name that is not plain URL text is refused, nothing opened
    app.update(Action::Up);
    app.update(Action::OpenInBrowser);
    let (error, text) = notice(&app);
    assert!(error && text.contains("cannot be put into a URL"), "{text}");
    assert_eq!(rec.opened.lock().unwrap().len(), 1);
    app.set_desktop(Box::new(Recorder {
        fail: true,
        ..Recorder::default()
    }));
    app.update(Action::OpenInBrowser);
    app.update(Action::Down);
    app.update(Action::OpenInBrowser);
    let (error, text) = notice(&app);
    assert!(error && text.ends_with("no browser"), "{text}");
}

#[test]
fn x_exports_every_row_of_the_filtered_tab_with_csv_escaping() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    app.update(Action::Export);
    assert_eq!(notice(&app), (true, "export is not set up here".to_owned()));
    app.set_export_dir(dir.path().to_owned());
    app.update(Action::JumpTab(2)); // All organizations
    // `s` twice: only ACTIVE, then only IN_TRIAL
    app.update(Action::CycleStatus);
    app.refresh();
    let shown: Vec<String> = app
        .listing()
        .status_filter()
        .iter()
        .map(|s| s.as_str().to_owned())
        .collect();
    assert_eq!(shown, ["ACTIVE"], "s shows the first status");
    app.update(Action::CycleStatus);
    app.refresh();
    app.update(Action::Export);
    let (error, text) = notice(&app);
    assert!(!error, "{text}");
    let path = text
        .strip_prefix("exported 3 rows to ")
        .expect(&text)
        .to_owned();
    assert!(path.contains("tdbi-all-organizations-"), "{path}");
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        csv,
        "organization,id,name,company,status,mrr,contract\n\
         Acme,a3,al bert,Tab Co,IN_TRIAL,,\n\
         Beta,b1,bob,B Co,IN_TRIAL,,\n\
         Acme,a1,zed,Z Co,IN_TRIAL,,\n"
    );
    // the ACTIVE row, with a formula as its company, is escaped when it is exported
    app.update(Action::Back);
    app.refresh();
    app.update(Action::Export);
    let (_, text) = notice(&app);
    let path = text
        .strip_prefix("exported 4 rows to ")
        .expect(&text)
        .to_owned();
    assert!(
        path.ends_with("-2.csv"),
        "a second export in the same second gets a new name: {path}"
    );
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(
        csv.contains("Acme,a2,amy,\"'=HYPERLINK(\"\"x\"\")\",ACTIVE,,\n"),
        "{csv}"
    );
}

#[tokio::test]
async fn x_writes_off_the_ui_task_and_reports_through_the_updates() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app();
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    app.connect(Vec::new(), &tx);
    app.set_export_dir(dir.path().to_owned());
    app.update(Action::Export);
    let (error, text) = notice(&app);
    assert!(!error && text.starts_with("exporting 3 rows to "), "{text}");
    // the accounts change before the file is read back: the export keeps its snapshot
    std::sync::Arc::make_mut(&mut app.store.orgs[0].accounts)[0].name = "renamed".into();
    let update = rx.recv().await.expect("the export's result");
    assert!(matches!(update, crate::store::Update::Exported { .. }));
    app.apply(update);
    let (error, text) = notice(&app);
    let path = text.strip_prefix("exported 3 rows to ").expect(&text);
    assert!(!error);
    let csv = std::fs::read_to_string(path).unwrap();
    assert_eq!(
        csv,
        "id,name,company,status,mrr,contract\n\
         a3,al bert,Tab Co,IN_TRIAL,,\n\
         a2,amy,\"'=HYPERLINK(\"\"x\"\")\",ACTIVE,,\n\
         a1,zed,Z Co,IN_TRIAL,,\n"
    );
}
