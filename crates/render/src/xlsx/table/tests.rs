//! Tests of `table`.

use super::pages;

#[test]
fn pages_never_leave_the_total_alone() {
    assert_eq!(pages(11, 18), vec![0..11]);
    assert_eq!(pages(19, 18), vec![0..17, 17..19]);
    assert_eq!(pages(40, 18), vec![0..18, 18..36, 36..40]);
    assert_eq!(pages(0, 18), Vec::<std::ops::Range<usize>>::new());
}
