//! Running the hook's work under a time budget, with panics caught.
//!
//! A hook must always end in a verdict the pusher can read. A check that
//! runs past the server's budget (GitHub Enterprise kills pre-receive hooks
//! after 5 seconds, with a message of its own), or a bug that panics, must
//! still end in evalgate's own message and exit status. [`run`] does the
//! work on a thread of its own and waits for it no longer than the
//! deadline; a panic on that thread is caught and told as what and where,
//! instead of Rust's default message on the pusher's terminal.
//!
//! When the deadline passes, the work is not stopped: the caller reports
//! and returns from `main`, which ends the process and the thread with it.
//! That is safe for the hook, which writes nothing while it checks.

use std::sync::mpsc;
use std::sync::{Mutex, Once};
use std::thread;
use std::time::Instant;

/// How the work ended.
#[derive(Debug)]
pub enum Outcome<T> {
    /// It returned in time.
    Done(T),
    /// It panicked: the panic's message and where it happened.
    Panicked(String),
    /// The deadline passed first.
    TimedOut,
}

/// The name of the thread [`run`] starts, and of any thread it starts in
/// turn: the panic hook knows evalgate's threads by it.
pub const WORKER: &str = "evalgate-check";

/// The last panic on a worker thread, as the hook recorded it.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `work` on a thread of its own and waits for it until `deadline`
/// (for ever when `None`).
pub fn run<T, F>(deadline: Option<Instant>, work: F) -> Outcome<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    install_panic_hook();
    let (sender, receiver) = mpsc::sync_channel(1);
    let spawned = thread::Builder::new().name(WORKER.to_owned()).spawn(move || {
        // The receiver may be gone (deadline passed): nobody is waiting.
        let _ = sender.send(work());
    });
    let handle = match spawned {
        Ok(handle) => handle,
        Err(error) => return Outcome::Panicked(format!("could not start a thread: {error}")),
    };
    let received = match deadline {
        None => receiver.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        Some(deadline) => receiver.recv_timeout(deadline.saturating_duration_since(Instant::now())),
    };
    match received {
        Ok(value) => Outcome::Done(value),
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome::TimedOut,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The sender was dropped without a value: the thread panicked.
            let _ = handle.join();
            let what = LAST_PANIC.lock().map(|mut last| last.take()).unwrap_or_default();
            Outcome::Panicked(what.unwrap_or_else(|| "an unknown panic".to_owned()))
        }
    }
}

/// Records panics of worker threads instead of printing them; panics on
/// any other thread go to the hook that was there before.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if thread::current().name() != Some(WORKER) {
                return previous(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            let what = match info.location() {
                Some(place) => format!("{message} (at {}:{})", place.file(), place.line()),
                None => message,
            };
            // The first panic is the one to tell: a thread that joins a
            // panicked one panics in turn, with less to say.
            if let Ok(mut last) = LAST_PANIC.lock()
                && last.is_none()
            {
                *last = Some(what);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn work_that_returns_in_time_is_done() {
        let outcome = run(Some(Instant::now() + Duration::from_secs(10)), || 6 * 7);
        assert!(matches!(outcome, Outcome::Done(42)), "{outcome:?}");
        assert!(matches!(run(None, || "no deadline"), Outcome::Done("no deadline")));
    }

    #[test]
    fn work_past_the_deadline_times_out() {
        let started = Instant::now();
        let outcome = run(Some(started + Duration::from_millis(20)), || {
            thread::sleep(Duration::from_secs(5));
        });
        assert!(matches!(outcome, Outcome::TimedOut), "{outcome:?}");
        assert!(started.elapsed() < Duration::from_secs(4), "it waited for the work");
    }

    /// The last panic is kept for the whole process: tests that panic take
    /// turns.
    static PANICS: Mutex<()> = Mutex::new(());

    #[test]
    fn a_panic_is_caught_with_its_message_and_place() {
        let _turn = PANICS.lock();
        let outcome: Outcome<()> = run(None, || panic!("the rules broke on {}", "x.yaml"));
        let Outcome::Panicked(what) = outcome else { panic!("not caught: {outcome:?}") };
        assert!(what.starts_with("the rules broke on x.yaml (at src/bounded.rs:"), "{what}");
    }

    #[test]
    fn a_panic_in_a_thread_of_the_work_is_told_by_its_own_message() {
        let _turn = PANICS.lock();
        let outcome: Outcome<()> = run(None, || {
            thread::scope(|scope| {
                let inner = thread::Builder::new().name(WORKER.to_owned());
                let inner = inner.spawn_scoped(scope, || panic!("inner")).expect("a thread");
                let Err(panic) = inner.join();
                std::panic::resume_unwind(panic);
            });
        });
        let Outcome::Panicked(what) = outcome else { panic!("not caught: {outcome:?}") };
        assert!(what.starts_with("inner (at src/bounded.rs:"), "{what}");
    }
}
