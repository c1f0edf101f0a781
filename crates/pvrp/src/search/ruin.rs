//! Ruin: picks the customers to take out, by one of three rules drawn at
//! random: strings of consecutive visits from the routes near a random
//! seed (SISR), the seed's nearest neighbours, or random customers.

use super::{Search, State};
use crate::days_in;
use rand::RngExt;

/// Most customers one ruin removes by default (a quarter of them, at
/// least 10). The earlier cap of 30, on Cordeau's 150-customer
/// instances, made each iteration change nearly every day, so the day's
/// local search ran on all of them; with 15 the annealing runs more
/// iterations in the same time and ends lower (docs/pvrp-journal.md,
/// "Ruin size on Cordeau's instances").
const MOST_RUINED: usize = 15;

impl Search<'_> {
    /// Picks customers to remove (without removing them yet).
    pub(super) fn ruin(&mut self, s: &State) -> Vec<usize> {
        let n = self.p.customers.len();
        let most = self.max_ruin.unwrap_or((n / 4).clamp(10, MOST_RUINED)).max(1);
        let target = self.rng.random_range(1..=most).min(n);
        let seed = self.rng.random_range(0..n);
        let mut removed = vec![seed];
        let take = |c: usize, removed: &mut Vec<usize>| {
            if removed.len() < target && !removed.contains(&c) {
                removed.push(c);
            }
        };
        match self.rng.random_range(0..10) {
            0..6 => self.strings(s, seed, target, &mut removed, take),
            6..9 => {
                for k in 0..self.neighbours[seed].len() {
                    take(self.neighbours[seed][k], &mut removed);
                }
            }
            _ => {
                while removed.len() < target {
                    let c = self.rng.random_range(0..n);
                    take(c, &mut removed);
                }
            }
        }
        removed
    }

    /// Strings from the routes of the seed's neighbours, one string per
    /// route as in SISR: a second string from a route already cut would
    /// shrink the ruin's reach where routes are full to the last unit.
    fn strings(
        &mut self,
        s: &State,
        seed: usize,
        target: usize,
        removed: &mut Vec<usize>,
        take: impl Fn(usize, &mut Vec<usize>),
    ) {
        let mut ruined: Vec<(usize, usize)> = Vec::new();
        for k in 0..self.neighbours[seed].len() {
            let c = self.neighbours[seed][k];
            if removed.len() >= target {
                break;
            }
            let days: Vec<usize> = days_in(self.days_of(s, c)).collect();
            if days.is_empty() {
                continue;
            }
            let day = days[self.rng.random_range(0..days.len())];
            let Some(vehicle) = s.routes[day].iter().position(|r| r.customers.contains(&c)) else {
                continue;
            };
            if ruined.contains(&(day, vehicle)) {
                continue;
            }
            ruined.push((day, vehicle));
            let route = &s.routes[day][vehicle];
            let at = route.customers.iter().position(|&x| x == c).expect("found above");
            let len = self.rng.random_range(1..=route.customers.len().min(10));
            let start = at
                .saturating_sub(self.rng.random_range(0..len))
                .min(route.customers.len() - len);
            for &x in &route.customers[start..start + len] {
                take(x, removed);
            }
        }
    }
}
