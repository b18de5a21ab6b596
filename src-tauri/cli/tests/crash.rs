//! Crash safety: a writer process (the real CLI) is killed with SIGKILL at a
//! random moment while it adds people, imports a list (2,000 rows) or makes a
//! backup; then the database must pass `integrity_check`, hold every write
//! whose process had already reported success, and hold each import whole
//! or not at all. `CRASH_ROUNDS` rounds (20 by default; `make crash-long`
//! runs 1,000). The figures are printed and written to
//! `target/crash-safety.txt`.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mission_crm_engine::{backup, Store};

/// Rows per imported list; `make crash-long` uses fewer, so a thousand
/// rounds do not grow the file past what a round can check quickly.
fn import_rows() -> usize {
    std::env::var("CRASH_IMPORT_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000)
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_mission-crm-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MISSION_CRM_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the CLI starts")
}

/// Kills `child` after `after` unless it has finished; true when it had
/// finished successfully first (the write was acknowledged).
fn kill_after(mut child: Child, after: Duration) -> bool {
    let deadline = Instant::now() + after;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.success();
        }
        if Instant::now() >= deadline {
            let _ = child.kill(); // SIGKILL
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Live contacts named `name` (by the name index).
fn named(conn: &rusqlite::Connection, name: &str) -> i64 {
    conn.query_row(
        "SELECT count(*) FROM contacts WHERE sort_name = ?1 AND deleted_at IS NULL",
        [name.to_lowercase()],
        |r| r.get(0),
    )
    .expect("count")
}

/// Live contacts whose e-mail is at `domain` (an imported row's one e-mail
/// is on the contact's row).
fn at_domain(conn: &rusqlite::Connection, domain: &str) -> usize {
    conn.query_row(
        "SELECT count(*) FROM contacts WHERE primary_email LIKE ?1 AND deleted_at IS NULL",
        [format!("%@{domain}")],
        |r| r.get::<_, i64>(0),
    )
    .expect("count") as usize
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn a_killed_writer_never_corrupts_loses_an_acknowledged_write_or_half_imports() {
    let rounds: usize = std::env::var("CRASH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let import_rows = import_rows();
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("crm.db");
    assert!(spawn(&db, &["demo"]).wait().expect("demo").success());
    let mut rng = Rng(0x005E_ED0F_C4A5);
    let (mut acked, mut imports_started) = (Vec::new(), Vec::new());
    let (mut kills, mut corruptions, mut lost, mut partial) = (0, 0, 0, 0);

    for round in 0..rounds {
        match rng.below(3) {
            0 => {
                // A few small writes, the last one killed at a random moment.
                for k in 0..3 {
                    let name = format!("Acked {round} {k}");
                    let child = spawn(&db, &["add", "contact", "--name", &name]);
                    let window = if k == 2 { rng.below(40) } else { 5_000 };
                    if kill_after(child, Duration::from_millis(window)) {
                        acked.push(name);
                    } else {
                        kills += 1;
                    }
                }
            }
            1 => {
                let file = dir.path().join(format!("round-{round}.csv"));
                let mut csv = std::fs::File::create(&file).expect("csv");
                writeln!(csv, "Name,Email").expect("write");
                for i in 0..import_rows {
                    writeln!(csv, "Person {round} {i},p{i}@round{round}.test").expect("write");
                }
                drop(csv);
                let child = spawn(&db, &["import", file.to_str().expect("path")]);
                let done = kill_after(child, Duration::from_millis(rng.below(600)));
                kills += u32::from(!done);
                imports_started.push((round, done));
            }
            _ => {
                let child = spawn(&db, &["backup"]);
                kills += u32::from(!kill_after(child, Duration::from_millis(rng.below(80))));
            }
        }

        // After every crash: the file opens (quick_check, migrations) and
        // passes integrity_check; this round's acknowledged writes are
        // there, and its import is whole or absent. (A committed import or
        // write cannot be undone by a later crash; the end checks all again.)
        if Store::open(&db).is_err() || backup::verify(&db).is_err() {
            corruptions += 1;
            continue;
        }
        let conn = rusqlite::Connection::open(&db).expect("read");
        lost += acked
            .iter()
            .filter(|n| n.starts_with(&format!("Acked {round} ")))
            .filter(|n| named(&conn, n) != 1)
            .count();
        if let Some(&(r, done)) = imports_started.last().filter(|(r, _)| *r == round) {
            let rows = at_domain(&conn, &format!("round{r}.test"));
            if !(rows == import_rows || (rows == 0 && !done)) {
                partial += 1;
            }
        }
    }
    let conn = rusqlite::Connection::open(&db).expect("read");
    // Each round checked its own writes; the end checks every one again.
    lost = lost.max(acked.iter().filter(|n| named(&conn, n) != 1).count());

    let report = format!(
        "crash safety: {rounds} rounds, {kills} writers killed mid-run, {} acknowledged writes, \
         {} imports ({} completed); corruptions: {corruptions}, lost acknowledged writes: {lost}, \
         partial imports: {partial}\n",
        acked.len(),
        imports_started.len(),
        imports_started.iter().filter(|(_, d)| *d).count(),
    );
    eprint!("{report}");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/crash-safety.txt");
    let _ = std::fs::write(target, &report);
    assert!(
        kills > 0,
        "no writer was killed: the harness tested nothing"
    );
    assert_eq!((corruptions, lost, partial), (0, 0, 0), "{report}");
}
