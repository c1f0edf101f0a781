//! The HTML report is self-contained, holds a poster per commune, and
//! renders in headless Chromium to a picture that is not blank. Chromium
//! comes from Debian (`.ci/run` installs it); under `CI=true` its absence
//! fails the test instead of skipping it.

mod common;

use std::path::PathBuf;
use std::process::Command;
use tournee::output::map::Legs;

fn report() -> (String, usize) {
    let (instance, plan) = common::builtin_plan(0, 1, 20_000);
    (
        tournee::output::report::html(&instance, &plan, &Legs::Straight),
        plan.communes_served(&instance.territory),
    )
}

#[test]
fn report_is_self_contained_with_one_poster_per_commune() {
    let (html, communes) = report();
    assert_eq!(html.matches("<section class=\"poster\">").count(), communes);
    assert!(
        html.contains("s'arrête à Gargas le "),
        "French sentence on the Gargas poster"
    );
    assert!(html.contains("<svg"));
    // Self-contained: nothing fetched (the SVG namespace is an identifier).
    let without_ns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for needle in ["http://", "https://", "<script src", "<link "] {
        assert!(!without_ns.contains(needle), "the report must not reference `{needle}`");
    }
}

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH")?
                .to_str()?
                .split(':')
                .map(|d| PathBuf::from(d).join(name))
                .find(|p| p.exists())
        })
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but chromium is not installed"
        );
        eprintln!("skipping: chromium not installed (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, report().0).unwrap();
    let shot = dir.path().join("shot.png");
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
        ])
        .args([
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg("--window-size=1200,1600")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let pixels = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    let total = pixels.len() / channels;
    let ink = pixels
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|&v| v < 200))
        .count();
    let blue = pixels.chunks(channels).filter(|p| p[2] > 150 && p[0] < 60).count();
    assert!(
        ink * 100 > total,
        "only {ink} of {total} pixels are not near-white: blank page?"
    );
    assert!(
        blue > 500,
        "the bus-coloured calendar entries and routes should show ({blue} blue pixels)"
    );
}
