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
use mission_crm_engine::report::Lang;
use mission_crm_engine::time::today_local;
use mission_crm_engine::Store;
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::Language;

pub const REMINDER_EVENT: &str = "reminder";

/// More than this many at once (the first look after a week away) make one
/// summary notification instead of a stack of them.
const SUMMARY_OVER: usize = 3;

const EVERY: Duration = Duration::from_secs(60);
const FIRST_LOOK: Duration = Duration::from_secs(3);

/// A notification's titles in the interface's language (the window's own
/// notice line has its catalog; this is what shows outside it).
struct Titles {
    /// `{n}`: how many are due.
    many: &'static str,
    /// `{date}`: the due date.
    overdue: &'static str,
    today: &'static str,
}

fn titles(lang: Lang) -> Titles {
    match lang {
        Lang::En => Titles {
            many: "{n} follow-ups are due",
            overdue: "Overdue since {date}",
            today: "Follow-up due today",
        },
        Lang::Ru => Titles {
            many: "Задач к выполнению: {n}",
            overdue: "Просрочено с {date}",
            today: "Срок сегодня",
        },
        Lang::Kk => Titles {
            many: "Мерзімі келген тапсырмалар: {n}",
            overdue: "Мерзімі өтті: {date}",
            today: "Мерзімі бүгін",
        },
    }
}

/// How long the first look waits for the window to say its language.
const LANGUAGE_AT_MOST: Duration = Duration::from_secs(10);

pub fn start<R: Runtime>(app: &AppHandle<R>, store: Arc<Store>, language: Arc<Language>) {
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
            language.wait_told(LANGUAGE_AT_MOST);
            loop {
                // A failed look is retried on the next change or minute;
                // there is no one to tell about it from here.
                if let Ok(due) = store.read(|db| reminders.poll(db, today_local())) {
                    announce(&app, &due, language.get());
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

fn announce<R: Runtime>(app: &AppHandle<R>, due: &[Reminder], lang: Lang) {
    if due.is_empty() {
        return;
    }
    let _ = app.emit(REMINDER_EVENT, due);
    for (title, body) in notifications(due, lang) {
        // No notification server (a bare X session) is not an error.
        let _ = app.notification().builder().title(title).body(body).show();
    }
}

/// The notifications for what fell due: one each, or a summary of many.
fn notifications(due: &[Reminder], lang: Lang) -> Vec<(String, String)> {
    let said = titles(lang);
    if due.len() > SUMMARY_OVER {
        vec![(
            said.many.replace("{n}", &due.len().to_string()),
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
                    said.overdue.replace(
                        "{date}",
                        &mission_crm_engine::report::words::date(&r.due_on.to_string(), lang),
                    )
                } else {
                    said.today.to_owned()
                };
                (title, plain(&r.title))
            })
            .collect()
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
    use super::{notifications, plain, Lang, Reminder};

    #[test]
    fn notifications_speak_the_interfaces_language() {
        let reminder = |title: &str, overdue: bool| Reminder {
            follow_up_id: mission_crm_engine::Id::new(),
            title: title.into(),
            due_on: "2023-10-10".parse().expect("date"),
            overdue,
        };
        let two = [reminder("Call", true), reminder("Write", false)];
        let titles = |lang| -> Vec<String> {
            notifications(&two, lang)
                .into_iter()
                .map(|(t, _)| t)
                .collect()
        };
        assert_eq!(
            titles(Lang::En),
            ["Overdue since Oct 10, 2023", "Follow-up due today"]
        );
        assert_eq!(
            titles(Lang::Ru),
            ["Просрочено с 10 окт. 2023 г.", "Срок сегодня"]
        );
        assert_eq!(
            titles(Lang::Kk),
            ["Мерзімі өтті: 2023 ж. 10 қаз.", "Мерзімі бүгін"]
        );
        let five: Vec<Reminder> = (0..5).map(|i| reminder(&format!("F{i}"), true)).collect();
        let summary = notifications(&five, Lang::Ru);
        assert_eq!(summary.len(), 1, "one summary for many");
        assert_eq!(summary[0].0, "Задач к выполнению: 5");
        assert_eq!(summary[0].1, "F0\nF1\nF2");
    }

    #[test]
    #[cfg(all(unix, not(target_os = "macos")))]
    fn user_text_reaches_the_notification_server_as_text() {
        assert_eq!(
            plain("<a href=\"x\">Call</a> & <b>sign</b>"),
            "&lt;a href=\"x\"&gt;Call&lt;/a&gt; &amp; &lt;b&gt;sign&lt;/b&gt;"
        );
    }
}
