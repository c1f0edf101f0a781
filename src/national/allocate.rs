//! Sharing a number of buses among areas: each area has a curve (the
//! inhabitants its best fleet of n buses covers, and a bound on what any
//! fleet of n covers); a dynamic programme over the areas gives, for every
//! national fleet size, the best split and the bound on the whole.

/// What one area's fleets of 0, 1, 2, … buses cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// `found[n]`: inhabitants covered by the best fleet found of at most
    /// n buses; non-decreasing, `found[0] = 0`.
    pub found: Vec<u64>,
    /// `bound[n]`: no fleet of n buses covers more; non-decreasing.
    pub bound: Vec<u64>,
}

impl Curve {
    /// Makes both sequences non-decreasing (a fleet of n may leave a bus
    /// idle, so it covers at least what n − 1 cover).
    pub fn monotone(mut found: Vec<u64>, mut bound: Vec<u64>) -> Curve {
        for n in 1..found.len() {
            found[n] = found[n].max(found[n - 1]);
            bound[n] = bound[n].max(bound[n - 1]).max(found[n]);
        }
        Curve { found, bound }
    }

    fn at(values: &[u64], n: usize) -> u64 {
        values[n.min(values.len() - 1)]
    }

    /// The fewest buses that cover what `n` buses cover.
    fn fewest(&self, n: usize) -> usize {
        let value = Curve::at(&self.found, n);
        self.found.iter().position(|&v| v == value).unwrap_or(0)
    }
}

/// The national split for one fleet size.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Buses per area, in the order of the curves.
    pub buses: Vec<usize>,
    pub covered: u64,
    /// No split of this many buses covers more.
    pub bound: u64,
}

impl Split {
    pub fn total(&self) -> usize {
        self.buses.iter().sum()
    }
}

/// The best split of at most `n` buses for every n from 0 to `max`
/// (index = n). Each area gets the fewest buses that give its share, so
/// a bus that would cover no one is never placed.
pub fn splits(curves: &[Curve], max: usize) -> Vec<Split> {
    let best = table(curves, max, |c, n| Curve::at(&c.found, n));
    let bounds = table(curves, max, |c, n| Curve::at(&c.bound, n));
    (0..=max)
        .map(|n| {
            let mut buses = vec![0; curves.len()];
            let mut left = n;
            for a in (0..curves.len()).rev() {
                let k = best.choice[a + 1][left];
                buses[a] = curves[a].fewest(k);
                left -= k;
            }
            Split {
                covered: best.value[curves.len()][n],
                bound: bounds.value[curves.len()][n],
                buses,
            }
        })
        .collect()
}

/// `value[a][n]`: the most the first `a` areas cover with at most `n`
/// buses; `choice[a][n]`: how many of them area `a − 1` gets (the fewest
/// among equal values, so the split is reproducible).
struct Table {
    value: Vec<Vec<u64>>,
    choice: Vec<Vec<usize>>,
}

fn table(curves: &[Curve], max: usize, worth: impl Fn(&Curve, usize) -> u64) -> Table {
    let mut value = vec![vec![0u64; max + 1]];
    let mut choice = vec![vec![0usize; max + 1]];
    for curve in curves {
        let last = value.last().expect("one row per area, and the first");
        let useful = curve.found.len().max(curve.bound.len()).saturating_sub(1);
        let (row, picks): (Vec<u64>, Vec<usize>) = (0..=max)
            .map(|n| {
                (0..=n.min(useful))
                    .map(|k| (last[n - k] + worth(curve, k), k))
                    .fold((0, 0), |best, cand| if cand.0 > best.0 { cand } else { best })
            })
            .unzip();
        value.push(row);
        choice.push(picks);
    }
    Table { value, choice }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every split of `n` buses among the curves, by enumeration.
    fn brute(curves: &[Curve], n: usize, values: impl Fn(&Curve) -> &Vec<u64> + Copy) -> u64 {
        match curves.split_first() {
            None => 0,
            Some((c, rest)) => (0..=n)
                .map(|k| Curve::at(values(c), k) + brute(rest, n - k, values))
                .max()
                .unwrap_or(0),
        }
    }

    #[test]
    fn splits_match_enumeration_and_never_waste_a_bus() {
        // Non-concave curves: greedy marginal allocation would fail here.
        let curves = vec![
            Curve::monotone(vec![0, 10, 11, 40], vec![0, 12, 20, 45]),
            Curve::monotone(vec![0, 25, 26, 26], vec![0, 30, 31, 31]),
            Curve::monotone(vec![0, 5, 30], vec![0, 9, 33]),
        ];
        let splits = splits(&curves, 8);
        for (n, split) in splits.iter().enumerate() {
            assert_eq!(split.covered, brute(&curves, n, |c| &c.found), "{n} buses");
            assert_eq!(split.bound, brute(&curves, n, |c| &c.bound), "{n} buses");
            assert!(split.total() <= n);
            let recomputed: u64 = split
                .buses
                .iter()
                .zip(&curves)
                .map(|(&k, c)| Curve::at(&c.found, k))
                .sum();
            assert_eq!(recomputed, split.covered);
        }
        // 8 buses cover everything with 3 + 2 + 2 = 7: none is wasted.
        assert_eq!(splits[8].buses, vec![3, 2, 2]);
        assert!(splits.windows(2).all(|w| w[0].covered <= w[1].covered));
    }
}
