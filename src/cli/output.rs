//! Writing listings as aligned tables, JSON arrays or CSV.

use crate::plain::{csv_cell, one_line};
use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::args::Format;

/// A row of a listing: serialized as is for JSON and CSV, shown as cells in a table.
pub trait Record: Serialize {
    /// Column titles of the table format.
    const HEADERS: &'static [&'static str];
    /// The serialized keys, when they are not the lowercased headers (an empty CSV
    /// listing still prints them as its header line).
    const KEYS: Option<&'static [&'static str]> = None;
    /// Table columns (by index) aligned right: amounts and counts.
    const RIGHT: &'static [usize] = &[];
    /// The table cells, one per header.
    fn cells(&self) -> Vec<Cow<'_, str>>;
}

/// A borrowed record is a record (so slices and iterators of references stream).
impl<R: Record> Record for &R {
    const HEADERS: &'static [&'static str] = R::HEADERS;
    const KEYS: Option<&'static [&'static str]> = R::KEYS;
    const RIGHT: &'static [usize] = R::RIGHT;
    fn cells(&self) -> Vec<Cow<'_, str>> {
        (**self).cells()
    }
}

/// Writes `records` to `out` in `format`.
pub fn write<R: Record>(
    out: &mut impl Write,
    format: Format,
    records: &[R],
) -> std::io::Result<()> {
    write_each(out, format, || records.iter())
}

/// Writes the records `records()` yields, one at a time, never holding them all:
/// JSON and CSV take one pass; the table takes two (widths, then rows), so
/// `records` is called once or twice and must yield the same records each time.
pub fn write_each<R: Record, I: Iterator<Item = R>>(
    out: &mut impl Write,
    format: Format,
    records: impl Fn() -> I,
) -> std::io::Result<()> {
    match format {
        Format::Table => write_table(out, records),
        Format::Json => write_json(out, records()),
        Format::Csv => write_csv(out, records()),
    }
}

/// Streams a JSON array, one object per line, without building the whole text.
fn write_json<R: Record>(
    out: &mut impl Write,
    records: impl Iterator<Item = R>,
) -> std::io::Result<()> {
    out.write_all(b"[")?;
    let mut empty = true;
    for record in records {
        out.write_all(if empty { b"\n  " } else { b",\n  " })?;
        empty = false;
        serde_json::to_writer(&mut *out, &record)?;
    }
    out.write_all(if empty { b"]\n" } else { b"\n]\n" })
}

/// CSV with a header line. Every cell is made safe for a terminal and a spreadsheet
/// (see [`csv_cell`]); records are written one at a time, never built up in memory.
fn write_csv<R: Record>(
    out: &mut impl Write,
    records: impl Iterator<Item = R>,
) -> std::io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    let mut first = true;
    let mut raw = Vec::new();
    for record in records {
        // serde gives the header (first record) and the fields; they are re-read as
        // plain cells so each can be made safe before it is written.
        let mut ser = csv::WriterBuilder::new()
            .has_headers(first)
            .from_writer(std::mem::take(&mut raw));
        first = false;
        ser.serialize(&record).map_err(std::io::Error::other)?;
        raw = ser
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(raw.as_slice());
        for row in reader.records() {
            let row = row.map_err(std::io::Error::other)?;
            for cell in row.iter() {
                writer.write_field(csv_cell(cell).as_bytes())?;
            }
            writer.write_record(None::<&[u8]>)?;
        }
        raw.clear();
    }
    if first {
        match R::KEYS {
            Some(keys) => writer.write_record(keys)?,
            None => writer.write_record(R::HEADERS.iter().map(|h| h.to_lowercase()))?,
        }
    }
    writer.flush()
}

/// Columns padded to their widest cell (in terminal columns, so accents and CJK align).
fn write_table<R: Record, I: Iterator<Item = R>>(
    out: &mut impl Write,
    records: impl Fn() -> I,
) -> std::io::Result<()> {
    let mut widths: Vec<usize> = R::HEADERS.iter().map(|h| h.width()).collect();
    for record in records() {
        for (width, cell) in widths.iter_mut().zip(record.cells()) {
            *width = (*width).max(cell.width());
        }
    }
    let headers: Vec<Cow<'_, str>> = R::HEADERS.iter().map(|h| Cow::Borrowed(*h)).collect();
    write_row(out, &widths, R::RIGHT, &headers)?;
    for record in records() {
        write_row(out, &widths, R::RIGHT, &record.cells())?;
    }
    Ok(())
}

fn write_row(
    out: &mut impl Write,
    widths: &[usize],
    right: &[usize],
    cells: &[Cow<'_, str>],
) -> std::io::Result<()> {
    let last = cells.len().saturating_sub(1);
    for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let cell = one_line(cell);
        let pad = width.saturating_sub(cell.width());
        let gap = if i == last { "\n" } else { "  " };
        if right.contains(&i) {
            write!(out, "{:pad$}{cell}{gap}", "")?;
        } else if i == last {
            write!(out, "{cell}{gap}")?;
        } else {
            write!(out, "{cell}{:pad$}{gap}", "")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        id: &'static str,
        name: &'static str,
    }

    impl Record for Row {
        const HEADERS: &'static [&'static str] = &["ID", "NAME"];
        fn cells(&self) -> Vec<Cow<'_, str>> {
            vec![self.id.into(), self.name.into()]
        }
    }

    fn render(format: Format, rows: &[Row]) -> String {
        let mut out = Vec::new();
        write(&mut out, format, rows).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_aligns_by_display_width() {
        let rows = [
            Row {
                id: "1",
                name: "Café",
            },
            Row {
                id: "22",
                name: "a\nb",
            },
        ];
        assert_eq!(
            render(Format::Table, &rows),
            "ID  NAME\n1   Café\n22  a b\n"
        );
    }

    #[derive(Serialize)]
    struct Amount {
        name: &'static str,
        total_amount: &'static str,
    }

    impl Record for Amount {
        const HEADERS: &'static [&'static str] = &["NAME", "TOTAL"];
        const KEYS: Option<&'static [&'static str]> = Some(&["name", "total_amount"]);
        const RIGHT: &'static [usize] = &[1];
        fn cells(&self) -> Vec<Cow<'_, str>> {
            vec![self.name.into(), self.total_amount.into()]
        }
    }

    #[test]
    fn right_aligned_columns_and_keys_of_an_empty_csv() {
        let rows = [
            Amount {
                name: "a",
                total_amount: "1,234.50",
            },
            Amount {
                name: "bb",
                total_amount: "5.00",
            },
        ];
        let mut out = Vec::new();
        write(&mut out, Format::Table, &rows).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NAME     TOTAL\na     1,234.50\nbb        5.00\n"
        );
        let mut out = Vec::new();
        write(&mut out, Format::Csv, &[] as &[Amount]).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "name,total_amount\n");
    }

    #[test]
    fn json_is_an_array_of_objects() {
        let rows = [Row {
            id: "1",
            name: "x\"y",
        }];
        let text = render(Format::Json, &rows);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value[0]["name"], "x\"y");
        assert_eq!(render(Format::Json, &[]), "[]\n");
    }

    #[test]
    fn csv_has_a_header_even_when_empty() {
        assert_eq!(
            render(
                Format::Csv,
                &[Row {
                    id: "1",
                    name: "a,b"
                }]
            ),
            "id,name\n1,\"a,b\"\n"
        );
        assert_eq!(render(Format::Csv, &[]), "id,name\n");
    }

    #[test]
    fn csv_cells_cannot_drive_the_terminal_or_a_spreadsheet() {
        let rows = [
            Row {
                id: "=HYPERLINK(\"x\")",
                name: "\u{1b}[2J\u{1b}]0;pwned\u{7}",
            },
            Row {
                id: "-12.50",
                name: "@SUM(A1)",
            },
            Row {
                id: "\t=1+1",
                name: "+1",
            },
        ];
        let text = render(Format::Csv, &rows);
        assert!(!text.contains(['\u{1b}', '\u{7}']), "{text:?}");
        assert_eq!(
            text,
            "id,name\n\"'=HYPERLINK(\"\"x\"\")\", [2J ]0;pwned \n-12.50,'@SUM(A1)\n =1+1,+1\n"
        );
    }
}
