//! One negative test per rule of the plan checker: a valid plan, built by
//! hand on six communes of the Luberon in May 2027, is broken in one way at
//! a time, and the checker must report exactly that rule. Dates are from
//! the calendar, not from the code: 1 May 2027 is a Saturday; Easter is
//! 28 March, so Ascension is Thursday 6 May and Whit Monday 17 May.

use chrono::Weekday::{self, Fri, Mon, Thu, Tue, Wed};
use std::path::Path;
use tournee::calendar::{HalfDay, Slot};
use tournee::input::scenario::Scenario;
use tournee::input::territory::Territory;
use tournee::schedule::check::check;
use tournee::schedule::model::Instance;
use tournee::schedule::plan::{Plan, Visit};

/// Apt is the depot. Gargas only on Monday or Tuesday; Saint-Saturnin only
/// in the morning and not on Wednesday 12 May; Sault (24 km north) and
/// Pertuis (22 km south) lie in opposite directions.
const COMMUNES: &str = "\
insee,name,lat,lon,population,visits_per_month,weekdays,half_day,unavailable
84003,Apt,43.8766,5.3964,11000,2,,,
84047,Gargas,43.9017,5.3533,3000,1,Mon;Tue,,
84118,Saint-Saturnin-lès-Apt,43.9300,5.3830,2800,1,,AM,2027-05-12
84102,Roussillon,43.9027,5.2928,1300,1,,,
84123,Sault,44.0906,5.4086,1300,1,,,
84089,Pertuis,43.6942,5.5017,1500,1,,,
";

const APT: usize = 0;
const GARGAS: usize = 1;
const SAINT_SATURNIN: usize = 2;
const ROUSSILLON: usize = 3;
const SAULT: usize = 4;
const PERTUIS: usize = 5;

/// The territory with one bus at Apt working Monday to Thursday; `month`
/// and `extra` lines go at the top of the scenario, `pm_start` sets the
/// lunch gap after the 12:00 end of the morning.
fn instance(month: Option<&str>, max_drive_minutes: u32, pm_start: &str) -> Instance {
    let month = month.map_or(String::new(), |m| format!("month = \"{m}\"\n"));
    let scenario = format!(
        "name = \"Checker\"\n{month}max_drive_minutes = {max_drive_minutes}\n\
         [[bus]]\nname = \"Bus\"\ndepot = \"84003\"\nweekdays = [\"Mon\", \"Tue\", \"Wed\", \"Thu\"]\n\
         [sessions]\nam = {{ start = \"09:30\", end = \"12:00\" }}\npm = {{ start = \"{pm_start}\", end = \"19:30\" }}\n"
    );
    let scenario = Scenario::parse(&scenario, Path::new("checker.toml")).unwrap();
    let territory = Territory::parse(COMMUNES, Path::new("checker.csv")).unwrap();
    Instance::straight_line(territory, &scenario).unwrap()
}

/// May 2027, generous driving, a two-hour lunch.
fn may() -> Instance {
    instance(Some("2027-05"), 600, "14:00")
}

fn visit(commune: usize, week: u8, weekday: Weekday, half: HalfDay) -> Visit {
    Visit {
        bus: 0,
        slot: Slot { week, weekday, half },
        commune,
        time: None,
    }
}

/// A plan that keeps every rule: no stop on a holiday, Gargas on a Monday,
/// Saint-Saturnin in a morning, every day within its drive.
fn valid() -> Vec<Visit> {
    use HalfDay::Am;
    vec![
        visit(APT, 2, Tue, Am),
        visit(APT, 4, Tue, Am),
        visit(GARGAS, 1, Mon, Am),
        visit(SAINT_SATURNIN, 3, Wed, Am),
        visit(ROUSSILLON, 4, Thu, Am),
        visit(SAULT, 1, Wed, Am),
        visit(PERTUIS, 2, Thu, Am),
    ]
}

/// The checker's findings on the valid plan with `change` applied to the
/// visit of `commune` in week `week`.
fn broken(instance: &Instance, commune: usize, week: u8, change: impl FnOnce(&mut Visit)) -> Vec<String> {
    let mut visits = valid();
    let v = visits
        .iter_mut()
        .find(|v| v.commune == commune && v.slot.week == week)
        .expect("a visit of the valid plan");
    change(v);
    check(instance, &Plan::new(visits))
}

/// Exactly one finding, and it mentions every `words`.
fn assert_one(found: &[String], words: &[&str]) {
    assert_eq!(found.len(), 1, "{found:?}");
    for w in words {
        assert!(found[0].contains(w), "`{w}` not in {found:?}");
    }
}

#[test]
fn the_valid_plan_is_valid_in_every_variant() {
    for instance in [
        may(),
        instance(None, 600, "14:00"),
        instance(Some("2027-05"), 120, "17:00"),
        instance(Some("2027-05"), 600, "12:15"),
    ] {
        assert_eq!(check(&instance, &Plan::new(valid())), Vec::<String>::new());
    }
}

#[test]
fn a_visit_on_an_unknown_bus() {
    assert_one(&broken(&may(), ROUSSILLON, 4, |v| v.bus = 3), &["unknown bus #3"]);
}

#[test]
fn a_visit_to_an_unknown_commune() {
    let found = broken(&may(), ROUSSILLON, 4, |v| v.commune = 99);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].contains("Roussillon: 0 visits planned, 1 required"),
        "{found:?}"
    );
    assert!(found[1].contains("unknown commune #99"), "{found:?}");
    let mut visits = valid();
    visits.push(visit(99, 3, Mon, HalfDay::Pm));
    assert_one(&check(&may(), &Plan::new(visits)), &["unknown commune #99"]);
}

#[test]
fn a_week_outside_the_cycle() {
    // Without a month: a week 5 has no date to check against.
    let generic = instance(None, 600, "14:00");
    assert_one(
        &broken(&generic, ROUSSILLON, 4, |v| v.slot.week = 5),
        &["week 5 outside"],
    );
}

#[test]
fn a_day_the_bus_does_not_work() {
    let found = broken(&may(), ROUSSILLON, 4, |v| v.slot.weekday = Fri);
    assert_one(&found, &["does not work on Fri"]);
}

#[test]
fn two_stops_in_one_slot() {
    let found = broken(&may(), ROUSSILLON, 4, |v| {
        v.slot = Slot {
            week: 1,
            weekday: Mon,
            half: HalfDay::Am,
        }
    });
    assert_one(&found, &["two stops in week 1 Mon AM"]);
}

#[test]
fn a_missing_visit() {
    let visits: Vec<Visit> = valid().into_iter().filter(|v| v.commune != GARGAS).collect();
    assert_one(
        &check(&may(), &Plan::new(visits)),
        &["Gargas: 0 visits planned, 1 required"],
    );
}

#[test]
fn visits_that_follow_no_pattern() {
    // Weeks 2 and 3: not the published 1+3 or 2+4.
    let found = broken(&may(), APT, 4, |v| v.slot.week = 3);
    assert_one(&found, &["Apt", "[2, 3]", "valid pattern"]);
}

#[test]
fn a_weekday_the_commune_refuses() {
    let found = broken(&may(), GARGAS, 1, |v| {
        v.slot = Slot {
            week: 3,
            weekday: Thu,
            half: HalfDay::Am,
        }
    });
    assert_one(&found, &["Gargas", "Thu", "allowed weekdays"]);
}

#[test]
fn a_half_day_the_commune_refuses() {
    let found = broken(&may(), SAINT_SATURNIN, 3, |v| v.slot.half = HalfDay::Pm);
    assert_one(&found, &["Saint-Saturnin", "requires AM"]);
}

#[test]
fn a_date_the_commune_is_unavailable() {
    // Wednesday of week 2 is 12 May.
    let found = broken(&may(), SAINT_SATURNIN, 3, |v| v.slot.week = 2);
    assert_one(&found, &["2027-05-12", "unavailable"]);
}

#[test]
fn a_public_holiday() {
    // Thursday of week 1 is Ascension, 6 May.
    let found = broken(&may(), ROUSSILLON, 4, |v| v.slot.week = 1);
    assert_one(&found, &["2027-05-06", "public holiday"]);
}

#[test]
fn a_day_over_the_driving_limit() {
    // Sault in the morning, Pertuis in the afternoon: 91 km as the crow
    // flies, over 2 h at the straight-line model's 39 km/h and 1.48 detour;
    // each round trip alone is within 2 h, and the lunch gap is 5 h.
    let two_hours = instance(Some("2027-05"), 120, "17:00");
    let found = broken(&two_hours, PERTUIS, 2, |v| {
        v.slot = Slot {
            week: 1,
            weekday: Wed,
            half: HalfDay::Pm,
        }
    });
    assert_one(&found, &["week 1 Wed", "min of driving", "120 min allowed"]);
}

#[test]
fn a_lunch_gap_too_short_for_the_drive() {
    // Apt to Roussillon is 9 km as the crow flies: about 20 min, more than
    // the 15 min between 12:00 and 12:15.
    let short_lunch = instance(Some("2027-05"), 600, "12:15");
    let found = broken(&short_lunch, ROUSSILLON, 4, |v| {
        v.slot = Slot {
            week: 2,
            weekday: Tue,
            half: HalfDay::Pm,
        }
    });
    assert_one(&found, &["week 2 Tue", "lunch gap"]);
}

#[test]
fn a_saturday_afternoon() {
    // Buses work Saturday mornings at most; this one not even those.
    let found = broken(&may(), ROUSSILLON, 4, |v| {
        v.slot = Slot {
            week: 4,
            weekday: Weekday::Sat,
            half: HalfDay::Pm,
        }
    });
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().any(|f| f.contains("Saturday afternoon in week 4")),
        "{found:?}"
    );
    assert!(found.iter().any(|f| f.contains("does not work on Sat")), "{found:?}");
}
