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
        refused.broken.iter().any(|r| r.contains("two stops")),
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

mod browser {
    use super::*;
    use headless_chrome::browser::tab::point::Point;
    use headless_chrome::protocol::cdp::Input;
    use headless_chrome::{Browser, LaunchOptions, Tab};
    use std::ffi::OsStr;
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

    /// A JS expression's string value.
    fn js(tab: &Tab, expression: &str) -> String {
        let value = tab.evaluate(expression, true).unwrap().value.unwrap_or_default();
        value.as_str().map(String::from).unwrap_or_else(|| value.to_string())
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

    fn launch(profile: &Path) -> Option<Browser> {
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
        assert!(refusal.contains("two stops"), "{refusal}");
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
}
