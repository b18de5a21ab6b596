//! The end-to-end harness: starts `tauri-driver` (which starts Debian's
//! WebKitWebDriver, which starts the app) on free ports, with the app's
//! database pointed at a test file, and hands out a WebDriver client.
//!
//! Needs a display (`xvfb-run -a`), `tauri-driver` on PATH and the app built
//! with `--features tauri/custom-protocol` (else it would load the Vite dev
//! server). `make test` arranges all three. The window itself is driven
//! through [`App`] (app.rs).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::ClientBuilder;
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::process::{Child, Command};
use tokio::sync::{Mutex, MutexGuard};

mod app;
pub use app::App;

/// One app at a time: two windows would fight over the display and focus.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

pub const TIMEOUT: Duration = Duration::from_secs(20);

/// The app binary under test: `MISSION_CRM_APP`, else the workspace's debug build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("MISSION_CRM_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/mission-crm")
        })
}

/// The CLI built beside the app (`target/e2e/mission-crm-cli`).
pub fn cli_binary() -> PathBuf {
    app_binary().with_file_name("mission-crm-cli")
}

/// Runs the CLI on `db` with `--json` and returns what it printed.
pub fn cli_json(db: &Path, args: &[&str]) -> serde_json::Value {
    let out = std::process::Command::new(cli_binary())
        .arg("--db")
        .arg(db)
        .arg("--json")
        .args(args)
        .output()
        .expect("the CLI runs");
    assert!(
        out.status.success(),
        "CLI failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("CLI prints JSON")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// A running tauri-driver whose app uses `db`. Dropping it stops the driver.
pub struct Driver {
    child: Child,
    port: u16,
    app: PathBuf,
    _serial: MutexGuard<'static, ()>,
}

impl Driver {
    pub async fn start(db: &Path) -> Driver {
        Self::start_with(db, &[]).await
    }

    /// As [`Driver::start`], with more environment for the app (the files
    /// its dialogs "choose": `MISSION_CRM_PICK_FILE`, `MISSION_CRM_SAVE_DIR`).
    pub async fn start_with(db: &Path, env: &[(&str, &Path)]) -> Driver {
        // WebKit's own renderer: with the older one, the app's default
        // (`webkit_defaults`), WebKitWebDriver's screenshot never returns
        // under Xvfb (WebKitGTK 2.50, Debian 12). The benchmark, which takes
        // no screenshots, measures the app's default.
        let mut env = env.to_vec();
        env.push(("WEBKIT_DISABLE_DMABUF_RENDERER", Path::new("0")));
        Self::start_program(&app_binary(), db, &env).await
    }

    /// As [`Driver::start_with`], for another program than the app under
    /// test (the benchmark's empty window).
    pub async fn start_program(app: &Path, db: &Path, env: &[(&str, &Path)]) -> Driver {
        let serial = ONE_AT_A_TIME.lock().await;
        let app = app.to_owned();
        assert!(
            app.exists(),
            "{} is missing: build it with `cargo build -p mission-crm --features tauri/custom-protocol`",
            app.display()
        );
        // tauri-driver answers on its port and hands each request on to
        // WebKitWebDriver on the native port, which it starts and never
        // waits for: a session asked for before that one listens fails. So
        // both must listen; when the native one does not (slow to start on
        // a busy machine, or its port taken meanwhile), start again on
        // fresh ports.
        for attempt in 1..=3 {
            let port = free_port();
            let native = std::iter::repeat_with(free_port)
                .find(|p| *p != port)
                .expect("free ports");
            let mut child = Command::new("tauri-driver")
                .args(["--port", &port.to_string()])
                .args(["--native-port", &native.to_string()])
                .env("MISSION_CRM_DB", db)
                .envs(env.iter().map(|(k, v)| (*k, *v)))
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("tauri-driver on PATH (cargo install tauri-driver --locked)");
            if listening(&mut child, port, native).await {
                return Driver {
                    child,
                    port,
                    app,
                    _serial: serial,
                };
            }
            eprintln!("tauri-driver attempt {attempt}: ports {port}/{native} not both listening");
            stop(&mut child);
        }
        panic!("tauri-driver and WebKitWebDriver did not listen in three attempts");
    }

    /// Starts the app in a new session (a fresh process on the same
    /// database), in English: a language another test chose is remembered
    /// by the web view's storage, which all tests share.
    pub async fn launch(&self) -> App {
        let app = self.launch_keeping_settings().await;
        let reset = app
            .eval(
                "const chosen = localStorage.getItem('mission-crm.locale');
                 localStorage.removeItem('mission-crm.locale');
                 if (chosen && chosen !== 'en') {
                   window.__beforeReload = true;
                   location.reload();
                   return true
                 }
                 return false",
            )
            .await;
        if reset == serde_json::Value::Bool(true) {
            // The new page, not the old one still unloading: its window has
            // no mark, and its nav is drawn. (A script may fail while the
            // page changes; it is asked again.)
            let deadline = tokio::time::Instant::now() + TIMEOUT;
            loop {
                let fresh = app
                    .client
                    .execute(
                        "return window.__beforeReload === undefined
                            && document.querySelector('[data-testid=nav]') !== null",
                        vec![],
                    )
                    .await;
                if matches!(fresh, Ok(serde_json::Value::Bool(true))) {
                    break;
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "the page did not reload in English"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        app
    }

    /// Starts the app without resetting what the web view remembers.
    pub async fn launch_keeping_settings(&self) -> App {
        let app = self.session().await;
        app.wait_for("[data-testid=nav]").await;
        app
    }

    /// A new session: the program started, its page not waited for.
    pub async fn session(&self) -> App {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "wry".into());
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app }),
        );
        // Both drivers listened at start (`listening`); a session asked
        // for while WebKitWebDriver is still busy can yet be dropped
        // (IncompleteMessage), so ask again a few times.
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if attempt < 5 => {
                    eprintln!("session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("a WebDriver session with the app: {e}"),
            }
        };
        App { client }
    }
}

/// Whether tauri-driver and the WebKitWebDriver behind it both listen,
/// waiting up to 15 s (false at once if tauri-driver ended).
async fn listening(child: &mut Child, port: u16, native: u16) -> bool {
    let listens = |port: u16| async move {
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
    };
    for _ in 0..150 {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return false;
        }
        if listens(port).await && listens(native).await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Stops tauri-driver and everything it started. tauri-driver answers
/// SIGTERM by killing WebKitWebDriver outright, which leaves the app it
/// launched running, orphaned, for the rest of the suite (its page check
/// and backups then ran on a deleted folder beside the next tests, on two
/// cores). So the app and the WebKit processes under it are sent SIGTERM
/// first, found by walking /proc from tauri-driver down.
fn stop(child: &mut Child) {
    if let Some(pid) = child.id() {
        let mut all = descendants(pid);
        all.reverse(); // the app before the drivers that started it
        all.push(pid);
        for p in &all {
            // One may have ended with its parent meanwhile: no need to say.
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &p.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        for _ in 0..50 {
            if matches!(child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The processes under `pid`, parents before their children.
fn descendants(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let child: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{child}/stat")).ok()?;
            // "pid (comm) state ppid ...": comm may hold spaces, so after ')'.
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some((child, ppid))
        })
        .collect();
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(c, _)| *c),
        );
        i += 1;
    }
    found.remove(0);
    found
}

impl Drop for Driver {
    /// Also when a test panics.
    fn drop(&mut self) {
        stop(&mut self.child);
    }
}
