//! The workbench: moves checked by the checker, undo, suggestions, locks
//! (library); `tournee check` and `suggest`; the server's defences (raw
//! HTTP); and the page itself, driven in headless Chromium through the
//! DevTools protocol: a drag onto a forbidden slot is refused with its
//! reason, onto a feasible one it moves and shows the km; save, reload,
//! and the saved plan.csv passes `tournee check`.

mod common;

use common::tournee_at_root as tournee;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use tournee::schedule::check;
use tournee::workbench::{self, Workbench};

#[test]
fn moves_are_checked_priced_and_undoable() {
    let (instance, plan) = common::builtin_plan(0, 1, 3_000);
    let mut wb = Workbench::new(instance, plan.clone());
    let need = wb.instance.needs.iter().find(|n| n.visits == 1).unwrap().clone();
    let c = need.commune;
    let now = workbench::pattern_of(&wb.instance, &wb.plan, c).unwrap();
    // Onto a slot another commune holds: refused, nothing changes.
    let taken = need
        .patterns
        .iter()
        .copied()
        .find(|p| {
            p.slots().any(|s| {
                wb.plan
                    .visits
                    .iter()
                    .any(|v| v.commune != c && v.bus == p.bus && v.slot == s)
            })
        })
        .unwrap();
    let refused = wb.apply(c, taken);
    assert!(!refused.holds());
    assert!(
        refused
            .broken
            .iter()
            .any(|r| r.en.contains("two stops") && r.fr.contains("deux arrêts")),
        "{:?}",
        refused.broken
    );
    assert_eq!(wb.plan, plan);
    assert!(!wb.can_undo());
    // The best suggestion holds, and the checker agrees independently.
    let suggestions = workbench::suggest(&wb.instance, &wb.plan, c, 5);
    assert!(!suggestions.is_empty());
    assert!(
        suggestions
            .windows(2)
            .all(|w| w[0].1.extra_seconds <= w[1].1.extra_seconds)
    );
    let (to, verdict) = suggestions[0].clone();
    assert_ne!(to, now);
    let (before, _) = workbench::drive(&wb.instance, &wb.plan);
    assert!(wb.apply(c, to).holds());
    assert!(check::check(&wb.instance, &wb.plan).is_empty());
    let (after, _) = workbench::drive(&wb.instance, &wb.plan);
    assert!((after - before - verdict.extra_seconds).abs() < 1e-6);
    assert_eq!(workbench::pattern_of(&wb.instance, &wb.plan, c), Some(to));
    wb.undo();
    assert_eq!(wb.plan, plan);
    wb.redo();
    assert_eq!(workbench::pattern_of(&wb.instance, &wb.plan, c), Some(to));
    // Re-optimising keeps the locked commune where the planner put it.
    wb.locked.insert(c);
    wb.reoptimise(tournee::schedule::as_pvrp::SolveOptions {
        seed: 2,
        iterations: 3_000,
    })
    .unwrap();
    assert_eq!(workbench::pattern_of(&wb.instance, &wb.plan, c), Some(to));
    assert!(check::check(&wb.instance, &wb.plan).is_empty());
}

#[test]
fn check_lists_every_broken_rule_and_suggest_ranks_slots() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let o = tournee(&["plan", "--iterations", "3000", "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = tournee(&["check", "--plan", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("holds every rule"));
    let o = tournee(&[
        "suggest",
        "--plan",
        out.to_str().unwrap(),
        "--commune",
        "84048",
        "-k",
        "3",
    ]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert_eq!(text.lines().filter(|l| l.contains(" km")).count(), 3, "{text}");
    // Two edits by hand: a Sunday and a second stop in a taken slot.
    let csv = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    lines[1] = lines[1].replacen(",Mon,", ",Sun,", 1);
    let (week_day_half, rest) = {
        let f: Vec<&str> = lines[3].split(',').collect();
        (format!("{},{},{}", f[1], f[2], f[3]), f[4..].join(","))
    };
    let g: Vec<&str> = lines[2].split(',').collect();
    lines[2] = format!("{},{week_day_half},{}", g[0], g[4..].join(","));
    let _ = rest;
    std::fs::write(out.join("plan.csv"), lines.join("\n") + "\n").unwrap();
    let o = tournee(&["check", "--plan", out.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("does not work on Sun") && err.contains("two stops"),
        "{err}"
    );
}

/// A `tournee serve` child on a free port, and its URL.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(out: &Path) -> Server {
    serve_with(out, &[])
}

/// `tournee serve` on any free port, with `args` after the usual ones.
fn serve_with(out: &Path, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tournee"))
        .args([
            "serve",
            "--port",
            "0",
            "--iterations",
            "3000",
            "--out",
            out.to_str().unwrap(),
        ])
        .args(args)
        .current_dir(common::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no URL in `{line}`"));
    Server { child, port }
}

/// One raw HTTP/1.1 request; the status code and body.
fn raw(port: u16, request: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, answer)
}

#[test]
fn the_server_refuses_what_a_hostile_page_or_client_would_send() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&dir.path().join("plan"));
    let port = server.port;
    let host = format!("127.0.0.1:{port}");
    let get = |path: &str, host: &str| {
        raw(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    let (status, page) = get("/", &host);
    assert_eq!(status, 200);
    let token = page.split("name=\"token\" content=\"").nth(1).unwrap()[..32].to_string();
    // DNS rebinding: the same socket, another name.
    assert_eq!(get("/api/state", &format!("attacker.example:{port}")).0, 403);
    assert_eq!(get("/api/state", "").0, 403);
    // Nothing but the page and the API, whatever the path.
    assert_eq!(get("/../../etc/passwd", &host).0, 404);
    assert_eq!(get("/src/main.rs", &host).0, 404);
    let post = |path: &str, token: &str, body: &str| {
        raw(
            port,
            &format!(
                "POST {path} HTTP/1.1\r\nHost: {host}\r\nX-Tournee-Token: {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        )
    };
    assert_eq!(post("/api/undo", "", "{}").0, 403);
    assert_eq!(post("/api/undo", "0123456789abcdef0123456789abcdef", "{}").0, 403);
    let (status, body) = post("/api/move", &token, "{\"commune\": ");
    assert_eq!(status, 400);
    assert!(body.contains("malformed JSON"), "{body}");
    assert_eq!(post("/api/move", &token, "{\"commune\": 999, \"option\": 0}").0, 400);
    assert_eq!(post("/api/move", &token, "[1, 2, 3]").0, 400);
    let big = "x".repeat(workbench::server::MAX_BODY + 1);
    assert_eq!(post("/api/move", &token, &big).0, 413);
    assert_eq!(
        raw(
            port,
            &format!("DELETE /api/state HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
        )
        .0,
        405
    );
    // Still serving after all that.
    assert_eq!(get("/api/state", &host).0, 200);
}

#[path = "common/browser.rs"]
mod pages;

mod browser {
    use super::pages::{js, launch};
    use super::*;
    use headless_chrome::Tab;
    use headless_chrome::browser::tab::point::Point;
    use headless_chrome::protocol::cdp::Input;
    use std::sync::Arc;

    fn mouse(tab: &Tab, kind: Input::DispatchMouseEventTypeOption, p: Point, pressed: bool) {
        let button = if pressed || matches!(kind, Input::DispatchMouseEventTypeOption::MouseReleased) {
            Input::MouseButton::Left
        } else {
            Input::MouseButton::None
        };
        tab.call_method(Input::DispatchMouseEvent {
            Type: kind,
            x: p.x,
            y: p.y,
            button: Some(button),
            click_count: Some(1),
            modifiers: None,
            timestamp: None,
            buttons: Some(if pressed { 1 } else { 0 }),
            force: None,
            tangential_pressure: None,
            tilt_x: None,
            tilt_y: None,
            twist: None,
            delta_x: None,
            delta_y: None,
            pointer_Type: None,
        })
        .unwrap();
    }

    /// Presses on `from`, waits for the slots to be coloured, moves to the
    /// point `to` picks, releases there.
    fn drag(tab: &Tab, from: Point, to: impl Fn(&Tab) -> Point) {
        use Input::DispatchMouseEventTypeOption::{MouseMoved, MousePressed, MouseReleased};
        mouse(tab, MouseMoved, from, false);
        mouse(tab, MousePressed, from, true);
        tab.wait_for_element("td.cell.ok").unwrap();
        let target = to(tab);
        mouse(
            tab,
            MouseMoved,
            Point {
                x: from.x + 10.0,
                y: from.y + 10.0,
            },
            true,
        );
        mouse(tab, MouseMoved, target, true);
        mouse(tab, MouseReleased, target, false);
    }

    /// The centre of the first element matching a JS selector expression.
    fn centre_of(tab: &Tab, find: &str) -> Point {
        let text = js(
            tab,
            &format!(
                "(() => {{ const e = {find}; if (!e) return ''; const r = e.getBoundingClientRect(); return (r.x + r.width / 2) + ',' + (r.y + r.height / 2); }})()"
            ),
        );
        let (x, y) = text.split_once(',').unwrap_or_else(|| panic!("no element for {find}"));
        Point {
            x: x.parse().unwrap(),
            y: y.parse().unwrap(),
        }
    }

    fn wait_for_text(tab: &Tab, selector: &str, needle: &str) -> String {
        for _ in 0..100 {
            let text = js(tab, &format!("document.querySelector('{selector}').textContent"));
            if text.contains(needle) {
                return text;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!(
            "`{needle}` never appeared in {selector}: {}",
            js(tab, &format!("document.querySelector('{selector}').textContent"))
        );
    }

    #[test]
    fn a_planner_drags_stops_saves_and_the_saved_plan_holds() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("plan");
        let Some(browser) = launch(&dir.path().join("profile")) else {
            return;
        };
        let server = serve(&out);
        let tab: Arc<Tab> = browser.new_tab().unwrap();
        tab.navigate_to(&format!("http://127.0.0.1:{}/", server.port)).unwrap();
        tab.wait_until_navigated().unwrap();
        tab.wait_for_element(".chip").unwrap();
        assert_eq!(js(&tab, "document.documentElement.lang"), "fr");
        // A commune visited once a month (one chip), so its move is one cell.
        let commune = js(
            &tab,
            "String(state.stops.find(s => s.weeks.length === 1 && !s.full).commune)",
        );
        let chip = format!("document.querySelector('.chip[data-commune=\"{commune}\"]')");
        let totals = js(&tab, "document.getElementById('totals').textContent");

        // Onto a slot another commune holds: refused, with the reason.
        let bad = format!(
            "[...document.querySelectorAll('td.cell.bad')].find(c => c.querySelector('.chip') && !c.querySelector('.chip[data-commune=\"{commune}\"]'))"
        );
        drag(&tab, centre_of(&tab, &chip), |tab| centre_of(tab, &bad));
        let refusal = wait_for_text(&tab, "#message", "Refusé");
        // A French page says the checker's reasons in French.
        assert!(refusal.contains("deux arrêts"), "{refusal}");
        assert_eq!(js(&tab, "document.getElementById('totals').textContent"), totals);

        // Onto a feasible slot: moved, the km change shown, totals updated.
        let ok = "[...document.querySelectorAll('td.cell.ok')].find(c => !c.querySelector('.chip'))";
        let target = std::cell::RefCell::new(String::new());
        drag(&tab, centre_of(&tab, &chip), |tab| {
            // The slots are coloured once the stop is pressed.
            let describe = format!(
                "(() => {{ const c = {ok}; return [c.dataset.bus, c.dataset.week, c.dataset.weekday, c.dataset.half].join(','); }})()"
            );
            *target.borrow_mut() = js(tab, &describe);
            centre_of(tab, ok)
        });
        let target = target.into_inner();
        let done = wait_for_text(&tab, "#message", "déplacée");
        assert!(done.contains(" km"), "{done}");
        let moved_to = js(
            &tab,
            &format!(
                "(() => {{ const s = state.stops.find(s => s.commune === {commune}); return [s.bus, s.weeks[0], s.weekday, s.half].join(','); }})()"
            ),
        );
        assert_eq!(moved_to, target);

        // Save, reload: the page shows the saved plan, which holds.
        tab.find_element("#save").unwrap().click().unwrap();
        wait_for_text(&tab, "#message", "Enregistré");
        tab.reload(true, None).unwrap();
        tab.wait_for_element(".chip").unwrap();
        let after_reload = js(
            &tab,
            &format!(
                "(() => {{ const s = state.stops.find(s => s.commune === {commune}); return [s.bus, s.weeks[0], s.weekday, s.half].join(','); }})()"
            ),
        );
        assert_eq!(after_reload, target);
        let o = tournee(&["check", "--plan", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(out.join("lieux-mediation-numerique.csv").exists());
        assert!(out.join("calendars").is_dir());
    }

    /// Opens the workbench of `server` in a new tab of `browser`.
    fn open(browser: &headless_chrome::Browser, server: &Server) -> Arc<Tab> {
        let tab = browser.new_tab().unwrap();
        tab.navigate_to(&format!("http://127.0.0.1:{}/", server.port)).unwrap();
        tab.wait_until_navigated().unwrap();
        tab.wait_for_element(".chip").unwrap();
        tab.wait_for_element("svg.plan-map").unwrap();
        tab
    }

    /// The grid shows each plan.csv day's date and its km; the map shows
    /// every stop's name and each day's route in order with a legend;
    /// hovering a day lights its route; a move is listed among the changes
    /// until saved; the print view hides the controls.
    #[test]
    fn the_page_shows_dates_drives_routes_and_changes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("plan");
        let Some(browser) = launch(&dir.path().join("profile")) else {
            return;
        };
        let server = serve(&out);
        let tab = open(&browser, &server);
        wait_for_text(&tab, "#changes", "aucune");
        tab.find_element("#save").unwrap().click().unwrap();
        wait_for_text(&tab, "#message", "Enregistré");
        let plan_csv = out.join("plan.csv");
        pages::assert_map_shows(&pages::read_map(&tab), &pages::plan_days(&plan_csv));

        // Dates and km of every day, read from plan.csv.
        let mut reader = csv::Reader::from_path(&plan_csv).unwrap();
        let header = reader.headers().unwrap().clone();
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        for row in reader.records() {
            let row = row.unwrap();
            let weekday = weekdays.iter().position(|d| *d == &row[at("weekday")]).unwrap();
            let day = format!(
                "td.day[data-bus=\"0\"][data-week=\"{}\"][data-weekday=\"{weekday}\"]",
                &row[at("week")]
            );
            let texts = js(
                &tab,
                &format!("[...document.querySelectorAll('{day}')].map(t => t.textContent).join(' | ')"),
            );
            let date = chrono::NaiveDate::parse_from_str(&row[at("date")], "%Y-%m-%d").unwrap();
            let km = row[at("day_km")].replace('.', ",");
            let km = km.strip_suffix(",0").unwrap_or(&km);
            assert!(
                texts.contains(&date.format("%d/%m").to_string()) && texts.contains(&format!("{km} km")),
                "{}: `{texts}` lacks the date {date} or {km} km",
                &row[at("commune")]
            );
        }

        // Hovering a day's cell lights that day's route only.
        let cell = "document.querySelector('td.cell .chip').closest('td')";
        let key = js(
            &tab,
            &format!(
                "(() => {{ const c = {cell}; return [c.dataset.bus, c.dataset.week, c.dataset.weekday].join(','); }})()"
            ),
        );
        let point = centre_of(&tab, cell);
        mouse(&tab, Input::DispatchMouseEventTypeOption::MouseMoved, point, false);
        let lit = js(
            &tab,
            "[...document.querySelectorAll('#map .route.hl')].map(r => [r.dataset.bus, r.dataset.week, r.dataset.weekday].join(',')).join(';')",
        );
        assert_eq!(lit, key, "the hovered day's route, and no other");

        // A move is listed among the changes, until saved.
        let moved = js(
            &tab,
            "(async () => { const s = state.stops.find(s => s.weeks.length === 1 && !s.full); const o = await api('/api/options?commune=' + s.commune); const k = o.findIndex(x => x.holds && x.weeks[0] !== s.weeks[0]); const r = await api('/api/move', {commune: s.commune, option: k}); state = r.state; draw(); return state.communes[s.commune].name; })()",
        );
        let changes = wait_for_text(&tab, "#changes", &moved);
        assert!(changes.contains('→'), "{changes}");
        tab.find_element("#save").unwrap().click().unwrap();
        wait_for_text(&tab, "#changes", "aucune");

        pages::screenshot(&tab, "body", "workbench");
        // The print view: controls hidden, grids and map kept.
        tab.call_method(headless_chrome::protocol::cdp::Emulation::SetEmulatedMedia {
            media: Some("print".into()),
            features: None,
        })
        .unwrap();
        let shown = |selector: &str| {
            js(
                &tab,
                &format!("getComputedStyle(document.querySelector('{selector}')).display"),
            )
        };
        assert_eq!(shown("#bar"), "none");
        assert_ne!(shown("#grids table"), "none");
        assert_ne!(shown("#map"), "none");
    }

    /// Several buses: one tab each and one for all; a tab shows its bus's
    /// grid and dims the other buses' routes; the map's legend names every
    /// bus.
    #[test]
    fn several_buses_have_tabs_and_a_legend() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("plan");
        let Some(browser) = launch(&dir.path().join("profile")) else {
            return;
        };
        let server = serve_with(&out, &["--scenario", "data/coeur_coteaux_comminges_4_buses.toml"]);
        let tab = open(&browser, &server);
        let buses: Vec<String> =
            serde_json::from_str(&js(&tab, "JSON.stringify(state.buses.map(b => b.name))")).unwrap();
        assert_eq!(buses.len(), 4);
        assert_eq!(
            js(&tab, "String(document.querySelectorAll('#tabs button').length)"),
            "5"
        );
        let legend = js(
            &tab,
            "[...document.querySelectorAll('#map g.legend text')].map(t => t.textContent).join('|')",
        );
        for bus in &buses {
            assert!(
                legend.split('|').any(|entry| entry.starts_with(bus.as_str())),
                "{bus} not in {legend}"
            );
        }
        tab.find_element("#tabs button[data-tab=\"2\"]")
            .unwrap()
            .click()
            .unwrap();
        let visible = js(
            &tab,
            "[...document.querySelectorAll('#grids table')].filter(t => t.offsetParent !== null).map(t => t.dataset.bus).join(',')",
        );
        assert_eq!(visible, "2");
        let dimmed = js(
            &tab,
            "[...document.querySelectorAll('#map .route')].every(r => r.classList.contains('other') === (r.dataset.bus !== '2'))",
        );
        assert_eq!(dimmed, "true");
        tab.find_element("#tabs button[data-tab=\"-1\"]")
            .unwrap()
            .click()
            .unwrap();
        let visible = js(
            &tab,
            "String([...document.querySelectorAll('#grids table')].filter(t => t.offsetParent !== null).length)",
        );
        assert_eq!(visible, "4");
        pages::screenshot(&tab, "body", "workbench-4-buses");
    }

    /// `--lang en`: the page's words and the checker's reasons in English.
    #[test]
    fn with_lang_en_the_page_and_its_reasons_are_english() {
        let dir = tempfile::tempdir().unwrap();
        let Some(browser) = launch(&dir.path().join("profile")) else {
            return;
        };
        let server = serve_with(&dir.path().join("plan"), &["--lang", "en"]);
        let tab = open(&browser, &server);
        assert_eq!(js(&tab, "document.documentElement.lang"), "en");
        assert_eq!(js(&tab, "document.getElementById('save').textContent"), "Save");
        assert!(js(&tab, "document.getElementById('totals').textContent").starts_with("Driving: "));
        let legend = js(
            &tab,
            "[...document.querySelectorAll('#map g.legend text')].map(t => t.textContent).join('|')",
        );
        assert!(legend.contains("Monday") && legend.contains("Depot"), "{legend}");
        // A slot another commune holds is refused, in English.
        let reasons = js(
            &tab,
            "(async () => { const s = state.stops.find(s => s.weeks.length === 1 && !s.full); const o = await api('/api/options?commune=' + s.commune); return o.filter(x => !x.holds).flatMap(x => x.reasons).join(' | '); })()",
        );
        assert!(reasons.contains("two stops"), "{reasons}");
        assert!(!reasons.contains("deux arrêts"), "{reasons}");
    }
}
