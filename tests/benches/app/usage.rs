//! What the app benchmark does in the app once it has started: the
//! contact list opened and scrolled, the workspace opened, then the
//! mission's long screens and quick capture, each timed from the page's own
//! marks (ui/src/lib/marks.ts).

use mission_crm_e2e::App;

use super::{mark, median};

/// The contact list's fast scroll: frames, and pixels a frame (25 rows).
pub const SCROLL_FRAMES: u32 = 300;
pub const SCROLL_STEP_PX: u32 = 1200;

/// How many times the contact list and the workspace are opened: one
/// navigation alone swung by 100 ms between runs of the same build here
/// (the workspace drew in 117 to 217 ms), so the median is judged and the
/// slowest shown beside it.
pub const OPENS: usize = 5;

/// What the app does once started, on one database.
#[derive(Default)]
pub struct Use {
    /// Medians and the slowest of [`OPENS`] opens.
    pub contacts_ms: f64,
    pub contacts_worst_ms: f64,
    pub scroll_max_ms: f64,
    pub scroll_p95_ms: f64,
    pub scrolled_rows: u64,
    pub workspace_ms: f64,
    pub workspace_worst_ms: f64,
    /// The mission's other screens ([`MISSION_SCREENS`]): median, slowest.
    pub screens: Vec<(f64, f64)>,
    pub pss_mb: f64,
}

/// The mission's long screens and Ctrl+N, each opened from the contact
/// list (its dialogs closed): what it is called, the script that opens
/// it, the mark it makes when drawn with its data (1,000 meetings, a
/// follow-up each, an agreement per three).
pub const MISSION_SCREENS: &[(&str, &str, &str)] = &[
    (
        "Agenda",
        "location.hash = '#/meetings'",
        "rows-painted:agenda",
    ),
    (
        "Follow-ups",
        "location.hash = '#/follow-ups'",
        "rows-painted:follow-up-list",
    ),
    (
        "Agreements board",
        "location.hash = '#/agreements'",
        "board-painted",
    ),
    (
        "Quick capture (Ctrl+N) with the meetings to choose from",
        "document.querySelector('[data-testid=open-capture]').click()",
        "capture-painted",
    ),
];

/// Runs `script` and returns the milliseconds to mark `name`.
async fn timed(app: &App, script: &str, name: &str) -> f64 {
    let started = app
        .client
        .execute(
            &format!("performance.clearMarks(); const t = performance.now(); {script}; return t"),
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let (at, _) = mark(app, name).await;
    at - started
}

/// Navigates to `hash` and returns the milliseconds to mark `name`.
async fn navigate(app: &App, hash: &str, name: &str) -> f64 {
    timed(
        app,
        &format!("location.hash = {}", serde_json::json!(hash)),
        name,
    )
    .await
}

/// The contact list opened and scrolled, the workspace opened.
pub async fn exercise(app: &App, out: &mut Use) {
    if let Ok(js) = std::env::var("APP_BENCH_DEBUG") {
        for part in js.split(";;") {
            let v = app.client.execute_async(part, vec![]).await;
            eprintln!("DEBUG {part}\n  => {v:?}");
        }
    }
    let mission = app
        .eval("return document.querySelector('[data-testid=mission-list] a').getAttribute('href')")
        .await;
    let mut contacts = vec![navigate(app, "#/contacts", "rows-painted:contact-list").await];
    // A fast scroll: SCROLL_STEP_PX a frame, the frame callbacks' spacing
    // recorded (the first frame, before scrolling, is not counted).
    let scrolled = app
        .client
        .execute_async(
            "const [frames, step, done] = arguments;
             const el = document.querySelector('[data-testid=contact-list]');
             const gaps = []; let last = 0; let n = 0;
             const tick = (t) => {
               if (n > 0) gaps.push(t - last);
               last = t;
               el.scrollTop += step;
               if (++n <= frames) requestAnimationFrame(tick);
               else {
                 gaps.sort((a, b) => a - b);
                 done([gaps[gaps.length - 1], gaps[Math.floor(gaps.length * 0.95)], Number(el.dataset.loaded)]);
               }
             };
             requestAnimationFrame(tick);",
            vec![SCROLL_FRAMES.into(), SCROLL_STEP_PX.into()],
        )
        .await
        .expect("the scroll ran");
    let field = |i: usize| scrolled.get(i).and_then(|v| v.as_f64()).unwrap_or(0.0);
    out.scroll_max_ms = field(0);
    out.scroll_p95_ms = field(1);
    out.scrolled_rows = field(2) as u64;
    let href = mission.as_str().expect("the start page links its mission");
    let mut workspace = vec![navigate(app, href, "workspace-painted").await];
    // Then back and forth: each open builds its page afresh.
    for _ in 1..OPENS {
        contacts.push(navigate(app, "#/contacts", "rows-painted:contact-list").await);
        workspace.push(navigate(app, href, "workspace-painted").await);
    }
    let worst = |v: &[f64]| v.iter().copied().fold(0.0, f64::max);
    (out.contacts_worst_ms, out.workspace_worst_ms) = (worst(&contacts), worst(&workspace));
    (out.contacts_ms, out.workspace_ms) = (median(contacts), median(workspace));
    for (_, script, drawn) in MISSION_SCREENS {
        let mut times = Vec::new();
        for _ in 0..OPENS {
            // Through the mission list: capture leaves the hash as it was,
            // and the same hash again would not navigate.
            timed(
                app,
                "document.querySelectorAll('dialog[open]').forEach((d) => d.close());
                 location.hash = '#/missions'",
                "list-painted",
            )
            .await;
            navigate(app, "#/contacts", "rows-painted:contact-list").await;
            times.push(timed(app, script, drawn).await);
        }
        out.screens.push((median(times.clone()), worst(&times)));
    }
}
