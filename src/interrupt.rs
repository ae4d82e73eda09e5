//! What an interrupt does: Ctrl-C, the SIGTERM of a cancelled CI job, the
//! SIGHUP of a closed terminal. The command line installs the handler
//! ([`install`]); the library registers what an interrupt must undo and
//! where work can stop cleanly.
//!
//! - During an apply (a [`Graceful`] is held), the apply is told
//!   ([`signalled`]): it cancels the statement running, its transaction
//!   rolls back, and it reports what committed before. A second interrupt
//!   quits at once.
//! - Otherwise the command's work ([`run`]) is dropped, what was registered
//!   with [`on_interrupt`] is undone (a scratch database dropped: left
//!   behind, it would be a full copy of the schema on the target's
//!   server), and the process exits with 130.
//!
//! Without [`install`] (the library in tests, in other programs) signals
//! keep their default actions.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::sync::Notify;

type Cleanup = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()> + Send>> + Send>;

#[derive(Default)]
struct State {
    fired: AtomicBool,
    notify: Notify,
    graceful: AtomicUsize,
    next_id: AtomicU64,
    cleanups: Mutex<Vec<(u64, Cleanup)>>,
    /// The cleanups of a quit, taken out of `cleanups` by the handler
    /// before the work that registered them is dropped (which would
    /// unregister them).
    quitting: Mutex<Option<Vec<(u64, Cleanup)>>>,
    quit: Notify,
}

impl State {
    fn cleanups(&self) -> MutexGuard<'_, Vec<(u64, Cleanup)>> {
        self.cleanups.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn state() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(State::default)
}

/// How long one cleanup may take: a server that stopped answering must not
/// keep an interrupted process alive.
const CLEANUP_LIMIT: Duration = Duration::from_secs(10);
/// The same, when a second interrupt asks to quit at once.
const QUICK_CLEANUP_LIMIT: Duration = Duration::from_secs(3);

/// Undone on interrupt until dropped.
#[must_use = "the cleanup is forgotten when this is dropped"]
pub struct Registered(u64);

impl Drop for Registered {
    fn drop(&mut self) {
        state().cleanups().retain(|(id, _)| *id != self.0);
    }
}

/// Runs `cleanup` if the process is interrupted while the returned value
/// lives.
pub fn on_interrupt<F, Fut>(cleanup: F) -> Registered
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let s = state();
    let id = s.next_id.fetch_add(1, Ordering::Relaxed);
    s.cleanups().push((id, Box::new(move || Box::pin(cleanup()))));
    Registered(id)
}

/// While held, an interrupt is the holder's to handle ([`signalled`]).
pub struct Graceful(());

impl Drop for Graceful {
    fn drop(&mut self) {
        state().graceful.fetch_sub(1, Ordering::SeqCst);
    }
}

pub fn graceful() -> Graceful {
    state().graceful.fetch_add(1, Ordering::SeqCst);
    Graceful(())
}

/// Whether an interrupt has come.
pub fn interrupted() -> bool {
    state().fired.load(Ordering::SeqCst)
}

/// Resolves when an interrupt comes (at once if one has).
pub async fn signalled() {
    let s = state();
    let notified = s.notify.notified();
    tokio::pin!(notified);
    notified.as_mut().enable();
    if interrupted() {
        return;
    }
    notified.await;
}

/// Runs a command's `work`: its output, or, when an interrupt quits,
/// `None` once the work is dropped and the cleanups have run (the caller
/// then exits with 130).
pub async fn run<F: Future>(work: F) -> Option<F::Output> {
    let s = state();
    let quit = async {
        let notified = s.quit.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        if s.quitting.lock().unwrap_or_else(|e| e.into_inner()).is_none() {
            notified.await;
        }
    };
    tokio::select! {
        out = work => return Some(out),
        _ = quit => {}
    }
    let cleanups = s.quitting.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
    for (_, cleanup) in cleanups {
        let _ = tokio::time::timeout(CLEANUP_LIMIT, cleanup()).await;
    }
    None
}

/// Handles SIGINT, SIGTERM and SIGHUP as the module says. Call once, inside
/// the runtime, and run the command in [`run`].
#[cfg(unix)]
pub fn install() {
    use tokio::signal::unix::{signal, SignalKind};
    let kinds = [SignalKind::interrupt(), SignalKind::terminate(), SignalKind::hangup()];
    let mut streams: Vec<_> = kinds.into_iter().filter_map(|k| signal(k).ok()).collect();
    if streams.is_empty() {
        return; // no handler could be installed: signals keep their defaults
    }
    tokio::spawn(async move {
        loop {
            futures_util::future::select_all(streams.iter_mut().map(|s| Box::pin(s.recv()))).await;
            let s = state();
            let first = !s.fired.swap(true, Ordering::SeqCst);
            if first && s.graceful.load(Ordering::SeqCst) > 0 {
                crate::say!(
                    "\ninterrupted: stopping (the running statement is cancelled and its transaction \
                     rolled back); interrupt again to quit at once"
                );
                s.notify.notify_waiters();
                continue;
            }
            let cleanups = std::mem::take(&mut *s.cleanups());
            if !first {
                // At once, but not leaving a scratch database behind.
                for (_, cleanup) in cleanups {
                    let _ = tokio::time::timeout(QUICK_CLEANUP_LIMIT, cleanup()).await;
                }
                std::process::exit(130);
            }
            crate::say!("\ninterrupted");
            *s.quitting.lock().unwrap_or_else(|e| e.into_inner()) = Some(cleanups);
            s.quit.notify_waiters();
        }
    });
}

#[cfg(not(unix))]
pub fn install() {}
