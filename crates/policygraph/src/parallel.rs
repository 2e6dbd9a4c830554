//! Work split over two threads: the size from which it pays, and the one way it is done.

/// From how many elements a programme's work is split over two threads (below, starting
/// a thread costs more than it saves).
pub(crate) const FROM: usize = 50_000;

/// Runs `other` on a second thread and `here` on this one, and returns both results.
/// A panic on the other thread is a bug: `other` then runs again here, so that it
/// surfaces to the caller like any other.
pub(crate) fn join<A: Send, B>(other: impl Fn() -> A + Sync, here: impl FnOnce() -> B) -> (A, B) {
    std::thread::scope(|scope| {
        let handle = scope.spawn(&other);
        let b = here();
        (handle.join().unwrap_or_else(|_| other()), b)
    })
}

/// [`join`] for work over `elements` elements: on two threads from [`FROM`] elements,
/// one after the other on this thread below.
pub(crate) fn join_from<A: Send, B>(
    elements: usize,
    other: impl Fn() -> A + Sync,
    here: impl FnOnce() -> B,
) -> (A, B) {
    if elements < FROM {
        (other(), here())
    } else {
        join(other, here)
    }
}
