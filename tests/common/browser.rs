//! Headless Chromium for the page tests (the report, the workbench),
//! driven through the DevTools protocol, and the reading of the plan's
//! map back from a rendered page. Included by the tests that need it
//! (`#[path]`), so the others do not build a browser client.
// Each test binary uses a part of this file.
#![allow(dead_code)]

use base64::Engine as _;
use headless_chrome::protocol::cdp::Page;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Debian's Chromium, or `None` (a note) when absent; under `CI=true` its
/// absence fails the test.
pub fn launch(profile: &Path) -> Option<Browser> {
    let path = Path::new("/usr/bin/chromium");
    if !path.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but /usr/bin/chromium is missing (.ci/run installs it)"
        );
        eprintln!("skipping: no /usr/bin/chromium");
        return None;
    }
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path.to_path_buf()))
        .sandbox(false)
        .window_size(Some((1400, 1000)))
        .user_data_dir(Some(profile.to_path_buf()))
        .args(args)
        .build()
        .unwrap();
    Some(Browser::new(options).unwrap())
}

/// A JS expression's string value.
pub fn js(tab: &Tab, expression: &str) -> String {
    let value = tab.evaluate(expression, true).unwrap().value.unwrap_or_default();
    value.as_str().map(String::from).unwrap_or_else(|| value.to_string())
}

/// Writes a PNG of the element `selector` under the tests' output folder
/// (`target/tmp/pages/NAME.png`), for a person to look at; returns its path.
pub fn screenshot(tab: &Tab, selector: &str, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pages");
    std::fs::create_dir_all(&dir).unwrap();
    // The element's box in page coordinates, captured beyond the viewport
    // (a report's map lies far below the first screen).
    let rect = js(
        tab,
        &format!(
            "(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height].join(','); }})()"
        ),
    );
    let rect: Vec<f64> = rect.split(',').map(|v| v.parse().unwrap()).collect();
    let shot = tab
        .call_method(Page::CaptureScreenshot {
            format: Some(CaptureScreenshotFormatOption::Png),
            quality: None,
            clip: Some(Page::Viewport {
                x: rect[0],
                y: rect[1],
                width: rect[2],
                height: rect[3],
                scale: 1.0,
            }),
            from_surface: Some(true),
            capture_beyond_viewport: Some(true),
            optimize_for_speed: None,
        })
        .unwrap();
    let png = base64::engine::general_purpose::STANDARD.decode(shot.data).unwrap();
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, &png).unwrap();
    assert!(png.len() > 5_000, "{}: a near-empty picture", path.display());
    path
}

/// The bus days of a plan.csv: (bus name, week, weekday 0 = Monday) →
/// the INSEE codes in visiting order (the morning, then the afternoon,
/// each by its start), and every commune name with its code.
pub struct PlanDays {
    pub days: BTreeMap<(String, u32, u32), Vec<String>>,
    pub names: BTreeMap<String, String>,
    pub buses: Vec<String>,
}

pub fn plan_days(plan_csv: &Path) -> PlanDays {
    let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut reader = csv::Reader::from_path(plan_csv).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    // (day, (half-day, start), INSEE), sorted into visiting order below.
    type Row = ((String, u32, u32), (String, String), String);
    let mut rows: Vec<Row> = Vec::new();
    let mut names = BTreeMap::new();
    let mut buses = Vec::new();
    for row in reader.records() {
        let row = row.unwrap();
        let day = (
            row[at("bus")].to_string(),
            row[at("week")].parse().unwrap(),
            weekdays.iter().position(|d| *d == &row[at("weekday")]).unwrap() as u32,
        );
        if !buses.contains(&day.0) {
            buses.push(day.0.clone());
        }
        let order = (row[at("half_day")].to_string(), row[at("start")].to_string());
        names.insert(row[at("insee")].to_string(), row[at("commune")].to_string());
        rows.push((day, order, row[at("insee")].to_string()));
    }
    // "AM" sorts before "PM"; a start "09:30" before "10:45".
    rows.sort();
    let mut days: BTreeMap<_, Vec<String>> = BTreeMap::new();
    for (day, _, insee) in rows {
        days.entry(day).or_default().push(insee);
    }
    PlanDays { days, names, buses }
}

/// What the page's map shows, read from the rendered SVG.
#[derive(serde::Deserialize)]
pub struct MapOnPage {
    /// Each name drawn: its text, rendered width, whether it lies inside
    /// the map.
    pub names: Vec<(String, f64, bool)>,
    /// Each stop dot by INSEE code: its centre.
    pub stops: BTreeMap<String, (f64, f64)>,
    pub routes: Vec<RouteOnPage>,
    pub legend: Vec<String>,
    /// Road pieces drawn under the stops.
    pub roads: usize,
}

#[derive(serde::Deserialize)]
pub struct RouteOnPage {
    pub bus: String,
    pub week: u32,
    pub weekday: u32,
    pub stops: Vec<String>,
    pub points: Vec<(f64, f64)>,
}

/// Reads the map `svg.plan-map` of the page in `tab`.
pub fn read_map(tab: &Tab) -> MapOnPage {
    let json = js(
        tab,
        r#"(() => {
  const svg = document.querySelector('svg.plan-map');
  const box = svg.getBoundingClientRect();
  const names = [...svg.querySelectorAll('text.name')].map(t => {
    const b = t.getBoundingClientRect();
    return [t.textContent, b.width, b.left >= box.left - 1 && b.right <= box.right + 1 && b.top >= box.top - 1 && b.bottom <= box.bottom + 1];
  });
  const stops = {};
  svg.querySelectorAll('circle.stop').forEach(c => stops[c.dataset.insee] = [+c.getAttribute('cx'), +c.getAttribute('cy')]);
  const routes = [...svg.querySelectorAll('polyline.route')].map(p => ({
    bus: p.dataset.busName, week: +p.dataset.week, weekday: +p.dataset.weekday,
    stops: p.dataset.stops.split(' ').filter(s => s),
    points: p.getAttribute('points').trim().split(/\s+/).map(xy => xy.split(',').map(Number)),
  }));
  const legend = [...svg.querySelectorAll('g.legend text')].map(t => t.textContent);
  const roads = [...svg.querySelectorAll('g.roads path')].map(p => (p.getAttribute('d').match(/M/g) || []).length).reduce((a, b) => a + b, 0);
  return JSON.stringify({names, stops, routes, legend, roads});
})()"#,
    );
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Checks the map against plan.csv: every stop drawn with its name, inside
/// the map and of some width; one route per bus day whose stops are the
/// day's in plan order and whose line passes through each stop's dot in
/// that order; the legend names every bus.
pub fn assert_map_shows(map: &MapOnPage, plan: &PlanDays) {
    for (insee, name) in &plan.names {
        assert!(map.stops.contains_key(insee), "no dot for {name} ({insee})");
        let drawn = map.names.iter().find(|(n, ..)| n == name);
        assert!(
            drawn.is_some_and(|(_, width, inside)| *width > 5.0 && *inside),
            "{name}: its name is not drawn inside the map"
        );
    }
    assert_eq!(map.routes.len(), plan.days.len(), "one route per bus day");
    for route in &map.routes {
        let key = (route.bus.clone(), route.week, route.weekday);
        let expected = plan
            .days
            .get(&key)
            .unwrap_or_else(|| panic!("a route for {key:?}, not a day of plan.csv"));
        assert_eq!(&route.stops, expected, "{key:?}: the route's stops, in order");
        // The line reaches each stop's dot, one after the other.
        let mut from = 0;
        for insee in &route.stops {
            let (x, y) = map.stops[insee];
            let reached = route.points[from..]
                .iter()
                .position(|&(px, py)| (px - x).hypot(py - y) < 1.0)
                .unwrap_or_else(|| panic!("{key:?}: the line does not reach {insee} after point {from}"));
            from += reached;
        }
    }
    for bus in &plan.buses {
        assert!(
            map.legend.iter().any(|entry| entry.starts_with(bus.as_str())),
            "the legend does not name {bus}: {:?}",
            map.legend
        );
    }
}
