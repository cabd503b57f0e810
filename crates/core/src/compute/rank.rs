//! Standard competition ranking ("1224") on displayed values.

use rust_decimal::Decimal;

use crate::catalog::Direction;

/// Ranks `values` (already rounded to what is displayed) by `direction`: rank = 1 + the
/// number of values strictly better, so equal values share a rank and the next rank skips
/// (`1, 2, 2, 4`). `None` values and [`Direction::NotRanked`] get no rank. The result is in
/// input order.
///
/// # Examples
/// ```
/// use rust_decimal::Decimal;
/// use gonggu_core::catalog::Direction;
/// use gonggu_core::compute::competition_ranks;
/// let v = |n| Some(Decimal::from(n));
/// let ranks = competition_ranks(&[v(5), v(9), None, v(9), v(1)], Direction::HigherBetter);
/// assert_eq!(ranks, vec![Some(3), Some(1), None, Some(1), Some(4)]);
/// ```
pub fn competition_ranks(values: &[Option<Decimal>], direction: Direction) -> Vec<Option<u32>> {
    let mut ranks = vec![None; values.len()];
    if direction == Direction::NotRanked {
        return ranks;
    }
    let mut present: Vec<(usize, Decimal)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    // Best first; a stable sort keeps ties in input order (irrelevant to the ranks).
    present.sort_by(|a, b| match direction {
        Direction::LowerBetter => a.1.cmp(&b.1),
        _ => b.1.cmp(&a.1),
    });
    let mut current: Option<(Decimal, u32)> = None;
    for (pos, (i, v)) in present.into_iter().enumerate() {
        let rank = match current {
            Some((prev, r)) if prev == v => r,
            _ => u32::try_from(pos).unwrap_or(u32::MAX - 1).saturating_add(1),
        };
        current = Some((v, rank));
        if let Some(slot) = ranks.get_mut(i) {
            *slot = Some(rank);
        }
    }
    ranks
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn ties_share_rank_and_skip() {
        let v = [d("0.9"), d("0.95"), d("0.95"), d("0.8")];
        assert_eq!(
            competition_ranks(&v, Direction::HigherBetter),
            vec![Some(3), Some(1), Some(1), Some(4)]
        );
        assert_eq!(
            competition_ranks(&v, Direction::LowerBetter),
            vec![Some(2), Some(3), Some(3), Some(1)]
        );
        assert_eq!(competition_ranks(&v, Direction::NotRanked), vec![None; 4]);
    }

    #[test]
    fn equal_values_with_different_scale_tie() {
        // 1.0000 and 1 are the same displayed value.
        let v = [d("1.0000"), d("1"), d("0.9881")];
        assert_eq!(
            competition_ranks(&v, Direction::HigherBetter),
            vec![Some(1), Some(1), Some(3)]
        );
    }

    #[test]
    fn missing_values_are_not_ranked_and_not_counted() {
        let v = [None, d("3"), None, d("2")];
        assert_eq!(
            competition_ranks(&v, Direction::HigherBetter),
            vec![None, Some(1), None, Some(2)]
        );
        assert!(competition_ranks(&[], Direction::HigherBetter).is_empty());
    }

    fn values() -> impl Strategy<Value = Vec<Option<Decimal>>> {
        // Few distinct values so ties are common.
        proptest::collection::vec(proptest::option::weighted(0.85, 0i64..12), 0..40).prop_map(|v| {
            v.into_iter()
                .map(|x| x.map(|n| Decimal::new(n, 1)))
                .collect()
        })
    }

    proptest! {
        #[test]
        fn rank_is_one_plus_strictly_better(v in values(), lower in any::<bool>()) {
            let dir = if lower { Direction::LowerBetter } else { Direction::HigherBetter };
            let ranks = competition_ranks(&v, dir);
            prop_assert_eq!(ranks.len(), v.len());
            for (i, r) in ranks.iter().enumerate() {
                match v[i] {
                    None => prop_assert_eq!(*r, None),
                    Some(x) => {
                        let better = v.iter().flatten().filter(|y| if lower { **y < x } else { **y > x }).count();
                        prop_assert_eq!(*r, Some(better as u32 + 1));
                        // Ties share the rank.
                        for (j, y) in v.iter().enumerate() {
                            if *y == Some(x) {
                                prop_assert_eq!(ranks[j], *r);
                            }
                        }
                    }
                }
            }
        }

        #[test]
        fn permuting_input_permutes_ranks(v in values(), seed in any::<u64>()) {
            // A deterministic shuffle from the seed.
            let mut order: Vec<usize> = (0..v.len()).collect();
            let mut s = seed | 1;
            for i in (1..order.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                order.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let permuted: Vec<_> = order.iter().map(|&i| v[i]).collect();
            let ranks = competition_ranks(&v, Direction::HigherBetter);
            let pranks = competition_ranks(&permuted, Direction::HigherBetter);
            for (k, &i) in order.iter().enumerate() {
                prop_assert_eq!(pranks[k], ranks[i]);
            }
        }
    }
}
