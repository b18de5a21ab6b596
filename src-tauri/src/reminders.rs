//! Desktop reminders while the app runs: when a follow-up falls due, a
//! system notification (tauri-plugin-notification) and a `reminder` event
//! the window shows in its notice line. The engine decides what is newly
//! due ([`Reminders::poll`]); this module only decides when to ask: at
//! start, after every committed change, and every minute for the midnight
//! turn of the date.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use mission_crm_engine::reminder::{Reminder, Reminders};
use mission_crm_engine::time::today_local;
use mission_crm_engine::Store;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

pub const REMINDER_EVENT: &str = "reminder";

/// More than this many at once (the first look after a week away) make one
/// summary notification instead of a stack of them.
const SUMMARY_OVER: usize = 3;

const EVERY: Duration = Duration::from_secs(60);
const FIRST_LOOK: Duration = Duration::from_secs(3);

pub fn start<R: Runtime>(app: &AppHandle<R>, store: Arc<Store>) {
    // A committed write only wakes the reminder thread: the look and the
    // notification (a D-Bus call) never hold up the write that caused them.
    let (wake, woken) = mpsc::channel::<()>();
    store.subscribe(move |_| {
        let _ = wake.send(());
    });
    let app = app.clone();
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            let mut reminders = Reminders::new();
            // Give the window time to listen (a missed event still leaves
            // the system notification), unless a write comes first.
            if let Err(RecvTimeoutError::Disconnected) = woken.recv_timeout(FIRST_LOOK) {
                return;
            }
            loop {
                // A failed look is retried on the next change or minute;
                // there is no one to tell about it from here.
                if let Ok(due) = store.read(|db| reminders.poll(db, today_local())) {
                    announce(&app, &due);
                }
                match woken.recv_timeout(EVERY) {
                    Ok(()) | Err(RecvTimeoutError::Timeout) => {
                        // Several writes in a row make one look.
                        while woken.try_recv().is_ok() {}
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })
        .map(drop)
        .unwrap_or_else(|e| eprintln!("mission-crm: reminders are off: {e}"));
}

fn announce<R: Runtime>(app: &AppHandle<R>, due: &[Reminder]) {
    if due.is_empty() {
        return;
    }
    let _ = app.emit(REMINDER_EVENT, due);
    let lines: Vec<(String, String)> = if due.len() > SUMMARY_OVER {
        vec![(
            format!("{} follow-ups are due", due.len()),
            due.iter()
                .take(SUMMARY_OVER)
                .map(|r| plain(&r.title))
                .collect::<Vec<_>>()
                .join("\n"),
        )]
    } else {
        due.iter()
            .map(|r| {
                let title = if r.overdue {
                    format!("Overdue since {}", r.due_on)
                } else {
                    "Follow-up due today".to_owned()
                };
                (title, plain(&r.title))
            })
            .collect()
    };
    for (title, body) in lines {
        // No notification server (a bare X session) is not an error.
        let _ = app.notification().builder().title(title).body(body).show();
    }
}

/// Freedesktop notification servers may read a little markup in the body
/// (<b>, <a>); a follow-up's title is the user's text, shown as text. Other
/// systems show the body as it is.
fn plain(text: &str) -> String {
    if cfg!(all(unix, not(target_os = "macos"))) {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn user_text_reaches_the_notification_server_as_text() {
        assert_eq!(
            plain("<a href=\"x\">Call</a> & <b>sign</b>"),
            "&lt;a href=\"x\"&gt;Call&lt;/a&gt; &amp; &lt;b&gt;sign&lt;/b&gt;"
        );
    }
}
