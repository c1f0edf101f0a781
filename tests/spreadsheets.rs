//! A commune table kept in a spreadsheet: the same table written as .xlsx
//! (rust_xlsxwriter) and .ods (spreadsheet-ods), numbers as numbers, on a
//! sheet that is not the first, plans exactly as its CSV does; a code typed
//! as a number keeps its leading zero; a broken cell is refused with its
//! sheet, row and column as the spreadsheet shows them.

mod common;

use common::{root, text, tournee};
use std::path::Path;

/// The rows of a CSV table, cells as text.
fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

/// A cell as a planner types it: a number where it reads as one.
fn number(value: &str) -> Option<f64> {
    value.parse::<f64>().ok().filter(|_| !value.is_empty())
}

/// Writes `table` on a sheet named `Communes`, after a sheet of notes.
fn xlsx(table: &[Vec<String>], path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "Tournée 2027")
        .unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Communes").unwrap();
    for (r, row) in table.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match number(value) {
                Some(n) if r > 0 => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, value).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

/// The same in OpenDocument.
fn ods(table: &[Vec<String>], path: &Path) {
    let mut book = spreadsheet_ods::WorkBook::new_empty();
    let mut notes = spreadsheet_ods::Sheet::new("Notes");
    notes.set_value(0, 0, "Tournée 2027");
    book.push_sheet(notes);
    let mut sheet = spreadsheet_ods::Sheet::new("Communes");
    for (r, row) in table.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u32);
            match number(value) {
                Some(n) if r > 0 => sheet.set_value(r, c, n),
                _ => sheet.set_value(r, c, value.as_str()),
            }
        }
    }
    book.push_sheet(sheet);
    spreadsheet_ods::write_ods(&mut book, path).unwrap();
}

fn plan_csv(dir: &Path, args: &[&str]) -> String {
    let out = dir.join(format!("out-{}", args.join("-").replace(['/', '.'], "_")));
    let mut all = vec!["plan", "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = tournee(&all, dir);
    assert!(run.status.success(), "{args:?}: {}", text(&run.stderr));
    std::fs::read_to_string(out.join("plan.csv")).unwrap()
}

#[test]
fn a_spreadsheet_plans_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = root().join("data/pays_apt_luberon.csv");
    let table = rows(&std::fs::read_to_string(&csv).unwrap());
    let (book_x, book_o) = (dir.path().join("communes.xlsx"), dir.path().join("communes.ods"));
    xlsx(&table, &book_x);
    ods(&table, &book_o);
    let scenario = root().join("data/pays_apt_luberon.toml");
    let scenario = scenario.to_str().unwrap();
    let from_csv = plan_csv(
        dir.path(),
        &["--scenario", scenario, "--territory", csv.to_str().unwrap()],
    );
    for book in [&book_x, &book_o] {
        let from_sheet = plan_csv(
            dir.path(),
            &[
                "--scenario",
                scenario,
                "--territory",
                book.to_str().unwrap(),
                "--sheet",
                "Communes",
            ],
        );
        assert_eq!(from_sheet, from_csv, "{}", book.display());
    }
}

#[test]
fn a_broken_cell_is_refused_with_its_sheet_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut table = rows(&std::fs::read_to_string(root().join("data/pays_apt_luberon.csv")).unwrap());
    let population = table[0].iter().position(|h| h == "population").unwrap();
    // Row 14 of the sheet is the 13th commune.
    table[13][population] = "beaucoup".into();
    for (book, write) in [("c.xlsx", xlsx as fn(&[Vec<String>], &Path)), ("c.ods", ods)] {
        let path = dir.path().join(book);
        write(&table, &path);
        let run = tournee(
            &[
                "plan",
                "--territory",
                path.to_str().unwrap(),
                "--sheet",
                "Communes",
                "--out",
                "out",
            ],
            dir.path(),
        );
        let err = text(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{err}");
        let letter = (b'A' + population as u8) as char;
        assert!(
            err.contains(&format!("sheet Communes, row 14, column {letter}")) && err.contains("`beaucoup`"),
            "{book}: {err}"
        );
        let run = tournee(
            &[
                "plan",
                "--territory",
                path.to_str().unwrap(),
                "--sheet",
                "Communs",
                "--out",
                "out",
            ],
            dir.path(),
        );
        let err = text(&run.stderr);
        assert!(
            err.contains("no sheet `Communs`") && err.contains("Notes, Communes"),
            "{err}"
        );
    }
}

#[test]
fn a_code_typed_as_a_number_keeps_its_leading_zero() {
    let dir = tempfile::tempdir().unwrap();
    let table = rows(
        "insee,name,lat,lon,population\n01001,L'Abergement-Clémenciat,46.1517,4.9306,860\n01002,L'Abergement-de-Varey,46.00713,5.42464,270",
    );
    let path = dir.path().join("ain.xlsx");
    xlsx(&table, &path);
    let territory = tournee::input::territory::Territory::read_sheet(
        &path,
        tournee::input::territory::Unlocated::Refuse,
        Some("Communes"),
    )
    .unwrap();
    let codes: Vec<&str> = territory.communes.iter().map(|c| c.insee.as_str()).collect();
    assert_eq!(codes, ["01001", "01002"]);
    let csv = root().join("data/pays_apt_luberon.csv");
    let run = tournee(
        &["plan", "--territory", csv.to_str().unwrap(), "--sheet", "Communes"],
        dir.path(),
    );
    assert!(text(&run.stderr).contains("no spreadsheet"), "{}", text(&run.stderr));
}

/// A published tour typed in a spreadsheet (the five columns a planner
/// types) is checked as its CSV is; a bad weekday is refused with its
/// sheet, row and column.
#[test]
fn a_published_tour_typed_in_a_spreadsheet_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let published = root().join("data/published/ruffecois/published.csv");
    let table = rows(&std::fs::read_to_string(&published).unwrap());
    let columns = ["bus", "week", "weekday", "half_day", "insee"];
    let index: Vec<usize> = columns
        .iter()
        .map(|c| table[0].iter().position(|h| h == c).unwrap())
        .collect();
    let typed: Vec<Vec<String>> = table
        .iter()
        .map(|r| index.iter().map(|&i| r[i].clone()).collect())
        .collect();
    let path = dir.path().join("tour.xlsx");
    let scenario = root().join("data/published/ruffecois/scenario.toml");
    let check = |typed: &[Vec<String>]| {
        xlsx(typed, &path);
        tournee(
            &[
                "check",
                "--scenario",
                scenario.to_str().unwrap(),
                "--plan",
                path.to_str().unwrap(),
            ],
            dir.path(),
        )
    };
    let kept = check(&typed);
    assert!(kept.status.success(), "{}", text(&kept.stdout) + &text(&kept.stderr));
    let mut broken = typed.clone();
    broken[3][2] = "Mardy".into();
    let err = text(&check(&broken).stderr);
    assert!(
        err.contains("sheet Communes, row 4, column C") && err.contains("weekday"),
        "{err}"
    );
}

/// The shipped `data/pays_apt_luberon.ods` (the CSV opened and saved by
/// LibreOffice, as the README's planner example reads it) plans exactly
/// as the CSV it was made from: the two never drift apart.
#[test]
fn the_shipped_spreadsheet_plans_as_its_csv() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = root().join("data/pays_apt_luberon.toml");
    let scenario = scenario.to_str().unwrap();
    let plan = |table: &str| {
        let table = root().join(table);
        plan_csv(
            dir.path(),
            &["--scenario", scenario, "--territory", table.to_str().unwrap()],
        )
    };
    assert_eq!(plan("data/pays_apt_luberon.ods"), plan("data/pays_apt_luberon.csv"));
}
