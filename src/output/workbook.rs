//! `plan.xlsx`: the tour as a planner draws it in a spreadsheet and mails
//! it to the town halls. One sheet per bus, the cycle's grid (weeks ×
//! weekdays, a row of dates, the morning and the afternoon), one colour
//! per commune kept across sheets, holidays greyed; a sheet of communes
//! (their rule in French, `horaires`, the next dates); a sheet of days (stops,
//! km, driving minutes) whose totals are formulas. A4 landscape, one page
//! wide, header rows repeated, panes frozen. The file's dates are fixed,
//! so the same plan gives the same bytes.

use crate::calendar::{WEEKDAYS, is_french_holiday, weekday_french};
use crate::error::{Error, Result};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use rust_xlsxwriter::{Color, DocProperties, Format, FormatBorder, Workbook, Worksheet};

/// Light fills a commune keeps on every sheet (its index modulo their
/// number): readable under black text, and printable.
const FILLS: [u32; 12] = [
    0xCFE2F3, 0xD9EAD3, 0xFFF2CC, 0xF4CCCC, 0xD9D2E9, 0xFCE5CD, 0xD0E0E3, 0xEAD1DC, 0xC9DAF8, 0xE6F4EA, 0xFDEBD0,
    0xE8EAF6,
];

/// Grey for a public holiday.
const HOLIDAY: u32 = 0xBFBFBF;

/// A4 in the spreadsheet's paper codes.
const A4: u8 = 9;

/// How many of a commune's next dates the communes' sheet lists.
const NEXT_DATES: usize = 12;

/// The workbook's bytes.
pub fn xlsx(instance: &Instance, plan: &Plan) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::internal(format!("plan.xlsx: {e}"));
    let mut book = Workbook::new();
    // A fixed creation date: the same plan gives the same bytes.
    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
    book.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    for bus in 0..instance.buses.len() {
        grid(book.add_worksheet(), instance, plan, bus).map_err(fail)?;
    }
    communes(book.add_worksheet(), instance, plan).map_err(fail)?;
    days(book.add_worksheet(), instance, plan).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}

type Sheet<'a> = &'a mut Worksheet;
type Written = std::result::Result<(), rust_xlsxwriter::XlsxError>;

/// A4 landscape, one page wide, the first `header` rows repeated.
fn print_setup(sheet: Sheet, header: u32) -> Written {
    sheet.set_landscape().set_paper_size(A4).set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, header - 1)?;
    sheet.set_freeze_panes(header, 1)?;
    Ok(())
}

/// A sheet name spreadsheets accept: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect()
}

/// The cycle's grid for `bus`: per week a row of dates, then the morning
/// and the afternoon, a column per weekday it works.
fn grid(sheet: Sheet, instance: &Instance, plan: &Plan, bus: usize) -> Written {
    let b = &instance.buses[bus];
    sheet.set_name(sheet_name(&b.name))?;
    let bold = Format::new().set_bold();
    let title = format!("{} — {}", b.name, crate::output::wording::cycle(&instance.cycle));
    sheet.write_string_with_format(0, 0, &title, &bold)?;
    let weekdays: Vec<chrono::Weekday> = WEEKDAYS.iter().copied().filter(|d| b.weekdays.contains(d)).collect();
    sheet.write_string_with_format(1, 0, "Semaine", &bold)?;
    for (i, day) in weekdays.iter().enumerate() {
        sheet.write_string_with_format(1, i as u16 + 1, weekday_french(*day), &bold)?;
        sheet.set_column_width(i as u16 + 1, 24)?;
    }
    sheet.set_column_width(0, 14)?;
    let days = plan.days();
    let mut row = 2;
    for week in instance.cycle.week_numbers() {
        sheet.write_string_with_format(row, 0, format!("Semaine {week}"), &bold)?;
        for (i, &day) in weekdays.iter().enumerate() {
            let col = i as u16 + 1;
            if let Some(date) = instance.cycle.date_of(week, day) {
                let holiday = is_french_holiday(date);
                let text = format!("{}{}", date.format("%d/%m/%Y"), if holiday { " (férié)" } else { "" });
                let format = if holiday {
                    Format::new().set_background_color(Color::RGB(HOLIDAY))
                } else {
                    Format::new().set_italic()
                };
                sheet.write_string_with_format(row, col, &text, &format)?;
            }
            let today = days.iter().find(|d| d.bus == bus && d.week == week && d.weekday == day);
            for (k, half) in crate::calendar::HalfDay::BOTH.iter().enumerate() {
                let communes = today.map(|d| d.of(*half)).unwrap_or_default();
                let names: Vec<&str> = communes
                    .iter()
                    .map(|&c| instance.territory.communes[c].name.as_str())
                    .collect();
                let format = match communes.first() {
                    Some(&c) => Format::new()
                        .set_background_color(Color::RGB(FILLS[instance.territory.head(c) % FILLS.len()]))
                        .set_border(FormatBorder::Thin),
                    None => Format::new().set_border(FormatBorder::Thin),
                };
                sheet.write_string_with_format(row + 1 + k as u32, col, names.join(" / "), &format)?;
            }
        }
        sheet.write_string(row + 1, 0, "matin")?;
        sheet.write_string(row + 2, 0, "après-midi")?;
        row += 3;
    }
    print_setup(sheet, 2)
}

/// A bold header row of `columns` (title, width in characters).
fn header(sheet: Sheet, columns: &[(&str, u16)]) -> Written {
    let bold = Format::new().set_bold();
    for (i, (title, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, *title, &bold)?;
        sheet.set_column_width(i as u16, *width)?;
    }
    Ok(())
}

/// One row per commune line: its rule in French, `horaires`, its next
/// dates.
fn communes(sheet: Sheet, instance: &Instance, plan: &Plan) -> Written {
    sheet.set_name("Communes")?;
    let columns = [
        ("INSEE", 8),
        ("Commune", 24),
        ("Bus", 16),
        ("Créneau", 10),
        ("Passage", 60),
        ("horaires", 40),
        ("Prochaines dates", 60),
    ];
    header(sheet, &columns)?;
    for (r, stop) in plan.stops().iter().enumerate() {
        let row = r as u32 + 1;
        let commune = &instance.territory.communes[stop.commune];
        let fill =
            Format::new().set_background_color(Color::RGB(FILLS[instance.territory.head(stop.commune) % FILLS.len()]));
        sheet.write_string(row, 0, &commune.insee)?;
        sheet.write_string_with_format(row, 1, &commune.name, &fill)?;
        sheet.write_string(row, 2, &instance.buses[stop.bus].name)?;
        sheet.write_string(row, 3, commune.slot.as_deref().unwrap_or(""))?;
        sheet.write_string(row, 4, crate::output::wording::sentence(instance, stop))?;
        sheet.write_string(row, 5, crate::output::opendata::horaires(instance, stop))?;
        let next: Vec<String> = crate::output::ical::open_dates(stop, instance)
            .unwrap_or_default()
            .iter()
            .take(NEXT_DATES)
            .map(|d| d.format("%d/%m/%Y").to_string())
            .collect();
        sheet.write_string(row, 6, next.join(", "))?;
    }
    print_setup(sheet, 1)
}

/// One row per bus day: stops, km, driving minutes; totals as formulas.
fn days(sheet: Sheet, instance: &Instance, plan: &Plan) -> Written {
    sheet.set_name("Jours")?;
    let bold = Format::new().set_bold();
    let columns = [
        ("Bus", 16),
        ("Semaine", 9),
        ("Jour", 10),
        ("Date", 11),
        ("Arrêts", 50),
        ("km", 8),
        ("Minutes de conduite", 10),
    ];
    header(sheet, &columns)?;
    let days = plan.days();
    for (r, day) in days.iter().enumerate() {
        let row = r as u32 + 1;
        let drive = instance.day_drive(day.bus, &day.communes());
        let names: Vec<&str> = day
            .communes()
            .iter()
            .map(|&c| instance.territory.communes[c].name.as_str())
            .collect();
        sheet.write_string(row, 0, &instance.buses[day.bus].name)?;
        sheet.write_number(row, 1, f64::from(day.week))?;
        sheet.write_string(row, 2, weekday_french(day.weekday))?;
        let date = instance.cycle.date_of(day.week, day.weekday);
        sheet.write_string(row, 3, date.map_or(String::new(), |d| d.format("%d/%m/%Y").to_string()))?;
        sheet.write_string(row, 4, names.join(", "))?;
        sheet.write_number(row, 5, (drive.metres / 100.0).round() / 10.0)?;
        sheet.write_number(row, 6, (drive.seconds / 60.0).round())?;
    }
    let total = days.len() as u32 + 1;
    sheet.write_string_with_format(total, 0, "Total", &bold)?;
    for (col, letter) in [(5, "F"), (6, "G")] {
        sheet.write_formula_with_format(total, col, format!("=SUM({letter}2:{letter}{total})").as_str(), &bold)?;
    }
    print_setup(sheet, 1)
}
