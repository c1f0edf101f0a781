//! A published rule (`horaires` column): the commune keeps the weeks of
//! the cycle and the opening time its rule gives. Its weekday, half-day
//! and length are its own fields once resolved (`schedule::build`), which
//! the weekday, half-day and short-stop rules hold.

use super::Rule;
use crate::calendar::format_clock;
use crate::input::territory::Commune;
use crate::schedule::model::{Instance, SlotPattern};
use crate::schedule::plan::Visit;
use crate::schedule::reason::Reason;

pub(super) struct Published;

impl Rule for Published {
    fn allows(&self, instance: &Instance, c: usize, pattern: &SlotPattern) -> bool {
        instance.territory.communes[c]
            .pinned
            .is_none_or(|p| p.weeks == pattern.weeks && p.start.is_none_or(|s| pattern.start == Some(s)))
    }

    fn check_commune(&self, _instance: &Instance, _c: usize, commune: &Commune, visits: &[Visit]) -> Vec<Reason> {
        let (Some(pinned), Some(published)) = (commune.pinned, &commune.published) else {
            return Vec::new();
        };
        let weeks = visits.iter().fold(0, |set, v| set | (1 << (v.slot.week - 1)));
        let mut broken = Vec::new();
        if weeks != pinned.weeks {
            let listed: Vec<String> = visits.iter().map(|v| v.slot.week.to_string()).collect();
            broken.push(Reason::new(
                format!(
                    "{}: visited in weeks {} of the cycle, not those of its published rule `{}`",
                    commune.name,
                    listed.join("+"),
                    published.text
                ),
                format!(
                    "{} : passages en semaines {} du cycle, pas celles de sa règle publiée `{}`",
                    commune.name,
                    listed.join("+"),
                    published.text
                ),
            ));
        }
        let start = pinned.start.unwrap_or(0);
        let late = visits.iter().find(|v| v.time.is_none_or(|t| t.0 != start));
        if let (Some(v), Some(_)) = (late, pinned.start) {
            broken.push(Reason::new(
                format!(
                    "{}: opens at {} in week {}, its published rule `{}` at {}",
                    commune.name,
                    v.time.map_or("the session's start".into(), |t| format_clock(t.0)),
                    v.slot.week,
                    published.text,
                    format_clock(start)
                ),
                format!(
                    "{} : ouvre à {} en semaine {}, sa règle publiée `{}` à {}",
                    commune.name,
                    v.time.map_or("l'heure de la séance".into(), |t| format_clock(t.0)),
                    v.slot.week,
                    published.text,
                    format_clock(start)
                ),
            ));
        }
        broken
    }
}
