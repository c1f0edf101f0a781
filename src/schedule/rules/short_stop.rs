//! Short stops (`minutes` shorter than the sessions): the stop opens at a
//! quarter hour of its session (the model offers each as a pattern) and
//! lasts its minutes, so several share a session; any other stop lasts
//! its session.

use super::Rule;
use crate::calendar::format_clock;
use crate::input::territory::Commune;
use crate::schedule::model::Instance;
use crate::schedule::plan::Visit;
use crate::schedule::reason::Reason;

pub(super) struct ShortStop;

impl Rule for ShortStop {
    /// Its first visit's hours: the checker holds the others to the same
    /// pattern.
    fn check_commune(&self, instance: &Instance, c: usize, commune: &Commune, visits: &[Visit]) -> Vec<Reason> {
        let Some(visit) = visits.first() else { return Vec::new() };
        let short = instance.short_minutes(c);
        let session = instance.sessions_on(visit.bus, visit.slot.weekday).get(visit.slot.half);
        let name = &commune.name;
        match (short, visit.time) {
            (None, None) => Vec::new(),
            (Some(m), Some((opens, closes))) => {
                if closes != opens + m || opens < session.start || closes > session.end {
                    let (opens, closes) = (format_clock(opens), format_clock(closes));
                    let (start, end) = (format_clock(session.start), format_clock(session.end));
                    vec![Reason::new(
                        format!(
                            "{name}: open {opens}–{closes}, but its stop lasts {m} min within the {start}–{end} session"
                        ),
                        format!(
                            "{name} : ouverte {opens}–{closes}, mais son arrêt dure {m} min dans la séance {start}–{end}"
                        ),
                    )]
                } else {
                    Vec::new()
                }
            }
            (Some(m), None) => vec![Reason::new(
                format!("{name}: planned for the whole session, but its stop lasts {m} min"),
                format!("{name} : prévue pour toute la séance, mais son arrêt dure {m} min"),
            )],
            (None, Some(_)) => vec![Reason::new(
                format!("{name}: given opening hours, but its stop lasts the whole session"),
                format!("{name} : des horaires donnés, mais son arrêt dure toute la séance"),
            )],
        }
    }
}
