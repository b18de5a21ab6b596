use super::*;

#[test]
fn a_committed_write_is_recorded_and_announced_after_commit() {
    let store = in_memory_db();
    let seen: Arc<Mutex<Vec<Change>>> = Arc::default();
    let sink = seen.clone();
    store.subscribe(move |changes| sink.lock().expect("lock").extend_from_slice(changes));

    let c = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Кайырболат Сахметов"))
        })
        .expect("created");

    let seen = seen.lock().expect("lock").clone();
    assert_eq!(
        seen,
        vec![Change {
            entity: Entity::Contact,
            id: c.id,
            op: ChangeOp::Insert,
            source: Source::App
        }]
    );
    assert_eq!(
        c.created_at, "2023-10-02T09:00:00.000Z",
        "time comes from the store's clock"
    );
}

#[test]
fn an_update_keeps_the_creation_time_and_history_holds_before_and_after() {
    let store = in_memory_db();
    let c = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Мерген Атаев"))
        })
        .expect("created");
    let renamed = ContactInput {
        full_name_latin: "Mergen Atayev".into(),
        ..contact_named("Мерген Атаев")
    };
    let later = Utc
        .with_ymd_and_hms(2023, 10, 3, 8, 0, 0)
        .single()
        .expect("instant");
    let store = store.with_clock(Arc::new(move || later));
    let u = store
        .write(Source::Cli, |tx| contact::update(tx, c.id, &renamed))
        .expect("updated");
    assert_eq!(u.created_at, c.created_at);
    assert_eq!(u.updated_at, "2023-10-03T08:00:00.000Z");

    let history = store
        .read(|db| mission_crm_engine::history::for_record(db, Entity::Contact, c.id))
        .expect("history");
    let ops: Vec<(ChangeOp, Source)> = history.iter().map(|h| (h.op, h.source)).collect();
    assert_eq!(
        ops,
        [
            (ChangeOp::Update, Source::Cli),
            (ChangeOp::Insert, Source::App)
        ],
        "newest first"
    );
    assert_eq!(history[0].changed, ["full_name_latin"]);
    assert_eq!(
        history[0]
            .before
            .as_ref()
            .map(|b| b["full_name_latin"].clone()),
        Some("".into())
    );
    assert_eq!(
        history[0]
            .after
            .as_ref()
            .map(|a| a["full_name_latin"].clone()),
        Some("Mergen Atayev".into())
    );
}

#[test]
fn a_failed_write_leaves_nothing_behind_and_announces_nothing() {
    let store = in_memory_db();
    let announced = Arc::new(Mutex::new(0));
    let sink = announced.clone();
    store.subscribe(move |_| *sink.lock().expect("lock") += 1);

    let err = store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("First, valid"))?;
            contact::create(tx, &contact_named("   "))
        })
        .expect_err("second contact has no name");

    assert_eq!(err.code(), ErrorCode::Required);
    assert_eq!(
        count(&store, "contacts"),
        0,
        "the first insert was rolled back too"
    );
    assert_eq!(*announced.lock().expect("lock"), 0);
}

#[test]
fn a_file_database_keeps_its_data_across_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crm.db");
    let id = {
        let store = Store::open(&path).expect("open");
        store
            .write(Source::Cli, |tx| {
                contact::create(tx, &contact_named("Aýna Berdiýewa"))
            })
            .expect("create")
            .id
    };
    let store = Store::open(&path).expect("reopen");
    let c = store.read(|db| contact::get(db, id)).expect("still there");
    assert_eq!(c.full_name, "Aýna Berdiýewa");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_a_code() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.txt");
    std::fs::write(
        &path,
        "this is not SQLite, just a text file that is long enough to have a header",
    )
    .expect("write");
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), ErrorCode::Corrupt, "{err}");
}

/// The app's page check after start gives way to the user: it does not
/// begin while they are busy, and stops at once when they become so.
#[test]
fn the_page_check_gives_way_while_the_user_is_busy() {
    use mission_crm_engine::db::{check_file_unless, PageCheck};

    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("big.db");
    rusqlite::Connection::open(&path)
        .expect("db")
        .execute_batch(
            "CREATE TABLE t (x BLOB);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000000)
             INSERT INTO t SELECT randomblob(32) FROM n;",
        )
        .expect("a file of some 180 MB");

    assert_eq!(
        check_file_unless(&path, &|| false).expect("read"),
        PageCheck::Sound
    );
    assert_eq!(
        check_file_unless(&path, &|| true).expect("not begun"),
        PageCheck::GaveWay
    );

    // Busy from just after the check began: it stops partway (a check
    // that reads to the end says Sound).
    let asked = std::sync::atomic::AtomicBool::new(false);
    let busy = || asked.swap(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        check_file_unless(&path, &busy).expect("stopped"),
        PageCheck::GaveWay
    );
}

/// A read apart (what an export runs in) sees one snapshot from its first
/// read to its end, and leaves the store's connection free: a write made
/// meanwhile, from another thread as the window's commands come, goes
/// through at once, and the read does not see it.
#[test]
fn a_read_apart_sees_one_snapshot_and_holds_no_write_up() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, _) = file_store(&dir);
    let store = Arc::new(store);
    store
        .write(Source::App, |tx| {
            contact::create(tx, &contact_named("Айгерим Нурланова"))
        })
        .expect("first");
    fn people(db: &mission_crm_engine::Db<'_>) -> mission_crm_engine::Result<usize> {
        Ok(contact::list(db, &ContactFilter::default())?.items.len())
    }
    let seen = store
        .read_apart(|db| {
            let before = people(db)?;
            let (done, written) = std::sync::mpsc::channel();
            let writer = Arc::clone(&store);
            std::thread::spawn(move || {
                let _ = done.send(writer.write(Source::App, |tx| {
                    contact::create(tx, &contact_named("Ерлан Жумабаев"))
                }));
            });
            written
                .recv_timeout(std::time::Duration::from_secs(10))
                .expect("the write is not held up by the read")
                .expect("written");
            Ok((before, people(db)?))
        })
        .expect("read apart");
    assert_eq!(seen, (1, 1), "one snapshot throughout");
    assert_eq!(store.read(people).expect("after"), 2);
}
