//! `tournee serve`: the workbench in a browser. A local HTTP server
//! (tiny_http) bound to 127.0.0.1 only, one self-contained French page
//! (no CDN, works offline) and a small JSON API over [`Workbench`].
//!
//! A local server is still a server: every request whose `Host` is not the
//! bound address is refused (DNS rebinding), every state-changing request
//! must carry the per-run token the page was served with, nothing but the
//! page and the API is ever served (no file from disk), request bodies are
//! capped, and malformed JSON gets a 400 with its reason.

use super::{Verdict, Workbench, describe_in, drive, options, pattern_of, suggest};
use crate::calendar::{HalfDay, halves};
use crate::error::{Error, Result};
use crate::output::folder::{Existing, write_folder};
use crate::output::lang::Lang;
use crate::output::{CsvStyle, RunInfo, map::Legs};
use crate::schedule::as_pvrp::SolveOptions;
use crate::schedule::model::SlotPattern;
use serde_json::{Value, json};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Mutex;
use tiny_http::{Header, Method, Request, Response, Server};

/// The page, with `__TOKEN__` replaced at each run.
const PAGE: &str = include_str!("page.html");

/// Largest request body accepted: the API's requests are a few dozen bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// What the server needs besides the workbench.
pub struct Settings {
    /// Where "save" writes the plan folder.
    pub out: PathBuf,
    /// Solver settings for "re-optimise".
    pub solver: SolveOptions,
    /// The road network, when the scenario names an OSM extract: the map's
    /// roads and routes along them, and the saved map's.
    pub geometry: Option<road::RoadGeometry>,
    /// The page's language, its words and the checker's reasons alike.
    pub lang: Lang,
}

/// A running workbench server.
pub struct Serve {
    server: Server,
    port: u16,
    token: String,
    state: Mutex<Workbench>,
    settings: Settings,
}

/// An HTTP answer: the page, or a status and a JSON body.
enum Reply {
    Page(String),
    Json(u16, Value),
}

use Reply::Json as Answer;

impl Serve {
    /// Binds 127.0.0.1:`port` (0: any free port) and draws a token.
    pub fn bind(workbench: Workbench, port: u16, settings: Settings) -> Result<Serve> {
        let server = Server::http(("127.0.0.1", port))
            .map_err(|e| Error::internal(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        let port = server.server_addr().to_ip().map_or(port, |a| a.port());
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| Error::internal(format!("no randomness for the token: {e}")))?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Serve {
            server,
            port,
            token,
            state: Mutex::new(workbench),
            settings,
        })
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Answers requests until the process is stopped (Ctrl-C).
    pub fn run(&self) {
        for request in self.server.incoming_requests() {
            self.handle(request);
        }
    }

    fn handle(&self, mut request: Request) {
        let reply = self.answer(&mut request).unwrap_or_else(|refusal| refusal);
        let response = match reply {
            Reply::Page(html) => {
                Response::from_string(html).with_header(header("Content-Type", "text/html; charset=utf-8"))
            }
            Reply::Json(status, body) => Response::from_string(body.to_string())
                .with_status_code(status)
                .with_header(header("Content-Type", "application/json")),
        };
        let response = response
            .with_header(header("Cache-Control", "no-store"))
            .with_header(header("X-Content-Type-Options", "nosniff"))
            .with_header(header(
                "Content-Security-Policy",
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
            ));
        // A client that went away is not the server's problem.
        let _ = request.respond(response);
    }

    /// The reply; `Err` is a refusal (wrong host, token, body).
    fn answer(&self, request: &mut Request) -> std::result::Result<Reply, Reply> {
        self.check_host(request)?;
        let url = request.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let method = request.method().clone();
        Ok(match (&method, path) {
            (Method::Get, "/") => Reply::Page(
                PAGE.replace("__TOKEN__", &self.token)
                    .replace("__LANG__", self.settings.lang.pick("en", "fr")),
            ),
            (Method::Get, "/api/state") => Answer(200, self.state_of(&self.lock())),
            (Method::Get, "/api/options") => self.with_commune(query, |wb, c| {
                let options = options(&wb.instance, &wb.plan, c);
                Answer(
                    200,
                    json!(
                        options
                            .iter()
                            .map(|(p, v)| self.option_json(wb, p, v))
                            .collect::<Vec<_>>()
                    ),
                )
            }),
            (Method::Get, "/api/suggest") => self.with_commune(query, |wb, c| {
                let k = param(query, "k").and_then(|k| k.parse().ok()).unwrap_or(5);
                let found = suggest(&wb.instance, &wb.plan, c, k);
                Answer(
                    200,
                    json!(
                        found
                            .iter()
                            .map(|(p, v)| self.option_json(wb, p, v))
                            .collect::<Vec<_>>()
                    ),
                )
            }),
            (Method::Post, _) => {
                self.check_token(request)?;
                let body = read_body(request)?;
                self.post(path, &body)
            }
            (_, "/" | "/api/state" | "/api/options" | "/api/suggest") => {
                Answer(405, json!({"error": "method not allowed"}))
            }
            _ => Answer(404, json!({"error": "not found"})),
        })
    }

    /// Refuses a request addressed to another name than the bound one: a
    /// page of another site whose name was rebound to 127.0.0.1 must not
    /// reach the API.
    fn check_host(&self, request: &Request) -> std::result::Result<(), Reply> {
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_string());
        let allowed = [format!("127.0.0.1:{}", self.port), format!("localhost:{}", self.port)];
        match host {
            Some(h) if allowed.contains(&h) => Ok(()),
            _ => Err(Answer(
                403,
                json!({"error": "this server answers only to its own address"}),
            )),
        }
    }

    fn check_token(&self, request: &Request) -> std::result::Result<(), Reply> {
        let given = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("X-Tournee-Token"))
            .map(|h| h.value.as_str().to_string());
        if given.as_deref() == Some(self.token.as_str()) {
            Ok(())
        } else {
            Err(Answer(403, json!({"error": "missing or wrong X-Tournee-Token"})))
        }
    }

    fn with_commune(&self, query: &str, f: impl FnOnce(&Workbench, usize) -> Reply) -> Reply {
        let wb = self.lock();
        match param(query, "commune").and_then(|c| c.parse::<usize>().ok()) {
            Some(c) if c < wb.instance.territory.communes.len() => f(&wb, c),
            _ => Answer(
                400,
                json!({"error": "expected ?commune=INDEX of a commune of the plan"}),
            ),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Workbench> {
        // A panic while holding the lock cannot leave a half-made plan:
        // every change replaces the plan whole.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The state-changing requests.
    fn post(&self, path: &str, body: &Value) -> Reply {
        let mut wb = self.lock();
        let commune = || {
            body.get("commune")
                .and_then(Value::as_u64)
                .map(|c| c as usize)
                .filter(|&c| c < wb.instance.territory.communes.len())
        };
        match path {
            "/api/move" => {
                let (Some(c), Some(k)) = (commune(), body.get("option").and_then(Value::as_u64)) else {
                    return Answer(
                        400,
                        json!({"error": "expected {\"commune\": INDEX, \"option\": INDEX}"}),
                    );
                };
                let all = options(&wb.instance, &wb.plan, c);
                let Some(&(pattern, _)) = all.get(k as usize) else {
                    return Answer(
                        400,
                        json!({"error": format!("option {k}: the commune has {} options", all.len())}),
                    );
                };
                let verdict = wb.apply(c, pattern);
                Answer(
                    200,
                    json!({"holds": verdict.holds(), "verdict": self.option_json(&wb, &pattern, &verdict), "state": self.state_of(&wb)}),
                )
            }
            "/api/lock" => {
                let (Some(c), Some(locked)) = (commune(), body.get("locked").and_then(Value::as_bool)) else {
                    return Answer(
                        400,
                        json!({"error": "expected {\"commune\": INDEX, \"locked\": true|false}"}),
                    );
                };
                if locked {
                    wb.locked.insert(c);
                } else {
                    wb.locked.remove(&c);
                }
                Answer(200, self.state_of(&wb))
            }
            "/api/undo" => {
                wb.undo();
                Answer(200, self.state_of(&wb))
            }
            "/api/redo" => {
                wb.redo();
                Answer(200, self.state_of(&wb))
            }
            "/api/reoptimise" => match wb.reoptimise(self.settings.solver) {
                Ok(()) => Answer(200, self.state_of(&wb)),
                Err(e) => Answer(422, json!({"error": e.to_string()})),
            },
            "/api/save" => match self.save(&wb) {
                Ok(written) => {
                    wb.mark_saved();
                    Answer(
                        200,
                        json!({"written": written, "out": self.settings.out.display().to_string(), "state": self.state_of(&wb)}),
                    )
                }
                Err(e) => Answer(422, json!({"error": e.to_string()})),
            },
            _ => Answer(404, json!({"error": "not found"})),
        }
    }

    /// Writes the plan folder through the output policy (atomic, manifest)
    /// and re-exports calendars, posters, map and open data.
    fn save(&self, wb: &Workbench) -> Result<usize> {
        let run = RunInfo {
            seed: None,
            iterations: None,
            moved: None,
        };
        crate::schedule::check::verify(&wb.instance, &wb.plan)
            .map_err(|b| Error::infeasible(format!("the plan {}", b.listed())))?;
        let files = crate::output::output_files(&wb.instance, &wb.plan, run, CsvStyle::Plain, &self.legs())?;
        Ok(write_folder(&self.settings.out, files, Existing::Refuse)?.len())
    }

    /// Route legs along the roads when a network is loaded.
    fn legs(&self) -> Legs<'_> {
        self.settings.geometry.as_ref().map_or(Legs::Straight, Legs::Road)
    }

    /// Everything the page draws, in the page's language.
    fn state_of(&self, wb: &Workbench) -> Value {
        let lang = self.settings.lang;
        let mut state = plan_state(wb, lang);
        state["map"] = json!(crate::output::svgmap::svg(
            &wb.instance,
            &wb.plan,
            &self.legs(),
            MAP,
            lang
        ));
        state
    }

    /// One pattern and its verdict, for the page.
    fn option_json(&self, wb: &Workbench, pattern: &SlotPattern, verdict: &Verdict) -> Value {
        let lang = self.settings.lang;
        let weeks: std::collections::BTreeSet<u8> = pattern.slots().map(|s| s.week).collect();
        json!({
            "bus": pattern.bus,
            "weekday": pattern.weekday.num_days_from_monday(),
            "half": half_code(pattern.half),
            "full": pattern.full,
            "weeks": weeks,
            "label": describe_in(&wb.instance, pattern, lang),
            "holds": verdict.holds(),
            "reasons": said(&verdict.broken, lang),
            "extra_km": (verdict.extra_metres / 100.0).round() / 10.0,
            "extra_min": (verdict.extra_seconds / 60.0).round(),
        })
    }
}

/// The workbench's map, beside the grid.
const MAP: crate::output::svgmap::Frame = crate::output::svgmap::Frame {
    width: 520.0,
    height: 440.0,
};

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// `name=value` from a query string.
fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The JSON body, at most [`MAX_BODY`] bytes.
fn read_body(request: &mut Request) -> std::result::Result<Value, Reply> {
    if request.body_length().is_some_and(|n| n > MAX_BODY) {
        return Err(Answer(
            413,
            json!({"error": format!("request body over {MAX_BODY} bytes")}),
        ));
    }
    let mut bytes = Vec::new();
    request
        .as_reader()
        .take(MAX_BODY as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Answer(400, json!({"error": format!("reading the body: {e}")})))?;
    if bytes.len() > MAX_BODY {
        return Err(Answer(
            413,
            json!({"error": format!("request body over {MAX_BODY} bytes")}),
        ));
    }
    if bytes.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes).map_err(|e| Answer(400, json!({"error": format!("malformed JSON: {e}")})))
}

fn half_code(half: HalfDay) -> &'static str {
    match half {
        HalfDay::Am => "am",
        HalfDay::Pm => "pm",
    }
}

/// The reasons in `lang`.
fn said(reasons: &[crate::schedule::reason::Reason], lang: Lang) -> Vec<&str> {
    reasons.iter().map(|r| r.said(lang == Lang::Fr)).collect()
}

/// Everything the page draws but the map.
fn plan_state(wb: &Workbench, lang: Lang) -> Value {
    let instance = &wb.instance;
    let (seconds, metres) = drive(instance, &wb.plan);
    let buses: Vec<Value> = instance
        .buses
        .iter()
        .map(|b| {
            json!({
                "name": b.name,
                "depot": [b.depot.lat, b.depot.lon],
                "days": b.weekdays.iter().map(|d| json!({
                    "weekday": d.num_days_from_monday(),
                    "halves": halves(*d).iter().map(|h| half_code(*h)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let communes: Vec<Value> = instance
        .territory
        .communes
        .iter()
        .map(|c| json!({"insee": c.insee, "name": c.name, "lat": c.stop.lat, "lon": c.stop.lon, "population": c.population}))
        .collect();
    let stops: Vec<Value> = instance
        .needs
        .iter()
        .filter_map(|n| {
            let p = pattern_of(instance, &wb.plan, n.commune)?;
            let weeks: std::collections::BTreeSet<u8> = p.slots().map(|s| s.week).collect();
            Some(json!({
                "commune": n.commune,
                "bus": p.bus,
                "weekday": p.weekday.num_days_from_monday(),
                "half": half_code(p.half),
                "full": p.full,
                "weeks": weeks,
                "locked": wb.locked.contains(&n.commune),
                "label": describe_in(instance, &p, lang),
            }))
        })
        .collect();
    json!({
        "name": instance.name,
        "weeks": instance.cycle.weeks,
        "dates": dates_of(instance),
        "fifth": fifth_week(instance),
        "day_drives": day_drives(wb),
        "changes": wb.changes(lang),
        "cycle": crate::output::wording::cycle(&instance.cycle),
        "buses": buses,
        "communes": communes,
        "stops": stops,
        "drive_km": (metres / 100.0).round() / 10.0,
        "drive_hours": (seconds / 360.0).round() / 10.0,
        "broken": said(&crate::schedule::check::reasons(instance, &wb.plan), lang),
        "can_undo": wb.can_undo(),
        "can_redo": wb.can_redo(),
    })
}

/// Per week of the cycle, per weekday (Monday first), the date it falls
/// on (`lun. 04/01`, with `holiday` for a public holiday), or null without
/// dates.
fn dates_of(instance: &crate::schedule::model::Instance) -> Value {
    let weeks: Vec<Value> = instance
        .cycle
        .week_numbers()
        .map(|week| {
            let days: Vec<Value> = crate::calendar::WEEKDAYS
                .iter()
                .map(|&day| match instance.cycle.date_of(week, day) {
                    Some(date) => json!({
                        "date": date.format("%d/%m").to_string(),
                        "iso": date.to_string(),
                        "holiday": crate::calendar::is_french_holiday(date),
                    }),
                    None => Value::Null,
                })
                .collect();
            json!(days)
        })
        .collect();
    json!(weeks)
}

/// Under a month, the dates of its 5th week (the weekdays that occur five
/// times): days the cycle does not serve, shown so the grid is the month's.
fn fifth_week(instance: &crate::schedule::model::Instance) -> Value {
    let Some(month) = instance.cycle.month() else {
        return json!([]);
    };
    let days: Vec<Value> = crate::calendar::WEEKDAYS
        .iter()
        .filter_map(|&day| {
            let date = chrono::NaiveDate::from_weekday_of_month_opt(month.year, month.month, day, 5)?;
            Some(json!({
                "weekday": day.num_days_from_monday(),
                "date": date.format("%d/%m").to_string(),
                "holiday": crate::calendar::is_french_holiday(date),
            }))
        })
        .collect();
    json!(days)
}

/// Each bus day's driving: km and minutes, by bus, week and weekday.
fn day_drives(wb: &Workbench) -> Value {
    let days: Vec<Value> = wb
        .plan
        .days()
        .iter()
        .map(|day| {
            let drive = wb.instance.day_drive(day.bus, &day.communes());
            json!({
                "bus": day.bus,
                "week": day.week,
                "weekday": day.weekday.num_days_from_monday(),
                "km": (drive.metres / 100.0).round() / 10.0,
                "minutes": (drive.seconds / 60.0).round(),
            })
        })
        .collect();
    json!(days)
}
