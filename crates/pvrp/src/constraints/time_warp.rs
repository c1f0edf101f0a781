//! Time windows, priced as time warp (Vidal et al.): a visit that would
//! start after its window closes is moved back to the closing time and the
//! route is charged the difference, so a late visit costs like excess
//! load instead of being forbidden.
//!
//! A route's warp, and its warp with one more visit at any position (what
//! insertion asks at every position), come from [`Insertions`] in constant
//! time: the route's prefixes and suffixes summarised as [`Segment`]s
//! (Vidal, Crainic, Gendreau & Prins 2013). Replaying the route per
//! position took a quarter of a bus plan's time, and gathering its stops
//! for that another seventh.

use crate::{Problem, Window};

/// A stop of a route: the customer and the window of its pattern.
pub(crate) type Stop = (usize, Option<Window>);

/// A run of consecutive visits as the visits before and after it see it.
/// The route leaves its depot whenever it likes and its return has no
/// window, so a route's warp is its visits' segment's `warp`.
#[derive(Debug, Clone, Copy)]
struct Segment {
    /// Node of the first visit and of the last.
    first: usize,
    last: usize,
    /// From the first service's start to the last one's end: travel,
    /// service and waiting, less the time warped back.
    duration: f64,
    /// Time warp inside the run.
    warp: f64,
    /// The earliest start of the first service that wastes no waiting,
    /// and the latest that adds no warp.
    earliest: f64,
    latest: f64,
}

impl Segment {
    fn visit(p: &Problem, (c, window): Stop) -> Segment {
        let customer = &p.customers[c];
        let (earliest, latest) = window.map_or((f64::NEG_INFINITY, f64::INFINITY), |w| (w.open, w.close));
        Segment {
            first: customer.node,
            last: customer.node,
            duration: customer.service,
            warp: 0.0,
            earliest,
            latest,
        }
    }

    /// `self` then `next`, driving from one's last visit to the other's
    /// first.
    fn then(&self, p: &Problem, next: &Segment) -> Segment {
        let leg = p.travel(self.last, next.first);
        let reach = self.duration - self.warp + leg;
        let wait = (next.earliest - reach - self.latest).max(0.0);
        let warp = (self.earliest + reach - next.latest).max(0.0);
        Segment {
            first: self.first,
            last: next.last,
            duration: self.duration + next.duration + leg + wait,
            warp: self.warp + next.warp + warp,
            earliest: (next.earliest - reach).max(self.earliest) - wait,
            latest: (next.latest - reach).min(self.latest) + warp,
        }
    }
}

/// One route's prefixes and suffixes, ready to give its warp and to price
/// an insertion at any position. Each route of the search keeps one,
/// refilled when the route changes; refilling reuses its buffers.
#[derive(Debug, Default)]
pub(crate) struct Insertions {
    /// `prefix[i]`: the visits before `i`, `None` for none.
    prefix: Vec<Option<Segment>>,
    /// `suffix[i]`: the visits from `i` on, `None` for none.
    suffix: Vec<Option<Segment>>,
}

impl Insertions {
    /// Summarises the route through `stops`.
    pub fn prepare(&mut self, p: &Problem, stops: impl DoubleEndedIterator<Item = Stop> + Clone) {
        fill(
            &mut self.prefix,
            stops.clone().map(|s| Segment::visit(p, s)),
            |run, v| run.then(p, v),
        );
        fill(&mut self.suffix, stops.rev().map(|s| Segment::visit(p, s)), |run, v| {
            v.then(p, run)
        });
        self.suffix.reverse();
    }

    /// The route's time warp as it is.
    pub fn warp(&self) -> f64 {
        self.prefix.last().copied().flatten().map_or(0.0, |route| route.warp)
    }

    /// The route's time warp with `extra` inserted before visit `at` (at
    /// the end when `at` is the route's length).
    pub fn warp_with(&self, p: &Problem, at: usize, extra: Stop) -> f64 {
        let mut joined = Segment::visit(p, extra);
        if let Some(before) = &self.prefix[at] {
            joined = before.then(p, &joined);
        }
        if let Some(after) = &self.suffix[at] {
            joined = joined.then(p, after);
        }
        joined.warp
    }
}

// By hand, so that `clone_from` reuses the buffers (see the search's
// `Route`).
impl Clone for Insertions {
    fn clone(&self) -> Insertions {
        Insertions {
            prefix: self.prefix.clone(),
            suffix: self.suffix.clone(),
        }
    }

    fn clone_from(&mut self, source: &Insertions) {
        self.prefix.clone_from(&source.prefix);
        self.suffix.clone_from(&source.suffix);
    }
}

/// `runs[i]`: the first `i` of `visits` joined by `join` (`None` for
/// none), for `i` from 0 to their number.
fn fill(
    runs: &mut Vec<Option<Segment>>,
    visits: impl Iterator<Item = Segment>,
    join: impl Fn(&Segment, &Segment) -> Segment,
) {
    runs.clear();
    runs.push(None);
    for visit in visits {
        let run = runs.last().copied().flatten().map_or(visit, |run| join(&run, &visit));
        runs.push(Some(run));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Customer, Pattern, Vehicle};
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Eight customers at random integer points, with random service
    /// times, and a depot; Manhattan travel (not symmetric in time to
    /// the windows, so the order matters).
    fn problem(rng: &mut ChaCha8Rng) -> Problem {
        let at: Vec<(f64, f64)> = (0..9)
            .map(|_| (f64::from(rng.random_range(0..50)), f64::from(rng.random_range(0..50))))
            .collect();
        let dist = at
            .iter()
            .flat_map(|a| at.iter().map(move |b| (a.0 - b.0).abs() + (a.1 - b.1).abs()))
            .collect();
        let customer = |node| Customer {
            node,
            service: f64::from(rng.random_range(0..20)),
            demand: 1.0,
            frequency: 1,
            patterns: vec![Pattern::days(1)],
            ..Customer::default()
        };
        Problem {
            name: "warp".into(),
            days: 1,
            vehicles: vec![Vehicle {
                depot: 0,
                days: 1,
                ..Vehicle::default()
            }],
            capacity: vec![100.0],
            max_duration: vec![None],
            customers: (1..9).map(customer).collect(),
            dist,
            nodes: 9,
            ..Problem::default()
        }
    }

    /// A window one time in four none, else random and sometimes tight.
    fn window(rng: &mut ChaCha8Rng) -> Option<Window> {
        (rng.random_range(0..4) > 0).then(|| {
            let open = f64::from(rng.random_range(0..200));
            Window {
                open,
                close: open + f64::from(rng.random_range(0..40)),
            }
        })
    }

    /// The warp the segments give for a route as it is, and with a visit
    /// inserted, is the warp of replaying it (`Problem::timing`'s forward
    /// pass: leave the depot at will, wait for a window's opening,
    /// warp back to its closing), at every position of random routes.
    #[test]
    fn an_insertion_costs_the_warp_of_replaying_the_route() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut insertions = Insertions::default();
        let mut warped = 0;
        for _ in 0..300 {
            let p = problem(&mut rng);
            let len = rng.random_range(0..7);
            let route: Vec<Stop> = (0..len).map(|c| (c, window(&mut rng))).collect();
            let extra = (7, window(&mut rng));
            insertions.prepare(&p, route.iter().copied());
            for at in 0..=len {
                let mut replayed = route.clone();
                replayed.insert(at, extra);
                let expected = p.timing(0, replayed).warp;
                let got = insertions.warp_with(&p, at, extra);
                assert!(
                    (got - expected).abs() < 1e-9,
                    "at {at} of {route:?} + {extra:?}: {got} ≠ {expected}"
                );
                warped += usize::from(expected > 0.0);
            }
            let as_is = p.timing(0, route.iter().copied()).warp;
            assert!(
                (insertions.warp() - as_is).abs() < 1e-9,
                "{route:?}: {} ≠ {as_is}",
                insertions.warp()
            );
        }
        assert!(warped > 100, "too few insertions warp ({warped}) to test anything");
    }
}
