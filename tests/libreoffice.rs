//! The planner's spreadsheet as LibreOffice and odfpy see it, readers
//! independent of tournee's writers:
//! - `plan.ods` holds the same cells as `plan.xlsx`, and its bytes repeat;
//! - odfpy finds every visit of plan.csv in its cell of `plan.ods`, A4
//!   landscape pages, repeated header rows and formulas for the totals;
//! - LibreOffice headless opens both files and converts them (to PDF, and
//!   the days' sheet to CSV, whose computed totals are plan.csv's sums);
//! - a commune table typed in LibreOffice (its CSV import), saved as .ods
//!   and .xlsx, plans exactly as its CSV.
//!
//! `.ci/run` installs LibreOffice (Debian's `libreoffice-calc-nogui`) and
//! odfpy; without them these tests skip, except under `CI=true`.

mod common;

use calamine::{Data, Reader};
use common::{root, text, tournee};
use std::path::{Path, PathBuf};
use std::process::Command;

fn has_soffice() -> bool {
    common::installed(
        Command::new("soffice")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "LibreOffice (soffice)",
    )
}

/// `soffice --headless --convert-to FILTER` of `file` into `out`, with a
/// profile of its own (tests run in parallel, one profile would lock).
fn convert(file: &Path, filter: &str, out: &Path, extra: &[&str]) -> PathBuf {
    std::fs::create_dir_all(out).unwrap();
    let profile = out.join("profile");
    let run = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--norestore", "--convert-to", filter])
        .args(extra)
        .arg("--outdir")
        .arg(out)
        .arg(file)
        .output()
        .unwrap();
    // `plan.pdf`, or `plan-Jours.csv` when one sheet is asked for.
    let extension = filter.split(':').next().unwrap();
    let converted = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == extension))
        .unwrap_or_default();
    assert!(
        run.status.success() && converted.is_file(),
        "soffice could not convert {}: {}{}",
        file.display(),
        text(&run.stdout),
        text(&run.stderr)
    );
    converted
}

fn planned(dir: &Path, out: &str, args: &[&str]) -> PathBuf {
    let mut all = vec!["plan", "--out", out];
    all.extend_from_slice(args);
    let run = tournee(&all, dir);
    assert!(run.status.success(), "{}", text(&run.stderr));
    dir.join(out)
}

/// Every sheet's cells as text, by sheet name.
fn cells(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|d| {
                            if d == &Data::Empty {
                                String::new()
                            } else {
                                d.to_string()
                            }
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn plan_ods_holds_the_cells_of_plan_xlsx_and_its_bytes_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let out = planned(dir.path(), "out", &[]);
    let (ods, xlsx) = (cells(&out.join("plan.ods")), cells(&out.join("plan.xlsx")));
    assert_eq!(
        ods.iter().map(|s| &s.0).collect::<Vec<_>>(),
        xlsx.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for ((name, a), (_, b)) in ods.iter().zip(&xlsx) {
        // Formula cells: calamine reads the value cached in the .ods, none
        // in the .xlsx; the text cells must agree everywhere else.
        let strip = |rows: &Vec<Vec<String>>| -> Vec<Vec<String>> {
            rows.iter()
                .filter(|r| r.first().is_none_or(|c| c != "Total"))
                .cloned()
                .collect()
        };
        assert_eq!(strip(a), strip(b), "sheet {name}");
    }
    let again = planned(dir.path(), "again", &[]);
    assert_eq!(
        std::fs::read(out.join("plan.ods")).unwrap(),
        std::fs::read(again.join("plan.ods")).unwrap(),
        "the same plan gives the same plan.ods"
    );
}

#[test]
fn odfpy_reads_the_same_plan() {
    if !common::python_module("odf") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = planned(dir.path(), "out", &[]);
    // A table's rows, cells expanded from their repeat counts.
    let script = r#"
import csv, sys
from odf.opendocument import load
from odf import table, text, style
doc = load(sys.argv[1])
def rows(sheet):
    out = []
    for row in sheet.getElementsByType(table.TableRow):
        cells = []
        for cell in row.childNodes:
            n = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            value = "".join(str(p) for p in cell.getElementsByType(text.P))
            cells.extend([(value, cell.getAttribute("formula"))] * min(n, 50))
        out.append(cells)
    return out
sheets = {s.getAttribute("name"): s for s in doc.spreadsheet.getElementsByType(table.Table)}
grid = rows(sheets["Bus France Services"])
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
missing = []
for row in csv.DictReader(open(sys.argv[2], encoding="utf-8")):
    r = 2 + (int(row["week"]) - 1) * 3 + (1 if row["half_day"] == "AM" else 2)
    c = 1 + days.index(row["weekday"])
    date = row["date"][8:10] + "/" + row["date"][5:7] + "/" + row["date"][0:4]
    dates_row = r - (1 if row["half_day"] == "AM" else 2)
    if row["commune"] not in grid[r][c][0] or not grid[dates_row][c][0].startswith(date):
        missing.append(row["commune"])
headers = [len(h.getElementsByType(table.TableRow)) for h in sheets["Bus France Services"].getElementsByType(table.TableHeaderRows)]
headers = "+".join(str(h) for h in headers)
jours = rows(sheets["Jours"])
total = jours[-1]
layouts = doc.automaticstyles.getElementsByType(style.PageLayout)
props = [p for l in layouts for p in l.getElementsByType(style.PageLayoutProperties)]
landscape = any(p.getAttribute("printorientation") == "landscape" and p.getAttribute("pagewidth") == "297mm" for p in props)
print(len(missing), headers, landscape, total[0][0], total[5][1], total[6][1])
"#;
    let fields = common::python_fields(script, &[&out.join("plan.ods"), &out.join("plan.csv")]);
    let said = fields.join(" ");
    assert_eq!(fields[..4], ["0", "1", "True", "Total"], "{said}");
    assert!(
        fields[4].starts_with("of:=SUM([.F2:.F") && fields[5].starts_with("of:=SUM([.G2:.G"),
        "{said}"
    );
}

/// The sum of plan.csv's `day_km` over its bus days (a day's rows repeat
/// its km).
fn day_km_sum(plan: &Path) -> f64 {
    let mut reader = csv::Reader::from_path(plan).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (bus, week, weekday, km) = (at("bus"), at("week"), at("weekday"), at("day_km"));
    let mut days = std::collections::BTreeMap::new();
    for row in reader.records() {
        let row = row.unwrap();
        let day = (row[bus].to_string(), row[week].to_string(), row[weekday].to_string());
        days.insert(day, row[km].parse::<f64>().unwrap());
    }
    days.values().sum()
}

#[test]
fn libreoffice_opens_both_files_and_computes_the_totals() {
    if !has_soffice() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = planned(dir.path(), "out", &[]);
    for book in ["plan.ods", "plan.xlsx"] {
        let pdf = convert(&out.join(book), "pdf", &dir.path().join(format!("pdf-{book}")), &[]);
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(
            bytes.starts_with(b"%PDF") && bytes.len() > 5_000,
            "{book}: {} bytes",
            bytes.len()
        );
        // The days' sheet (the third) as CSV, its formulas computed by
        // LibreOffice: the total km is the sum of plan.csv's days.
        let csv = convert(
            &out.join(book),
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,3",
            &dir.path().join(format!("csv-{book}")),
            &[],
        );
        let days = std::fs::read_to_string(csv).unwrap();
        let total = days.lines().last().unwrap();
        let km: f64 = total.split(',').nth(5).unwrap().trim_matches('"').parse().unwrap();
        let expected = day_km_sum(&out.join("plan.csv"));
        assert!(
            (km - expected).abs() < 0.5,
            "{book}: total {km} km, plan.csv's days {expected} km"
        );
    }
}

#[test]
fn a_table_typed_in_libreoffice_plans_as_its_csv() {
    if !has_soffice() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let csv = root().join("data/pays_apt_luberon.csv");
    let scenario = root().join("data/pays_apt_luberon.toml");
    let scenario = scenario.to_str().unwrap();
    let from_csv = planned(
        dir.path(),
        "csv",
        &["--scenario", scenario, "--territory", csv.to_str().unwrap()],
    );
    // LibreOffice's CSV import types codes and numbers as numbers, as a
    // planner's keyboard would: 04012 arrives as 4012.
    for format in ["ods", "xlsx"] {
        let book = convert(
            &csv,
            format,
            &dir.path().join(format!("lo-{format}")),
            &["--infilter=CSV:44,34,76,1"],
        );
        let from_book = planned(
            dir.path(),
            format,
            &["--scenario", scenario, "--territory", book.to_str().unwrap()],
        );
        assert_eq!(
            std::fs::read_to_string(from_book.join("plan.csv")).unwrap(),
            std::fs::read_to_string(from_csv.join("plan.csv")).unwrap(),
            "{format}"
        );
    }
}
