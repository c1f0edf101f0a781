//! `plan.xlsx`, written with rust_xlsxwriter from the workbook's layout.

use super::{Book, Content, Look, Sheet, column_letters};
use crate::error::{Error, Result};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use rust_xlsxwriter::{Color, DocProperties, Format, FormatBorder, Formula, Workbook, Worksheet, XlsxError};

/// A4 in the spreadsheet's paper codes.
const A4: u8 = 9;

/// The workbook's bytes.
pub fn xlsx(instance: &Instance, plan: &Plan) -> Result<Vec<u8>> {
    write(&super::book(instance, plan)).map_err(|e| Error::internal(format!("plan.xlsx: {e}")))
}

fn write(book: &Book) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    // A fixed creation date: the same plan gives the same bytes.
    let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    for sheet in book {
        fill(workbook.add_worksheet(), sheet)?;
    }
    workbook.save_to_buffer()
}

fn format(look: Look) -> Format {
    let mut format = Format::new();
    if look.bold {
        format = format.set_bold();
    }
    if look.italic {
        format = format.set_italic();
    }
    if let Some(rgb) = look.fill {
        format = format.set_background_color(Color::RGB(rgb));
    }
    if look.border {
        format = format.set_border(FormatBorder::Thin);
    }
    format
}

fn fill(out: &mut Worksheet, sheet: &Sheet) -> std::result::Result<(), XlsxError> {
    out.set_name(&sheet.name)?;
    for &(col, width) in &sheet.widths {
        out.set_column_width(col, width)?;
    }
    for cell in &sheet.cells {
        let look = format(cell.look);
        match &cell.content {
            Content::Text(text) => out.write_string_with_format(cell.row, cell.col, text, &look)?,
            Content::Number(value) => out.write_number_with_format(cell.row, cell.col, *value, &look)?,
            Content::Sum {
                col,
                first,
                last,
                value,
            } => {
                let letters = column_letters(*col);
                let formula = Formula::new(format!("=SUM({letters}{}:{letters}{})", first + 1, last + 1))
                    .set_result(value.to_string());
                out.write_formula_with_format(cell.row, cell.col, formula, &look)?
            }
        };
    }
    // A4 landscape, one page wide, the titles repeated, the header frozen.
    let titles = sheet.header_rows - 1;
    out.set_landscape().set_paper_size(A4).set_print_fit_to_pages(1, 0);
    out.set_repeat_rows(titles, titles)?;
    out.set_freeze_panes(sheet.header_rows, 1)?;
    Ok(())
}
