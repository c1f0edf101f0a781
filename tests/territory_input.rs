//! Every rejection the commune-table reader promises, and the French forms
//! it must accept.

use std::path::Path;
use tournee::ErrorKind;
use tournee::input::territory::{HalfDayRule, Territory};

const GOOD: &str = "insee,name,lat,lon,population\n\
84003,Apt,43.88148,5.38138,10143\n\
84047,Gargas,43.89386,5.34352,3035\n";

fn parse(text: &str) -> Result<Territory, tournee::Error> {
    Territory::parse(text, Path::new("communes.csv"))
}

/// Asserts a rejection names the file, the line and the field, and that
/// the message contains `needle`.
fn rejects(text: &str, line: u64, field: &str, needle: &str) {
    let err = parse(text).expect_err("the table should be rejected");
    assert_eq!(err.kind, ErrorKind::Input);
    let loc = err.location.clone().expect("a location");
    assert_eq!(loc.file.as_deref(), Some(Path::new("communes.csv")), "{err}");
    assert_eq!(loc.line, Some(line), "{err}");
    assert_eq!(loc.field.as_deref(), Some(field), "{err}");
    assert!(err.to_string().contains(needle), "`{err}` should mention `{needle}`");
}

#[test]
fn reads_a_plain_table() {
    let t = parse(GOOD).unwrap();
    assert_eq!(t.communes.len(), 2);
    assert_eq!(t.communes[1].name, "Gargas");
    assert_eq!(t.communes[1].population, 3035);
    assert_eq!(t.communes[1].line, 3);
    assert_eq!(t.most_populous().insee, "84003");
}

#[test]
fn semicolons_bom_and_decimal_commas_read_the_same() {
    let french = "\u{feff}code_insee;nom;latitude;longitude;population\n\
84003;Apt;43,88148;5,38138;10 143\n\
84047;Gargas;43,89386;5,34352;3035\n";
    let a = parse(GOOD).unwrap();
    let b = parse(french).unwrap();
    assert_eq!(a.communes, b.communes);
}

#[test]
fn rejects_duplicate_insee_with_the_first_line() {
    rejects(
        &format!("{GOOD}84003,Apt bis,43.9,5.4,10\n"),
        4,
        "insee",
        "first seen on line 2",
    );
}

#[test]
fn rejects_out_of_range_coordinates() {
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,93.1,5.38,10\n",
        2,
        "lat",
        "out of range",
    );
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,43.8,185,10\n",
        2,
        "lon",
        "out of range",
    );
}

#[test]
fn says_when_coordinates_look_swapped() {
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,5.38138,43.88148,10\n",
        2,
        "lat",
        "swapped",
    );
}

#[test]
fn rejects_french_coordinates_far_from_france() {
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,35.9,14.5,10\n",
        2,
        "lat",
        "outside metropolitan France",
    );
}

#[test]
fn accepts_non_french_codes_anywhere() {
    // Malta has no INSEE codes: no country box applies.
    let t = parse("insee,name,lat,lon,population\nMT-VAL,Valletta,35.8989,14.5146,5827\n").unwrap();
    assert_eq!(t.communes[0].centre.lat, 35.8989);
}

#[test]
fn rejects_nan_and_non_numeric_coordinates() {
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,NaN,5.38,10\n",
        2,
        "lat",
        "not a number",
    );
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,43.8,abc,10\n",
        2,
        "lon",
        "not a number",
    );
}

#[test]
fn rejects_empty_and_negative_population() {
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,43.8,5.38,\n",
        2,
        "population",
        "empty",
    );
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,43.8,5.38,-4\n",
        2,
        "population",
        "negative",
    );
    rejects(
        "insee,name,lat,lon,population\n84003,Apt,43.8,5.38,12.5\n",
        2,
        "population",
        "whole number",
    );
}

#[test]
fn rejects_typos_of_known_columns_but_ignores_others() {
    rejects(
        "insee,name,lat,lon,popultion\n84003,Apt,43.8,5.38,10\n",
        1,
        "popultion",
        "did you mean `population`",
    );
    rejects(
        "insee,name,lat,lon,population,weekday\n84003,Apt,43.8,5.38,10,Mon\n",
        1,
        "weekday",
        "did you mean `weekdays`",
    );
    let t = parse("insee,name,lat,lon,population,epci_name\n84003,Apt,43.8,5.38,10,CC\n").unwrap();
    assert_eq!(t.notes, vec!["ignored columns: epci_name".to_string()]);
}

#[test]
fn rejects_missing_columns_and_empty_files() {
    let err = parse("insee,name,lat,population\n84003,Apt,43.8,10\n").unwrap_err();
    assert_eq!(err.location.as_ref().unwrap().line, Some(1));
    assert!(err.message.contains("missing column(s) lon"), "{err}");
}

#[test]
fn rejects_wrong_field_counts() {
    let err = parse("insee,name,lat,lon,population\n84003,Apt,43.8,5.38\n").unwrap_err();
    assert_eq!(err.location.unwrap().line, Some(2));
    assert!(err.message.contains("found 4 fields, expected 5"), "{}", err.message);
}

#[test]
fn empty_file_and_header_only_are_rejected() {
    for text in ["", "\u{feff}", "insee,name,lat,lon,population\n"] {
        let err = parse(text).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Input, "{text:?}");
        assert!(err.to_string().starts_with("communes.csv"), "{err}");
    }
}

#[test]
fn reads_the_optional_columns() {
    let t = parse(
        "insee,name,lat,lon,population,visits_per_month,weekdays,half_day,unavailable,stop_lat,stop_lon,stop_name\n\
84003,Apt,43.88,5.38,10143,2,\"Mon;jeudi\",PM?,2027-01-14;21/01/2027,43.87,5.39,place de la Bouquerie\n",
    )
    .unwrap();
    let c = &t.communes[0];
    assert_eq!(c.visits_per_month, Some(2));
    assert_eq!(c.weekdays, Some(vec![chrono::Weekday::Mon, chrono::Weekday::Thu]));
    assert_eq!(c.half_day, Some(HalfDayRule::Prefer(tournee::calendar::HalfDay::Pm)));
    assert_eq!(c.unavailable.len(), 2);
    assert_eq!((c.stop.lat, c.stop.lon), (43.87, 5.39));
    assert_eq!((c.centre.lat, c.centre.lon), (43.88, 5.38));
    assert_eq!(c.stop_name.as_deref(), Some("place de la Bouquerie"));
}

#[test]
fn rejects_bad_optional_values() {
    let head = "insee,name,lat,lon,population,visits_per_month,weekdays,half_day,unavailable\n";
    rejects(
        &format!("{head}84003,Apt,43.8,5.38,10,13,,,\n"),
        2,
        "visits_per_month",
        "expected visits per cycle, 0 (not served) to 12",
    );
    rejects(
        &format!("{head}84003,Apt,43.8,5.38,10,,Mno,,\n"),
        2,
        "weekdays",
        "unknown weekday `Mno`",
    );
    rejects(
        &format!("{head}84003,Apt,43.8,5.38,10,,,noon,\n"),
        2,
        "half_day",
        "expected AM or PM",
    );
    rejects(
        &format!("{head}84003,Apt,43.8,5.38,10,,,,2027-13-01\n"),
        2,
        "unavailable",
        "YYYY-MM-DD",
    );
}

#[test]
fn rejects_half_a_stop_location() {
    rejects(
        "insee,name,lat,lon,population,stop_lat,stop_lon\n84003,Apt,43.8,5.38,10,43.8,\n",
        2,
        "stop_lon",
        "empty value",
    );
}

#[test]
fn whole_days_are_written_full_or_journee() {
    use tournee::input::territory::HalfDayRule;
    let head = "insee,name,lat,lon,population,half_day\n";
    for word in ["FULL", "full", "journée", "Journee"] {
        let t = parse(&format!("{head}84003,Apt,43.8,5.38,10,{word}\n")).unwrap();
        assert_eq!(t.communes[0].half_day, Some(HalfDayRule::Full), "{word}");
    }
    rejects(
        &format!("{head}84003,Apt,43.8,5.38,10,soir\n"),
        2,
        "half_day",
        "or FULL (the whole day)",
    );
}

#[test]
fn a_utf16_table_is_read_and_the_note_names_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("communes.csv");
    // Excel's "Texte Unicode": UTF-16LE behind its byte-order mark.
    let text =
        "insee;name;lat;lon;population\r\n84003;Apt;43,88148;5,38138;10143\r\n84037;Céreste;43,88250;5,57828;1200\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&path, &bytes).unwrap();
    let territory = tournee::input::territory::Territory::from_path(&path).unwrap();
    assert_eq!(territory.communes[1].name, "Céreste");
    assert!(
        territory.notes.iter().any(|n| n.contains("UTF-16LE")) && !territory.notes.iter().any(|n| n.contains("1252")),
        "{:?}",
        territory.notes
    );
}

#[test]
fn a_table_saved_by_french_excel_is_read_as_windows_1252_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("communes.csv");
    // "CSV (séparateur : point-virgule)": semicolons, decimal commas, é = 0xE9.
    let mut bytes = b"insee;name;lat;lon;population\r\n84003;Apt;43,88148;5,38138;10143\r\n84037;C".to_vec();
    bytes.extend([0xE9]);
    bytes.extend(b"reste;43,88250;5,57828;1200\r\n84047;Gargas;43,89386;5,34352;3035\r\n");
    std::fs::write(&path, &bytes).unwrap();
    let territory = tournee::input::territory::Territory::from_path(&path).unwrap();
    assert_eq!(territory.communes[1].name, "Céreste");
    assert!(
        territory.notes.iter().any(|n| n.contains("Windows-1252")),
        "{:?}",
        territory.notes
    );
    let out = dir.path().join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args([
            "plan",
            "--iterations",
            "500",
            "--territory",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Windows-1252"));
    assert!(
        std::fs::read_to_string(out.join("plan.csv"))
            .unwrap()
            .contains("Céreste")
    );
    // Bytes no spreadsheet writes are still refused.
    std::fs::write(&path, b"insee;name\x00\xff;lat\r\n").unwrap();
    let err = tournee::input::territory::Territory::from_path(&path)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a text table"), "{err}");
}

#[test]
fn rejects_a_whole_day_with_a_stop_length_and_a_date_outside_2000_to_2100() {
    rejects(
        "insee,name,lat,lon,population,half_day,minutes\n84003,Apt,43.876,5.396,12000,,\n84009,Auribeau,43.86,5.45,80,FULL,30\n",
        3,
        "minutes",
        "whole-day commune",
    );
    rejects(
        "insee,name,lat,lon,population,unavailable\n84003,Apt,43.876,5.396,12000,03/01/0000\n",
        2,
        "unavailable",
        "between 2000 and 2100",
    );
}
