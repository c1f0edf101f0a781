//! Meetings of a run's chains. At set shares of each cooling
//! ([`MEETINGS`]) every chain shows a solution: an annealing chain its
//! current one, a genetic chain its best. An annealing chain whose
//! solution is behind the leader's takes a copy of it and goes on with its
//! own random draws; a genetic chain takes none. Independent chains are
//! independent draws of where a cooling ends; chains that meet spend the
//! end of the cooling searching around the best of them, since a chain
//! ahead late in the cooling mostly ends ahead (docs/pvrp-journal.md,
//! "Chains that meet").
//!
//! A meeting waits for every chain, so the outcome does not depend on
//! which thread runs faster: a run by iterations stays reproducible bit
//! for bit. Every chain attends every meeting, including those its budget
//! ran out before (see [`Seat::due`]), so none waits for ever. A bus's
//! chains do not meet (`solve`).

use super::State;
use super::chain::FIRST_COOLING;
use std::sync::{Barrier, Mutex};

/// When the chains meet, as shares of a cooling's length.
pub(super) const MEETINGS: [f64; 3] = [0.5, 0.7, 0.85];

/// What one chain shows at a meeting.
struct Shown {
    feasible: bool,
    cost: f64,
    state: State,
}

/// The chains of one run, and what each showed at the meeting under way.
pub(super) struct Meeting {
    members: usize,
    barrier: Barrier,
    /// One slot per member: at most one showing per chain per meeting.
    shown: Mutex<Vec<Option<Shown>>>,
}

impl Meeting {
    /// A meeting of `members` chains (none with fewer than two).
    pub fn new(members: usize) -> Meeting {
        Meeting {
            members,
            barrier: Barrier::new(members.max(1)),
            shown: Mutex::new((0..members).map(|_| None).collect()),
        }
    }

    /// Member `member` shows `current` (its cost at its own prices, and
    /// whether it keeps every limit), waits for the others, and gets the
    /// leader's solution if that one is better and it `takes` one: a
    /// feasible one before an infeasible one, then the lower cost, then
    /// the lower member on a tie. Feasible costs are plain costs, so every
    /// chain ranks them alike.
    pub fn attend(&self, member: usize, current: &State, cost: f64, feasible: bool, takes: bool) -> Option<State> {
        if self.members < 2 {
            return None;
        }
        self.shown.lock().expect("no chain panics while holding it")[member] = Some(Shown {
            feasible,
            cost,
            state: current.clone(),
        });
        self.barrier.wait();
        let leader = {
            let shown = self.shown.lock().expect("no chain panics while holding it");
            let rank = |m: usize| {
                let s = shown[m].as_ref().expect("every member shows before the barrier");
                (!s.feasible, s.cost)
            };
            let best = (0..shown.len())
                .reduce(|a, b| if rank(b) < rank(a) { b } else { a })
                .expect("two members or more");
            let ahead = takes && best != member && rank(best) < rank(member);
            ahead.then(|| shown[best].as_ref().expect("shown above").state.clone())
        };
        // Nobody shows at the next meeting before everyone has read this one.
        self.barrier.wait();
        leader
    }
}

/// One chain's place at a meeting: its member number, and the meetings
/// it has attended of those its run holds.
pub(super) struct Seat<'m> {
    meeting: &'m Meeting,
    member: usize,
    /// Where the meetings fall, as shares of the budget, in order.
    points: Vec<f64>,
    attended: usize,
}

impl<'m> Seat<'m> {
    /// Member `member`'s seat at `meeting`, held at `points` of the budget.
    pub fn new(meeting: &'m Meeting, member: usize, points: Vec<f64>) -> Seat<'m> {
        Seat {
            meeting,
            member,
            points,
            attended: 0,
        }
    }

    /// Whether a meeting is due at `fraction` of the budget. A chain asks
    /// until none is, so it attends those it passed in one step (or at
    /// the end of its budget) as well: the others wait for it.
    pub fn due(&self, fraction: f64) -> bool {
        self.points.get(self.attended).is_some_and(|&at| fraction >= at)
    }

    /// Attends the next meeting (see [`Meeting::attend`]).
    pub fn attend(&mut self, shown: &State, cost: f64, feasible: bool, takes: bool) -> Option<State> {
        self.attended += 1;
        self.meeting.attend(self.member, shown, cost, feasible, takes)
    }
}

/// Where the chains meet, as shares of the budget: at [`MEETINGS`] of
/// each cooling. A genetic chain meets at the same points, so that it
/// meets the annealing chains beside it.
pub(super) fn meeting_points(twice: bool) -> Vec<f64> {
    let coolings: &[(f64, f64)] = if twice {
        &[(0.0, FIRST_COOLING), (FIRST_COOLING, 1.0)]
    } else {
        &[(0.0, 1.0)]
    };
    coolings
        .iter()
        .flat_map(|&(start, end)| MEETINGS.iter().map(move |m| start + (end - start) * m))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Search;
    use crate::{Pattern, Penalties};

    /// Each member of `meeting` shows one of `shown` (cost, feasible) on
    /// its own thread; what each gets back, as the cost it was shown with.
    fn meet(meeting: &Meeting, shown: &[(f64, bool)]) -> Vec<Option<f64>> {
        let either = [Pattern::days(0b01), Pattern::days(0b10)];
        let p = crate::search::on_a_line::problem(&[1.0, 2.0, 3.0], 2, &either, 4.0, None);
        let search = Search::new(&p, 1, None, Penalties::default(), crate::Tactics::default());
        // Member m shows a solution that records m in its first pattern.
        let states: Vec<State> = (0..shown.len())
            .map(|m| {
                let mut s = search.blank();
                s.patterns[0] = Some(m);
                s
            })
            .collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..shown.len())
                .map(|m| {
                    let state = &states[m];
                    scope.spawn(move || meeting.attend(m, state, shown[m].0, shown[m].1, m != 2))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .expect("no member panics")
                        .map(|s| shown[s.patterns[0].expect("recorded")].0)
                })
                .collect()
        })
    }

    /// Those behind get the leader's solution, the leader keeps its own, a
    /// member that does not take gets none;
    /// a feasible solution leads an infeasible one whatever their costs;
    /// on a tie the lower member leads; a meeting of one is no meeting.
    #[test]
    fn the_chains_behind_take_the_leaders_solution() {
        // Member 2 (a genetic chain) shows but never takes.
        let three = Meeting::new(3);
        assert_eq!(
            meet(&three, &[(10.0, true), (5.0, true), (7.0, true)]),
            [Some(5.0), None, None]
        );
        // The same meeting serves again, with the same members.
        assert_eq!(
            meet(&three, &[(3.0, false), (9.0, true), (8.0, true)]),
            [Some(8.0), Some(8.0), None]
        );
        assert_eq!(
            meet(&three, &[(6.0, true), (9.0, true), (12.0, false)]),
            [None, Some(6.0), None]
        );
        let two = Meeting::new(2);
        assert_eq!(meet(&two, &[(4.0, true), (4.0, true)]), [None, None]);
        assert_eq!(meet(&Meeting::new(1), &[(1.0, true)]), [None]);
    }
}
