//! Desktop reminders while the app runs: when a follow-up falls due, a
//! system notification (tauri-plugin-notification) and a `reminder` event
//! the window shows in its notice line. The engine decides what is newly
//! due ([`Reminders::poll`]); this module only decides when to ask: at
//! start, after every committed change, and every minute for the midnight
//! turn of the date.

use std::sync::{Arc, Mutex};
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
    let reminders = Arc::new(Mutex::new(Reminders::new()));
    let check = {
        let app = app.clone();
        let store = Arc::clone(&store);
        move || {
            let due = {
                let mut r = reminders.lock().unwrap_or_else(|p| p.into_inner());
                store.read(|db| r.poll(db, today_local()))
            };
            // A failed look is retried on the next change or minute; there is
            // no one to tell about it from here.
            if let Ok(due) = due {
                announce(&app, &due);
            }
        }
    };
    let on_change = check.clone();
    store.subscribe(move |_| on_change());
    std::thread::Builder::new()
        .name("reminders".into())
        .spawn(move || {
            // Give the window time to listen; a missed event still leaves
            // the system notification.
            std::thread::sleep(FIRST_LOOK);
            loop {
                check();
                std::thread::sleep(EVERY);
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

/// Notification servers may read a little markup in the body (<b>, <a>);
/// a follow-up's title is the user's text, shown as text.
fn plain(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn user_text_reaches_the_notification_server_as_text() {
        assert_eq!(
            plain("<a href=\"x\">Call</a> & <b>sign</b>"),
            "&lt;a href=\"x\"&gt;Call&lt;/a&gt; &amp; &lt;b&gt;sign&lt;/b&gt;"
        );
    }
}
