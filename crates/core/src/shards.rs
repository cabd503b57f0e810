//! How many threads share a large table out: one per core, up to four.

/// Tests set the number of shards (0: as for a real run). Results never depend on it:
/// the tests that set it compare several counts with one thread.
#[cfg(test)]
pub(crate) static SHARDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many threads share out `items` records: one per core, up to four; one when there
/// are fewer than `worth_from` (too few to gain from more).
pub(crate) fn shard_count(items: usize, worth_from: usize) -> usize {
    #[cfg(test)]
    {
        let forced = SHARDS.load(std::sync::atomic::Ordering::Relaxed);
        if forced > 0 {
            return forced;
        }
    }
    if items < worth_from {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}
