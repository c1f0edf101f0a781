//! GeoPackages (`plan.gpkg`, `coverage.gpkg`) opened by an independent
//! reader: GDAL, through Python's pyogrio (installed by `.ci/run`).

mod common;

use std::process::Command;

/// Runs a Python snippet with pyogrio; `None` (with a note) when pyogrio
/// is missing outside CI.
fn pyogrio(script: &str) -> Option<String> {
    let probe = Command::new("python3").args(["-c", "import pyogrio"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but Python's pyogrio is missing (.ci/run installs it)"
        );
        eprintln!("skipping: pyogrio is not installed");
        return None;
    }
    let out = Command::new("python3").args(["-c", script]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn gdal_opens_the_plan_geopackage_as_its_layers() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let o = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args(["plan", "--iterations", "2000", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let path = out.join("plan.gpkg");
    let script = r#"
import pyogrio, struct
from pyogrio.raw import read
p = PATH
print(sorted((str(n), str(t)) for n, t in pyogrio.list_layers(p)))
for layer in ['stops', 'depots', 'daily_routes']:
    meta, fids, geom, fields = read(p, layer=layer, return_fids=True)
    print(layer, len(fids), meta['crs'], list(meta['fields']))
meta, fids, geom, fields = read(p, layer='stops', return_fids=True)
names = list(meta['fields'])
for g, insee in zip(geom, fields[names.index('insee')]):
    print('stop', insee, '%.6f %.6f' % struct.unpack('<dd', bytes(g)[5:21]))
"#
    .replace("PATH", &format!("{:?}", path.to_str().unwrap()));
    let Some(text) = pyogrio(&script) else { return };
    assert!(
        text.contains("('daily_routes', 'LineString'), ('depots', 'Point'), ('stops', 'Point')"),
        "{text}"
    );
    let count = |layer: &str| -> usize {
        let line = text.lines().find(|l| l.starts_with(&format!("{layer} "))).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    assert_eq!(count("stops"), summary["communes"].as_u64().unwrap() as usize);
    assert_eq!(count("depots"), 1);
    assert_eq!(count("daily_routes"), summary["bus_days"].as_u64().unwrap() as usize);
    assert!(text.contains("EPSG:4326"));
    // Every stop where plan.csv puts it (lon lat).
    let csv = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    for line in text.lines().filter(|l| l.starts_with("stop ")) {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (insee, lon, lat) = (f[1], f[2], f[3]);
        assert!(
            csv.lines()
                .any(|row| row.contains(&format!(",{insee},")) && row.contains(&format!(",{lat},{lon},"))),
            "{line}"
        );
    }
}

#[test]
fn gdal_opens_the_coverage_geopackage_with_each_communes_indicators() {
    let Some(sites) = common::shared("data/fr_france_services_20240801.csv") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let coverage = |out: &std::path::Path| {
        let o = Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args([
                "coverage",
                "--sites",
                sites.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let out = dir.path().join("coverage");
    coverage(&out);
    let path = out.join("coverage.gpkg");
    let script = format!(
        "import pyogrio\nfrom pyogrio.raw import read\np = {path:?}\n\
print(sorted(str(n) for n, t in pyogrio.list_layers(p)))\n\
meta, fids, geom, fields = read(p, layer='communes', return_fids=True)\n\
print(len(fids), list(meta['fields']))\n",
        path = path.to_str().unwrap()
    );
    let Some(text) = pyogrio(&script) else { return };
    assert!(text.contains("'communes'") && text.contains("'fixed_sites'"), "{text}");
    let rows = std::fs::read_to_string(out.join("coverage.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert!(text.contains(&format!("{rows} [")), "{text}");
    assert!(text.contains("'insee'") && text.contains("'population'"), "{text}");
    // Same run, same bytes.
    let again = dir.path().join("again");
    coverage(&again);
    assert!(std::fs::read(&path).unwrap() == std::fs::read(again.join("coverage.gpkg")).unwrap());
}
