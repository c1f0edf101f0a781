//! `plan.ods`, the OpenDocument spreadsheet LibreOffice opens natively
//! (the format France's interoperability framework recommends), written
//! with spreadsheet-ods from the workbook's layout.

use super::{Book, Content, Look, Sheet, column_letters};
use crate::error::{Error, Result};
use crate::schedule::model::Instance;
use crate::schedule::plan::Plan;
use spreadsheet_ods::color::Rgb;
use spreadsheet_ods::style::units::{Border, Length, PrintOrientation};
use spreadsheet_ods::style::{MasterPage, PageStyle, TableStyle};
use spreadsheet_ods::{CellStyle, CellStyleRef, OdsError, WorkBook};
use std::collections::BTreeMap;

/// Width of one character of the default font, to turn the layout's
/// widths (in characters, as Excel counts them) into lengths.
const CHARACTER_MM: f64 = 2.1;

/// The workbook's bytes.
pub fn ods(instance: &Instance, plan: &Plan) -> Result<Vec<u8>> {
    let bytes = write(&super::book(instance, plan)).map_err(|e| Error::internal(format!("plan.ods: {e}")))?;
    canonical(&bytes).map_err(|e| Error::internal(format!("plan.ods: {e}")))
}

fn write(book: &Book) -> std::result::Result<Vec<u8>, OdsError> {
    let mut workbook = WorkBook::new(icu_locale_core::locale!("fr-FR"));
    // No document date: the same plan gives the same bytes.
    workbook.metadata_mut().creation_date = None;
    let table_style = a4_landscape(&mut workbook);
    let mut styles = BTreeMap::new();
    for sheet in book {
        let mut out = fill(&mut workbook, &mut styles, sheet);
        out.set_style(&table_style);
        workbook.push_sheet(out);
    }
    spreadsheet_ods::write_ods_buf(&mut workbook, Vec::new())
}

/// The archive made canonical: every entry dated 1980-01-01 (the zip
/// format's first date), the attributes of each XML file's root element
/// and the manifest's entries sorted, order of entries and compression
/// kept. The writer stamps entries with the clock and lists namespaces and
/// manifest entries in hash order; the same plan must give the same bytes.
fn canonical(bytes: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let name = archive.by_index_raw(i)?.name()?.to_string();
        if !name.ends_with(".xml") {
            out.raw_copy_file_touch(archive.by_index_raw(i)?, zip::DateTime::default(), None)?;
            continue;
        }
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_index(i)?, &mut text)?;
        let mut text = sorted_root_attributes(&text);
        for container in UNORDERED {
            text = sorted_children(&text, container);
        }
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        out.start_file(name, options)?;
        std::io::Write::write_all(&mut out, text.as_bytes())?;
    }
    Ok(out.finish()?.into_inner())
}

/// The XML text with its root element's attributes in sorted order (an
/// element's attributes are unordered in XML; a value never holds a space
/// here: namespaces and versions).
fn sorted_root_attributes(text: &str) -> String {
    let start = text.find("?>").map_or(0, |e| e + 2);
    let Some(open) = text[start..].find('<').map(|o| start + o) else {
        return text.to_string();
    };
    let Some(close) = text[open..].find('>').map(|c| open + c) else {
        return text.to_string();
    };
    let tag = &text[open + 1..close];
    let (tag, slash) = tag.strip_suffix('/').map_or((tag, ""), |t| (t, "/"));
    let mut parts = tag.split_whitespace();
    let name = parts.next().unwrap_or_default();
    let mut attributes: Vec<&str> = parts.collect();
    attributes.sort_unstable();
    let mut element = format!("<{name}");
    for attribute in attributes {
        element.push(' ');
        element.push_str(attribute);
    }
    format!("{}{element}{slash}>{}", &text[..open], &text[close + 1..])
}

/// Elements whose children ODF leaves unordered (styles are found by name,
/// manifest entries by path), and which the writer fills in hash order.
const UNORDERED: [&str; 5] = [
    "manifest:manifest",
    "office:font-face-decls",
    "office:styles",
    "office:automatic-styles",
    "office:master-styles",
];

/// The text with the children of each `<container>` element in sorted
/// order. The writer's XML has no comments, CDATA or `>` in values, so
/// tags are found by their brackets.
fn sorted_children(text: &str, container: &str) -> String {
    let open = format!("<{container}");
    let close = format!("</{container}>");
    let Some(at) = text.find(&open) else {
        return text.to_string();
    };
    let Some(first) = text[at..].find('>').map(|e| at + e + 1) else {
        return text.to_string();
    };
    if text[..first].ends_with("/>") {
        return text.to_string();
    }
    let Some(end) = text[first..].find(&close).map(|e| first + e) else {
        return text.to_string();
    };
    let mut children: Vec<&str> = Vec::new();
    let (mut depth, mut start) = (0usize, first);
    let mut i = first;
    while let Some(lt) = text[i..end].find('<').map(|o| i + o) {
        let gt = text[lt..end].find('>').map_or(end, |o| lt + o + 1);
        let tag = &text[lt..gt];
        if depth == 0 {
            start = lt;
        }
        if tag.starts_with("</") {
            depth = depth.saturating_sub(1);
        } else if !tag.ends_with("/>") {
            depth += 1;
        }
        if depth == 0 {
            children.push(&text[start..gt]);
        }
        i = gt;
    }
    children.sort_unstable();
    format!("{}{}{}", &text[..first], children.concat(), &text[end..])
}

/// A table style whose pages are A4 landscape, scaled to one page wide
/// (ODF says "fit to N pages"; one page per sheet's width is what planners
/// print).
fn a4_landscape(workbook: &mut WorkBook) -> spreadsheet_ods::style::TableStyleRef {
    let mut page = PageStyle::new("a4-landscape");
    page.set_page_width(Length::Mm(297.0));
    page.set_page_height(Length::Mm(210.0));
    page.set_print_orientation(PrintOrientation::Landscape);
    page.set_scale_to_pages(1);
    let page = workbook.add_pagestyle(page);
    let mut master = MasterPage::new("A4paysage");
    master.set_pagestyle(&page);
    let master = workbook.add_masterpage(master);
    let mut table = TableStyle::new("plan");
    table.set_master_page(&master);
    workbook.add_tablestyle(table)
}

/// The cell style of `look`, made once per workbook.
fn style_of(workbook: &mut WorkBook, styles: &mut BTreeMap<Look, CellStyleRef>, look: Look) -> CellStyleRef {
    styles
        .entry(look)
        .or_insert_with(|| {
            let mut style = CellStyle::new_empty();
            if look.bold {
                style.set_font_bold();
            }
            if look.italic {
                style.set_font_italic();
            }
            if let Some(rgb) = look.fill {
                let [_, r, g, b] = rgb.to_be_bytes();
                style.set_background_color(Rgb::new(r, g, b));
            }
            if look.border {
                style.set_border(Length::Pt(0.5), Border::Solid, Rgb::new(0, 0, 0));
            }
            workbook.add_cellstyle(style)
        })
        .clone()
}

fn fill(workbook: &mut WorkBook, styles: &mut BTreeMap<Look, CellStyleRef>, sheet: &Sheet) -> spreadsheet_ods::Sheet {
    let mut out = spreadsheet_ods::Sheet::new(&sheet.name);
    for &(col, width) in &sheet.widths {
        out.set_col_width(u32::from(col), Length::Mm(width * CHARACTER_MM));
    }
    for cell in &sheet.cells {
        let (row, col) = (cell.row, u32::from(cell.col));
        let style = style_of(workbook, styles, cell.look);
        match &cell.content {
            Content::Text(text) => out.set_styled_value(row, col, text.as_str(), &style),
            Content::Number(value) => out.set_styled_value(row, col, *value, &style),
            Content::Sum {
                col: summed,
                first,
                last,
                value,
            } => {
                let letters = column_letters(*summed);
                out.set_styled_value(row, col, *value, &style);
                out.set_formula(
                    row,
                    col,
                    format!("of:=SUM([.{letters}{}:.{letters}{}])", first + 1, last + 1),
                );
            }
        }
    }
    // The columns' titles repeated on each printed page (one row: ODF
    // allows one block of header rows, which the writer would split by
    // row), the header frozen on screen with the first column.
    let titles = sheet.header_rows - 1;
    out.set_header_rows(titles, titles);
    out.split_row_header(titles);
    out.split_col_header(0);
    out
}
