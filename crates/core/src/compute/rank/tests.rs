//! Tests of `rank`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

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
