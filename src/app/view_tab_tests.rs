//! Saved views as tabs: their organizations, filters, sort and columns.

use crate::api::model::AccountStatus;
use crate::app::testdata::{account, store};
use crate::app::{App, Column, Sort};
use crate::config::SavedView;
use crate::view::Theme;

fn app(views: &[SavedView]) -> App {
    let store = store(vec![
        (
            "Acme",
            vec![
                account("a1", "zed", "Z Co", "IN_TRIAL"),
                account("a2", "amy", "A Co", "ACTIVE"),
            ],
        ),
        (
            "Beta",
            vec![
                account("b1", "bob", "Acme Partners", "IN_TRIAL"),
                account("b2", "ann", "N Co", "IN_TRIAL"),
                account("b3", "cat", "C Co", "CHURNED"),
            ],
        ),
        ("Gamma", vec![account("c1", "cy", "acme", "IN_TRIAL")]),
    ]);
    let (tx, _rx) = std::sync::mpsc::channel();
    let mut app = App::new(store, Theme::default(), Box::new(tx));
    app.add_views(views);
    app
}

fn view(name: &str) -> SavedView {
    SavedView {
        name: name.into(),
        organizations: None,
        statuses: Vec::new(),
        query: String::new(),
        sort: Sort::default(),
        columns: None,
    }
}

fn names(app: &App) -> Vec<String> {
    app.listing()
        .rows()
        .iter()
        .map(|r| {
            app.account(*r)
                .map(|a| a.name.to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_view_tab_follows_all_organizations_with_its_filters_and_sort() {
    let trials = SavedView {
        organizations: Some(vec![0, 1]),
        statuses: vec![AccountStatus::InTrial],
        sort: Sort {
            column: Column::Name,
            descending: true,
        },
        ..view("Trials")
    };
    let mut app = app(&[trials, view("All again")]);
    assert_eq!(app.tab_names()[4], "Trials");
    app.update(crate::app::Action::JumpTab(4));
    app.refresh();
    assert_eq!(app.current_orgs().collect::<Vec<_>>(), vec![0, 1]);
    // Gamma's trial is outside the view; CHURNED and ACTIVE are filtered out
    assert_eq!(names(&app), ["zed", "bob", "ann"]);
    assert_eq!(app.listing().columns()[0], Column::Org);
    // the user can still change the tab: clearing filters shows every status
    app.update(crate::app::Action::Back);
    app.refresh();
    assert_eq!(names(&app), ["zed", "cat", "bob", "ann", "amy"]);
}

#[test]
fn a_view_query_and_columns_apply_and_one_organization_drops_its_column() {
    let acme = SavedView {
        organizations: Some(vec![1]),
        query: "acme".into(),
        ..view("Beta acme")
    };
    let narrow = SavedView {
        columns: Some(vec![Column::Name, Column::Status]),
        ..view("Narrow")
    };
    let mut app = app(&[acme, narrow]);
    app.update(crate::app::Action::JumpTab(4));
    app.refresh();
    assert_eq!(names(&app), ["bob"]);
    assert_eq!(app.listing().query(), "acme");
    assert!(!app.listing().columns().contains(&Column::Org));
    app.update(crate::app::Action::NextTab);
    app.refresh();
    assert_eq!(app.listing().columns(), [Column::Name, Column::Status]);
    assert_eq!(names(&app).len(), 6);
    app.update(crate::app::Action::NextTab);
    assert_eq!(app.tab(), 0, "wraps to the first organization");
}

#[test]
fn the_view_tab_is_drawn_after_all_organizations_with_its_rows_and_columns() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let trials = SavedView {
        statuses: vec![AccountStatus::InTrial],
        columns: Some(vec![Column::Name, Column::Org, Column::Status]),
        ..view("Trials")
    };
    let mut app = app(&[trials]);
    app.update(crate::app::Action::JumpTab(4));
    let (w, h) = (100, 16);
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.draw(&mut term).unwrap();
    let text = crate::app::driver::buffer_text(term.backend().buffer());
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("4 All organizations 6") && lines[0].contains("5 Trials"),
        "{text}"
    );
    let header = lines
        .iter()
        .find(|l| l.contains("NAME"))
        .expect("a header row");
    assert!(
        header.contains("ORGANIZATION") && header.contains("STATUS"),
        "{text}"
    );
    assert!(
        !header.contains("COMPANY") && !header.contains(" ID "),
        "{text}"
    );
    for name in ["ann", "bob", "cy", "zed"] {
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with(name)),
            "{name}: {text}"
        );
    }
    assert!(!text.contains("amy") && !text.contains("cat "), "{text}");
    assert!(
        lines[15].starts_with("Trials · 3/3 ready"),
        "the status line names the view: {text}"
    );
}
