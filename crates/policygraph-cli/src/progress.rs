//! Progress for people waiting, on standard error: a bar for a batch of files, and a
//! spinner naming the stage (loading, checking, …) that appears once a command has run
//! for a second (a large document). Only on a terminal, never when `CI` is set (CI logs
//! would keep every frame), never in a pipe; cleared before any output is written.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a command runs before its spinner shows.
const SPINNER_AFTER: Duration = Duration::from_secs(1);

/// The spinner of the running command, while it runs.
static SPINNER: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Whether progress may be drawn: standard error is a terminal and `CI` is not set.
pub fn wanted() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// A bar for `len` files, when progress is wanted.
pub fn bar(len: usize) -> Option<ProgressBar> {
    if !wanted() {
        return None;
    }
    finish();
    let bar = ProgressBar::new(len as u64);
    if let Ok(s) = ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}") {
        bar.set_style(s);
    }
    Some(bar)
}

/// Starts the spinner, hidden for its first second.
pub fn start() {
    if !wanted() {
        return;
    }
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    if let Ok(s) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        spinner.set_style(s);
    }
    spinner.enable_steady_tick(Duration::from_millis(120));
    if let Ok(mut slot) = SPINNER.lock() {
        *slot = Some(spinner);
    }
    std::thread::spawn(|| {
        std::thread::sleep(SPINNER_AFTER);
        // under the lock, so that a command finishing now is never drawn over
        if let Ok(slot) = SPINNER.lock()
            && let Some(spinner) = slot.as_ref()
        {
            spinner.set_draw_target(ProgressDrawTarget::stderr());
        }
    });
}

/// Names the stage the command is at.
pub fn stage(what: impl Into<String>) {
    if let Ok(slot) = SPINNER.lock()
        && let Some(spinner) = slot.as_ref()
    {
        spinner.set_message(what.into());
    }
}

/// Clears the spinner, before output is written or when the command ends.
pub fn finish() {
    let spinner = SPINNER.lock().ok().and_then(|mut slot| slot.take());
    if let Some(spinner) = spinner {
        spinner.finish_and_clear();
    }
}
