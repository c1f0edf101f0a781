//! The bad-input corpus (`tests/bad_inputs/`), run through the binary as a
//! user would: every case exits non-zero with the documented code (2 bad
//! input, 3 infeasible), names the file, line and field and what was
//! expected, and writes nothing.

mod common;

use common::shared;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Exit code of a bad input.
const INPUT: i32 = 2;
/// Exit code of an infeasible request.
const INFEASIBLE: i32 = 3;

fn corpus(name: &str) -> PathBuf {
    common::root().join("tests/bad_inputs").join(name)
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(args)
        .env("TOURNEE_CACHE", cwd.join("cache"))
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// Runs `tournee ARGS --out out` in a fresh folder and checks the exit
/// code, that stderr holds every needle, and that no output appeared.
fn fails(args: &[&str], code: i32, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let mut all = args.to_vec();
    all.extend(["--out", "out"]);
    let out = run(&all, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{args:?}: `{needle}` not in: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "{args:?} wrote an output folder");
}

fn territory(name: &str, code: i32, needles: &[&str]) {
    let path = corpus(name);
    let mut all = vec![name];
    all.extend_from_slice(needles);
    fails(&["plan", "--territory", path.to_str().unwrap()], code, &all);
}

fn scenario(name: &str, code: i32, needles: &[&str]) {
    let path = corpus(name);
    let mut all = vec![name];
    all.extend_from_slice(needles);
    fails(&["plan", "--scenario", path.to_str().unwrap()], code, &all);
}

#[test]
fn empty_file() {
    territory("empty.csv", INPUT, &["empty", "expected a header line"]);
}

#[test]
fn wrong_header() {
    territory(
        "wrong_header.csv",
        INPUT,
        &["line 1", "missing column(s) lat, lon, population"],
    );
}

#[test]
fn missing_header() {
    territory("missing_header.csv", INPUT, &["line 1", "found `84003,Apt"]);
}

#[test]
fn unknown_column() {
    territory(
        "unknown_column.csv",
        INPUT,
        &["line 1", "field `visits_per_mnth`", "did you mean `visits_per_month`"],
    );
}

#[test]
fn non_numeric_coordinates() {
    territory(
        "non_numeric_coordinates.csv",
        INPUT,
        &[
            "line 3",
            "field `lat`",
            "`quarante-trois` is not a number",
            "expected a latitude",
        ],
    );
}

#[test]
fn nan_coordinates() {
    territory("nan_coordinates.csv", INPUT, &["line 3", "field `lat`", "`NaN`"]);
}

#[test]
fn swapped_lat_lon() {
    territory(
        "swapped_coordinates.csv",
        INPUT,
        &["line 3", "field `lat`", "look swapped"],
    );
}

#[test]
fn duplicate_insee() {
    territory(
        "duplicate_insee.csv",
        INPUT,
        &["line 4", "field `insee`", "duplicate INSEE code 84003", "line 2"],
    );
}

#[test]
fn negative_population() {
    territory(
        "negative_population.csv",
        INPUT,
        &["line 3", "field `population`", "-80"],
    );
}

#[test]
fn unknown_weekday() {
    territory(
        "unknown_weekday.csv",
        INPUT,
        &["line 3", "field `weekdays`", "`Funday`", "expected Mon"],
    );
}

#[test]
fn date_in_the_wrong_format() {
    territory(
        "wrong_date_format.csv",
        INPUT,
        &[
            "line 3",
            "field `unavailable`",
            "`2027/01/14`",
            "expected YYYY-MM-DD or DD/MM/YYYY",
        ],
    );
}

#[test]
fn scenario_with_an_unknown_key() {
    scenario(
        "unknown_key.toml",
        INPUT,
        &["line 2", "field `max_drive_minute`", "max_drive_minutes"],
    );
}

#[test]
fn scenario_with_a_wrong_type() {
    scenario(
        "wrong_type.toml",
        INPUT,
        &["line 2", "field `max_drive_minutes`", "expected u32"],
    );
}

#[test]
fn scenario_with_the_afternoon_before_the_morning() {
    scenario(
        "pm_before_am.toml",
        INPUT,
        &["line 6", "sessions.pm.start", "expected PM after AM"],
    );
}

#[test]
fn more_visits_than_the_buses_have_half_days() {
    // 45 communes × 1 visit; 1 bus × Mondays × 4 weeks × 2 half-days = 8.
    fails(
        &["plan", "--scenario", corpus("too_many_visits.toml").to_str().unwrap()],
        INFEASIBLE,
        &["45 half-day visits needed, 8 available"],
    );
}

/// Plans the Apt default against an OSM file, which must be refused.
fn osm_file(path: &Path, needles: &[&str]) {
    let mut all = vec![path.file_name().unwrap().to_str().unwrap()];
    all.extend_from_slice(needles);
    fails(&["plan", "--osm", path.to_str().unwrap()], INPUT, &all);
}

// Files named like OpenStreetMap extracts that are not: written here rather
// than kept in the repository, so that no file there looks like OSM data.

#[test]
fn text_file_named_pbf() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("text_named.osm.pbf");
    std::fs::write(&path, "This is not a PBF file but a note someone renamed.\n").unwrap();
    osm_file(&path, &["not an OpenStreetMap file"]);
}

#[test]
fn gzip_that_is_not_osm_xml() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not_osm_xml.osm.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(b"insee,name\n84003,Apt\n").unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    osm_file(&path, &["without an <osm> root"]);
}

#[test]
fn truncated_pbf() {
    let Some(pbf) = shared("data/monaco.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(&pbf).unwrap();
    let cut = dir.path().join("cut.osm.pbf");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    osm_file(&cut, &["truncated or corrupt PBF"]);
}

#[test]
fn pbf_whose_blob_sizes_lie() {
    let Some(pbf) = shared("data/monaco.osm.pbf") else {
        return;
    };
    let mut bytes = std::fs::read(&pbf).unwrap();
    // Frame: 4-byte header length, then the BlobHeader message, whose field
    // 3 (tag byte 0x18) is the varint size of the blob that follows. Make
    // the varint's last byte 0x7f: same length, a much larger size.
    let header_len = u32::from_be_bytes(bytes[0..4].try_into().unwrap()) as usize;
    let header = 4..4 + header_len;
    let tag = bytes[header.clone()].iter().rposition(|b| *b == 0x18).unwrap() + 4;
    let mut end = tag + 1;
    while bytes[end] & 0x80 != 0 {
        end += 1;
    }
    bytes[end] = 0x7f;
    let dir = tempfile::tempdir().unwrap();
    let lying = dir.path().join("lying.osm.pbf");
    std::fs::write(&lying, bytes).unwrap();
    osm_file(&lying, &["truncated or corrupt PBF"]);
}

#[test]
fn commune_that_no_road_reaches() {
    let Some(pbf) = shared("data/monaco.osm.pbf") else {
        return;
    };
    let table = corpus("unreachable_commune.csv");
    fails(
        &[
            "plan",
            "--territory",
            table.to_str().unwrap(),
            "--osm",
            pbf.to_str().unwrap(),
        ],
        INFEASIBLE,
        &[
            "Nice far inland (06088, line 4)",
            "km",
            "does the extract cover the territory?",
        ],
    );
}

#[test]
fn output_folder_that_is_not_writable() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where a folder should be: not writable, even as root.
    std::fs::write(dir.path().join("blocked"), "").unwrap();
    let out = run(&["plan", "--iterations", "1000", "--out", "blocked/out"], dir.path());
    assert_eq!(out.status.code(), Some(INPUT));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("blocked/out") && stderr.contains("cannot create the output folder"),
        "{stderr}"
    );
}

#[test]
fn existing_output_folder_with_foreign_files_is_refused_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/notes.txt"), "mine").unwrap();
    let refused = run(&["plan", "--iterations", "1000", "--out", "out"], dir.path());
    assert_eq!(refused.status.code(), Some(INPUT));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("notes.txt") && stderr.contains("--force"), "{stderr}");
    assert!(!dir.path().join("out/plan.csv").exists());
    let forced = run(&["plan", "--iterations", "1000", "--out", "out", "--force"], dir.path());
    assert!(forced.status.success());
    assert!(dir.path().join("out/plan.csv").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn rerun_into_its_own_folder_replaces_and_removes_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let two_buses = dir.path().join("two.toml");
    let table = common::root().join("data/pays_apt_luberon.csv");
    let scenario = |buses: &str| {
        format!(
            "territory = \"{}\"\nmonth = \"2027-01\"\n[solver]\niterations = 2000\n{buses}",
            table.display()
        )
    };
    std::fs::write(&two_buses, scenario("[[bus]]\nname = \"A\"\n[[bus]]\nname = \"B\"\n")).unwrap();
    let one_bus = dir.path().join("one.toml");
    std::fs::write(&one_bus, scenario("[[bus]]\nname = \"A\"\n")).unwrap();
    assert!(
        run(&["plan", "--scenario", "two.toml", "--out", "out"], dir.path())
            .status
            .success()
    );
    assert!(dir.path().join("out/calendars/bus-b.ics").exists());
    let again = run(&["plan", "--scenario", "one.toml", "--out", "out"], dir.path());
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert!(dir.path().join("out/calendars/bus-a.ics").exists());
    assert!(
        !dir.path().join("out/calendars/bus-b.ics").exists(),
        "stale calendar of bus B left behind"
    );
}

#[test]
fn matrix_that_would_not_fit_in_memory_is_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    // 300,000 points: 9·10¹⁰ pairs, about 2.9 TB; refused before the OSM
    // file is even opened (it does not exist).
    let points: String = (0..300_000)
        .map(|i| {
            format!(
                "{:.5},{:.5}\n",
                14.4 + (i % 500) as f64 * 1e-4,
                35.9 + (i / 500) as f64 * 1e-4
            )
        })
        .collect();
    std::fs::write(dir.path().join("points.txt"), points).unwrap();
    let out = run(
        &[
            "matrix",
            "--osm",
            "missing.osm.pbf",
            "--points",
            "points.txt",
            "--out",
            "m.csv",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(INFEASIBLE));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("300000 × 300000 matrix needs about 2880.0 GB"),
        "{stderr}"
    );
    assert!(!dir.path().join("m.csv").exists());
}

#[test]
fn a_time_limit_that_is_not_a_number_of_seconds() {
    let instances = common::root().join("tests");
    for limit in ["nan", "inf", "0"] {
        fails(
            &[
                "bench",
                "pvrp",
                "--instances",
                instances.to_str().unwrap(),
                "--time-limit",
                limit,
            ],
            2,
            &["--time-limit", "expected seconds"],
        );
    }
}
