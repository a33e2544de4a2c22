//! The README's key table is the one the key handler uses: this fails when they drift.

#[test]
fn readme_lists_every_key_of_the_dashboard() {
    let readme = include_str!("../README.md");
    let table = tdbi::app::keys::markdown_table();
    if !readme.contains(&table) {
        panic!("README.md must contain the key table exactly as generated; paste this:\n\n{table}");
    }
}
