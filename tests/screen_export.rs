//! `x` in the dashboard against the simulator: the status line says the export began
//! at once, the rows are written off the UI task, and the file holds the tab's rows
//! (its status filter and sort, not only those on screen).

mod screen_support;

use ratatui::crossterm::event::KeyCode;

use screen_support::WAIT;

#[tokio::test]
async fn x_exports_the_filtered_tab_off_the_ui_task() {
    let (_sim, mut d) = screen_support::start(5, 300, 120, 20).await;
    let dir = tempfile::tempdir().expect("temporary dir");
    d.app.set_export_dir(dir.path().to_owned());
    d.key(KeyCode::Char('s')); // the first status only
    let expected: Vec<String> = (d.app.listing().rows().iter())
        .filter_map(|&r| d.app.account(r).map(|a| a.id.to_string()))
        .collect();
    let status = (d.app.listing().status_filter().iter().next())
        .expect("a status picked")
        .as_str()
        .to_owned();
    assert!(
        expected.len() > 16,
        "more rows than a 20-line screen shows: {}",
        expected.len()
    );

    d.key(KeyCode::Char('x'));
    let text = d.app.notice().map(|n| n.text.clone()).unwrap_or_default();
    let begun = format!("exporting {} rows to ", expected.len());
    assert!(text.starts_with(&begun), "{text}");
    d.pump_until(WAIT, |app| {
        app.notice()
            .is_some_and(|n| n.text.starts_with("exported "))
    })
    .await
    .expect("the export's result comes back");
    let notice = d.app.notice().cloned().expect("a notice");
    assert!(!notice.error, "{}", notice.text);
    let done = format!("exported {} rows to ", expected.len());
    let path = notice.text.strip_prefix(&done).expect(&notice.text);
    let screen = d.screen();
    assert!(
        screen.contains("exported"),
        "the status line says so:\n{screen}"
    );

    let mut csv = csv::Reader::from_path(path).expect("the exported file");
    let header = csv.headers().expect("a header").clone();
    let at = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (id_at, status_at) = (at("id"), at("status"));
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("a record")).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[id_at]).collect();
    assert_eq!(ids, expected, "the tab's rows, in its order");
    assert!(rows.iter().all(|r| r[status_at] == status));
}
