//! An upper bound on what any fleet of n buses covers in an area, by
//! Lagrangian relaxation: where the MILP is too large for its LP to be
//! solved hundreds of times, this bound costs a few knapsacks.
//!
//! Price each demand d at λ_d ∈ [0, population_d] for the promise to cover
//! it. Then for any fleet, covered ≤ Σ_d (population_d − λ_d)⁺ + Σ over its
//! buses of the prices of the demands their stops reach. Letting a stop be
//! served by several buses only raises the second term, which then splits
//! into one knapsack per base (the most price a bus there can collect
//! within its capacity units); the n best bases bound the fleet. Any λ
//! gives a valid bound; subgradient steps look for a low one.

use super::cover::Area;

/// Subgradient steps: the bound is valid after any number; more make it
/// tighter.
const STEPS: usize = 1000;

/// The lowest Lagrangian bound found for fleets of `buses` buses, given a
/// fleet known to cover `found` (which steers the step sizes).
pub fn lagrangian(area: &Area, buses: usize, found: u64) -> u64 {
    let population: Vec<f64> = area.demands.iter().map(|d| d.population as f64).collect();
    let mut reached_by = vec![0usize; area.demands.len()];
    for stop in &area.stops {
        for &d in &stop.covers {
            reached_by[d] += 1;
        }
    }
    let mut price: Vec<f64> = population
        .iter()
        .zip(&reached_by)
        .map(|(p, &k)| p / k.max(1) as f64)
        .collect();
    let mut best = f64::INFINITY;
    let mut theta = 2.0;
    let mut since_better = 0;
    for _ in 0..STEPS {
        let (value, gradient) = evaluate(area, buses, &population, &price);
        if value < best - 1e-9 {
            best = value;
            since_better = 0;
        } else {
            since_better += 1;
            if since_better == 25 {
                theta /= 2.0;
                since_better = 0;
            }
        }
        let norm: f64 = gradient.iter().map(|g| g * g).sum();
        if norm == 0.0 || best <= found as f64 + 0.5 {
            break;
        }
        let step = theta * (value - found as f64).max(1.0) / norm;
        for ((p, g), cap) in price.iter_mut().zip(&gradient).zip(&population) {
            *p = (*p - step * g).clamp(0.0, *cap);
        }
    }
    // Prices are floats: a hair of slack keeps the bound valid.
    (best + 1e-6 * best.abs() + 1e-6).floor() as u64
}

/// The bound at `price`, and its subgradient: −1 for each demand counted
/// outright, +1 per chosen knapsack that collects its price.
fn evaluate(area: &Area, buses: usize, population: &[f64], price: &[f64]) -> (f64, Vec<f64>) {
    let mut gradient: Vec<f64> = population
        .iter()
        .zip(price)
        .map(|(p, l)| if p > l { -1.0 } else { 0.0 })
        .collect();
    let outright: f64 = population.iter().zip(price).map(|(p, l)| (p - l).max(0.0)).sum();
    let value_of: Vec<f64> = area
        .stops
        .iter()
        .map(|s| s.covers.iter().map(|&d| price[d]).sum())
        .collect();
    let mut per_base: Vec<Vec<(usize, u8)>> = vec![Vec::new(); area.bases.len()];
    for (s, stop) in area.stops.iter().enumerate() {
        for &(b, units) in &stop.bases {
            per_base[b].push((s, units));
        }
    }
    let mut sacks: Vec<(f64, Vec<usize>)> = per_base
        .iter()
        .map(|options| knapsack(options, &value_of, area.capacity))
        .collect();
    sacks.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut collected = 0.0;
    for (value, stops) in sacks.iter().take(buses) {
        collected += value;
        for &s in stops {
            for &d in &area.stops[s].covers {
                gradient[d] += 1.0;
            }
        }
    }
    (outright + collected, gradient)
}

/// The most value a bus collects with `capacity` units from stops taking
/// one or two units each: the best k two-unit stops and the best of the
/// one-unit ones in the room left, for the best k.
fn knapsack(options: &[(usize, u8)], value: &[f64], capacity: usize) -> (f64, Vec<usize>) {
    let ranked = |units: u8| -> Vec<usize> {
        let mut list: Vec<usize> = options.iter().filter(|o| o.1 == units).map(|o| o.0).collect();
        list.sort_by(|&a, &b| value[b].total_cmp(&value[a]).then(a.cmp(&b)));
        list
    };
    let (ones, twos) = (ranked(1), ranked(2));
    let prefix = |list: &[usize]| -> Vec<f64> {
        std::iter::once(0.0)
            .chain(list.iter().scan(0.0, |acc, &s| {
                *acc += value[s];
                Some(*acc)
            }))
            .collect()
    };
    let (p1, p2) = (prefix(&ones), prefix(&twos));
    let best_k = (0..=twos.len().min(capacity / 2))
        .map(|k| (k, p2[k] + p1[(capacity - 2 * k).min(ones.len())]))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .unwrap_or((0, 0.0));
    let (k, total) = best_k;
    let taken = twos[..k]
        .iter()
        .chain(&ones[..(capacity - 2 * k).min(ones.len())])
        .copied()
        .collect();
    (total, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_knapsack_mixes_one_and_two_unit_stops_optimally() {
        // Capacity 3: one two-unit stop worth 10 plus the best one-unit
        // stop (6) beats three one-unit stops (6 + 5 + 1).
        let value = [6.0, 5.0, 1.0, 10.0];
        let options = [(0, 1), (1, 1), (2, 1), (3, 2)];
        let (total, mut taken) = knapsack(&options, &value, 3);
        taken.sort_unstable();
        assert_eq!(total, 16.0);
        assert_eq!(taken, vec![0, 3]);
    }
}
