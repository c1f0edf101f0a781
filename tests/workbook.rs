//! `plan.xlsx`, read back with calamine (a reader, not the writer): every
//! visit of plan.csv sits in its bus's grid at its week, weekday and
//! half-day, with the date above it; the days' sheet has one row per bus
//! day and totals as formulas; the communes' sheet words each stop's rule;
//! the same plan gives the same bytes.

mod common;

use calamine::{Data, Reader};
use common::{text, tournee};

fn planned(dir: &std::path::Path, out: &str) -> std::path::PathBuf {
    let run = tournee(&["plan", "--out", out], dir);
    assert!(run.status.success(), "{}", text(&run.stderr));
    dir.join(out)
}

fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
    range.get_value((row, col)).map_or(String::new(), |d| d.to_string())
}

#[test]
fn every_visit_sits_in_its_cell_and_totals_are_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let out = planned(dir.path(), "out");
    let plan = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    let mut book = calamine::open_workbook_auto(out.join("plan.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Bus France Services", "Communes", "Jours"]);
    let grid = book.worksheet_range("Bus France Services").unwrap();
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri"];
    let french = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"];
    for (i, day) in french.iter().enumerate() {
        assert_eq!(cell(&grid, 1, i as u32 + 1), *day);
    }
    let mut days = std::collections::BTreeSet::new();
    for line in plan.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        // bus, week, weekday, half_day, start, end, insee, commune, lat, lon, visits, date
        let week: u32 = c[1].parse().unwrap();
        let col = weekdays.iter().position(|d| *d == c[2]).unwrap() as u32 + 1;
        let row = 2 + (week - 1) * 3 + if c[3] == "AM" { 1 } else { 2 };
        assert!(
            cell(&grid, row, col).contains(c[7]),
            "{line}: {}",
            cell(&grid, row, col)
        );
        let date = chrono::NaiveDate::parse_from_str(c[11], "%Y-%m-%d").unwrap();
        assert!(
            cell(&grid, row - if c[3] == "AM" { 1 } else { 2 }, col).starts_with(&date.format("%d/%m/%Y").to_string())
        );
        days.insert((c[1].to_string(), c[2].to_string()));
    }
    let jours = book.worksheet_range("Jours").unwrap();
    assert_eq!(
        jours.height(),
        days.len() + 2,
        "a header, a row per bus day, the totals"
    );
    let formulas = book.worksheet_formula("Jours").unwrap();
    let total_row = days.len() as u32 + 1;
    assert_eq!(
        formulas.get_value((total_row, 5)).unwrap(),
        &format!("SUM(F2:F{total_row})")
    );
    assert_eq!(
        formulas.get_value((total_row, 6)).unwrap(),
        &format!("SUM(G2:G{total_row})")
    );
    let communes = book.worksheet_range("Communes").unwrap();
    assert!(
        cell(&communes, 1, 4).contains("s'arrête à"),
        "{}",
        cell(&communes, 1, 4)
    );
    let again = planned(dir.path(), "again");
    assert_eq!(
        std::fs::read(out.join("plan.xlsx")).unwrap(),
        std::fs::read(again.join("plan.xlsx")).unwrap()
    );
}

/// openpyxl (Python), a reader independent of both the writer and
/// calamine, finds in `plan.xlsx` every visit of plan.csv in its cell,
/// the page set to A4 landscape with its weekdays' row repeated, and the
/// days' totals as formulas. `.ci/run` installs openpyxl; without it the
/// test skips, except under `CI=true`.
#[test]
fn openpyxl_reads_the_same_plan() {
    if !common::python_module("openpyxl") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = planned(dir.path(), "out");
    let script = r#"
import csv, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
grid = book[book.sheetnames[0]]
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
missing = []
for row in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    r = 3 + (int(row["week"]) - 1) * 3 + (1 if row["half_day"] == "AM" else 2)
    c = 2 + days.index(row["weekday"])
    if row["commune"] not in (grid.cell(row=r, column=c).value or ""):
        missing.append(row["commune"])
setup = grid.page_setup
jours = book["Jours"]
total = [jours.cell(row=jours.max_row, column=k).value for k in (6, 7)]
print(len(missing), setup.orientation, setup.paperSize, grid.print_title_rows, grid.freeze_panes, total[0], total[1])
"#;
    let fields = common::python_fields(script, &[&out.join("plan.xlsx"), &out.join("plan.csv")]);
    let said = fields.join(" ");
    assert_eq!(fields[..5], ["0", "landscape", "9", "$2:$2", "B3"], "{said}");
    assert!(
        fields[5].starts_with("=SUM(F2:F") && fields[6].starts_with("=SUM(G2:G"),
        "{said}"
    );
}
