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
mod tests;
