//! The planner's workbook, `plan.xlsx` and `plan.ods`: the tour as a
//! planner draws it in a spreadsheet and mails it to the town halls. One
//! sheet per bus, the cycle's grid (weeks × weekdays, a row of dates, the
//! morning and the afternoon), one colour per commune kept across sheets,
//! holidays greyed; a sheet of communes (their rule in French, `horaires`,
//! the next dates); a sheet of days (stops, km, driving minutes) whose
//! totals are formulas. A4 landscape, one page wide, the columns' titles
//! repeated on each page, panes frozen. The file's dates are fixed, so the same plan
//! gives the same bytes.
//!
//! The layout is built once, as a `Book` of cells with a `Look`, and
//! each format's writer ([`xlsx`], [`ods`]) only translates it: the two
//! files cannot drift apart.

mod ods;
mod xlsx;

pub use ods::ods;
pub use xlsx::xlsx;

use crate::calendar::{WEEKDAYS, is_french_holiday, weekday_french};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;

/// Light fills a commune keeps on every sheet (its index modulo their
/// number): readable under black text, and printable.
const FILLS: [u32; 12] = [
    0xCFE2F3, 0xD9EAD3, 0xFFF2CC, 0xF4CCCC, 0xD9D2E9, 0xFCE5CD, 0xD0E0E3, 0xEAD1DC, 0xC9DAF8, 0xE6F4EA, 0xFDEBD0,
    0xE8EAF6,
];

/// Grey for a public holiday.
const HOLIDAY: u32 = 0xBFBFBF;

/// How many of a commune's next dates the communes' sheet lists.
const NEXT_DATES: usize = 12;

/// A cell's look: what both formats can say alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Look {
    pub bold: bool,
    pub italic: bool,
    /// Background, as 0xRRGGBB.
    pub fill: Option<u32>,
    /// A thin border all round (the grid's half-days).
    pub border: bool,
}

const BOLD: Look = Look {
    bold: true,
    italic: false,
    fill: None,
    border: false,
};

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    Text(String),
    Number(f64),
    /// The sum of rows `first..=last` (0-based) of column `col`: a formula,
    /// so a planner's edit of a day updates the total, stored with its
    /// `value` (LibreOffice shows a stored value rather than recompute an
    /// .xlsx on opening).
    Sum {
        col: u16,
        first: u32,
        last: u32,
        value: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub row: u32,
    pub col: u16,
    pub content: Content,
    pub look: Look,
}

/// One sheet: its cells, column widths (in characters), and how many top
/// rows are its header: frozen on screen with the first column, the last
/// of them (the columns' titles) repeated on each printed page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sheet {
    pub name: String,
    pub cells: Vec<Cell>,
    pub widths: Vec<(u16, f64)>,
    pub header_rows: u32,
}

impl Sheet {
    fn new(name: &str, header_rows: u32) -> Sheet {
        Sheet {
            name: sheet_name(name),
            header_rows,
            ..Sheet::default()
        }
    }

    fn put(&mut self, row: u32, col: u16, content: Content, look: Look) {
        self.cells.push(Cell {
            row,
            col,
            content,
            look,
        });
    }

    fn text(&mut self, row: u32, col: u16, text: impl Into<String>, look: Look) {
        self.put(row, col, Content::Text(text.into()), look);
    }

    fn number(&mut self, row: u32, col: u16, value: f64) {
        self.put(row, col, Content::Number(value), Look::default());
    }

    /// A bold header row of `columns` (title, width in characters).
    fn header(&mut self, columns: &[(&str, u16)]) {
        for (i, (title, width)) in columns.iter().enumerate() {
            self.text(0, i as u16, *title, BOLD);
            self.widths.push((i as u16, f64::from(*width)));
        }
    }
}

/// The workbook, format aside.
pub(crate) type Book = Vec<Sheet>;

/// The column's letters as spreadsheets show them (0 → A, 26 → AA): the
/// reader's, which names cells in its refusals.
pub(crate) fn column_letters(col: u16) -> String {
    crate::input::sheet::letters(u32::from(col))
}

/// A sheet name spreadsheets accept: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

/// The plan's workbook: a grid per bus, then the communes and the days.
pub(crate) fn book(instance: &Instance, plan: &Plan) -> Book {
    let mut sheets: Book = (0..instance.buses.len()).map(|b| grid(instance, plan, b)).collect();
    sheets.push(communes(instance, plan));
    sheets.push(days(instance, plan));
    sheets
}

/// The commune's fill on every sheet (the head line's, so a commune's
/// lines share one colour).
fn fill_of(instance: &Instance, commune: usize) -> u32 {
    FILLS[instance.territory.head(commune) % FILLS.len()]
}

/// The cycle's grid for `bus`: per week a row of dates, then the morning
/// and the afternoon, a column per weekday it works.
fn grid(instance: &Instance, plan: &Plan, bus: usize) -> Sheet {
    let b = &instance.buses[bus];
    let mut sheet = Sheet::new(&b.name, 2);
    let title = format!("{} — {}", b.name, crate::output::wording::cycle(&instance.cycle));
    sheet.text(0, 0, title, BOLD);
    let weekdays: Vec<chrono::Weekday> = WEEKDAYS.iter().copied().filter(|d| b.weekdays.contains(d)).collect();
    sheet.text(1, 0, "Semaine", BOLD);
    sheet.widths.push((0, 14.0));
    for (i, day) in weekdays.iter().enumerate() {
        sheet.text(1, i as u16 + 1, weekday_french(*day), BOLD);
        sheet.widths.push((i as u16 + 1, 24.0));
    }
    let days = plan.days();
    let mut row = 2;
    for week in instance.cycle.week_numbers() {
        sheet.text(row, 0, format!("Semaine {week}"), BOLD);
        for (i, &day) in weekdays.iter().enumerate() {
            let col = i as u16 + 1;
            if let Some(date) = instance.cycle.date_of(week, day) {
                let holiday = is_french_holiday(date);
                let text = format!("{}{}", date.format("%d/%m/%Y"), if holiday { " (férié)" } else { "" });
                let look = Look {
                    italic: !holiday,
                    fill: holiday.then_some(HOLIDAY),
                    ..Look::default()
                };
                sheet.text(row, col, text, look);
            }
            let today = days.iter().find(|d| d.bus == bus && d.week == week && d.weekday == day);
            for (k, half) in crate::calendar::HalfDay::BOTH.iter().enumerate() {
                let communes = today.map(|d| d.of(*half)).unwrap_or_default();
                let names: Vec<&str> = communes
                    .iter()
                    .map(|&c| instance.territory.communes[c].name.as_str())
                    .collect();
                let look = Look {
                    fill: communes.first().map(|&c| fill_of(instance, c)),
                    border: true,
                    ..Look::default()
                };
                sheet.text(row + 1 + k as u32, col, names.join(" / "), look);
            }
        }
        sheet.text(row + 1, 0, "matin", Look::default());
        sheet.text(row + 2, 0, "après-midi", Look::default());
        row += 3;
    }
    sheet
}

/// One row per commune line: its rule in French, `horaires`, its next
/// dates.
fn communes(instance: &Instance, plan: &Plan) -> Sheet {
    let mut sheet = Sheet::new("Communes", 1);
    sheet.header(&[
        ("INSEE", 8),
        ("Commune", 24),
        ("Bus", 16),
        ("Créneau", 10),
        ("Passage", 60),
        ("horaires", 40),
        ("Prochaines dates", 60),
    ]);
    for (r, stop) in plan.stops().iter().enumerate() {
        let row = r as u32 + 1;
        let commune = &instance.territory.communes[stop.commune];
        let fill = Look {
            fill: Some(fill_of(instance, stop.commune)),
            ..Look::default()
        };
        let next: Vec<String> = crate::output::ical::open_dates(stop, instance)
            .unwrap_or_default()
            .iter()
            .take(NEXT_DATES)
            .map(|d| d.format("%d/%m/%Y").to_string())
            .collect();
        let plain = Look::default();
        sheet.text(row, 0, &commune.insee, plain);
        sheet.text(row, 1, &commune.name, fill);
        sheet.text(row, 2, &instance.buses[stop.bus].name, plain);
        sheet.text(row, 3, commune.slot.as_deref().unwrap_or(""), plain);
        sheet.text(row, 4, crate::output::wording::sentence(instance, stop), plain);
        sheet.text(row, 5, crate::output::opendata::horaires(instance, stop), plain);
        sheet.text(row, 6, next.join(", "), plain);
    }
    sheet
}

/// One row per bus day: stops, km, driving minutes; totals as formulas.
fn days(instance: &Instance, plan: &Plan) -> Sheet {
    let mut sheet = Sheet::new("Jours", 1);
    sheet.header(&[
        ("Bus", 16),
        ("Semaine", 9),
        ("Jour", 10),
        ("Date", 11),
        ("Arrêts", 50),
        ("km", 8),
        ("Minutes de conduite", 10),
    ]);
    let days = plan.days();
    let plain = Look::default();
    let mut totals = [0.0; 2];
    for (r, day) in days.iter().enumerate() {
        let row = r as u32 + 1;
        let drive = instance.day_drive(day.bus, &day.communes());
        let names: Vec<&str> = day
            .communes()
            .iter()
            .map(|&c| instance.territory.communes[c].name.as_str())
            .collect();
        let date = instance.cycle.date_of(day.week, day.weekday);
        sheet.text(row, 0, &instance.buses[day.bus].name, plain);
        sheet.number(row, 1, f64::from(day.week));
        sheet.text(row, 2, weekday_french(day.weekday), plain);
        sheet.text(
            row,
            3,
            date.map_or(String::new(), |d| d.format("%d/%m/%Y").to_string()),
            plain,
        );
        sheet.text(row, 4, names.join(", "), plain);
        let (km, minutes) = ((drive.metres / 100.0).round() / 10.0, (drive.seconds / 60.0).round());
        sheet.number(row, 5, km);
        sheet.number(row, 6, minutes);
        totals[0] += km;
        totals[1] += minutes;
    }
    let total = days.len() as u32 + 1;
    sheet.text(total, 0, "Total", BOLD);
    for (col, value) in [5, 6].into_iter().zip(totals) {
        let sum = Content::Sum {
            col,
            first: 1,
            last: total - 1,
            // The sum as a spreadsheet adds the cells: to 0.1 km.
            value: (value * 10.0).round() / 10.0,
        };
        sheet.put(total, col, sum, BOLD);
    }
    sheet
}
