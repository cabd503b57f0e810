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

/// Runs `f` on each share of the work, each on its own thread (in the caller's when there
/// is one share), and returns the results in the order of the shares. A thread's panic
/// is the caller's.
pub(crate) fn each_on_a_thread<W: Send, T: Send>(
    shares: Vec<W>,
    f: impl Fn(W) -> T + Sync,
) -> Vec<T> {
    if shares.len() <= 1 {
        return shares.into_iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = shares.into_iter().map(|w| s.spawn(move || f(w))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}
