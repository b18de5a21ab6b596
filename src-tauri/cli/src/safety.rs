//! Backup, restore and check: thin over the engine's `backup`. Restore and
//! check work on the file itself, so they also help when the database
//! cannot be opened.

use std::path::Path;

use mission_crm_engine::backup::{self, BackupFile};
use mission_crm_engine::{ErrorBody, ErrorCode, Store};

use crate::output::Output;

type Res = Result<(), ErrorBody>;

pub fn backup(store: &Store, db: &Path, to: Option<&Path>, out: &Output) -> Res {
    let made = match to {
        Some(file) => backup::backup_to(store, file)?,
        None => backup::automatic(store, &backup::folder(db), std::time::Duration::ZERO)?
            .ok_or_else(|| ErrorBody {
                code: ErrorCode::Internal,
                message: "no backup was made".into(),
                field: None,
            })?,
    };
    out.value(&made, |w| {
        writeln!(
            w,
            "Backed up to {} ({} bytes, verified)",
            made.path, made.size_bytes
        )
    })
}

pub fn list(db: &Path, out: &Output) -> Res {
    let all: Vec<BackupFile> = backup::list(&backup::folder(db))?;
    out.value(&all, |w| {
        for b in &all {
            writeln!(w, "{}  {}  {} bytes", b.at, b.path, b.size_bytes)?;
        }
        Ok(())
    })
}

pub fn restore(db: &Path, from: &Path, out: &Output) -> Res {
    let value = match Store::open(db) {
        Ok(store) => {
            let done = backup::restore(&store, from, &backup::folder(db))?;
            serde_json::json!({ "restored_from": from.display().to_string(), "previous": done.previous.path })
        }
        // Damaged (or not a database): put the backup in its place, keeping it aside.
        Err(e) if e.code() == ErrorCode::Corrupt => {
            let aside = backup::replace_damaged(db, from)?;
            serde_json::json!({ "restored_from": from.display().to_string(), "previous": aside.display().to_string() })
        }
        Err(e) => return Err(e.into()),
    };
    out.value(&value, |w| {
        writeln!(
            w,
            "Restored {} from {}; the previous database is kept at {}",
            db.display(),
            from.display(),
            value["previous"].as_str().unwrap_or_default()
        )
    })
}

pub fn check(db: &Path, out: &Output) -> Res {
    // Opening runs quick_check and the migrations; verify runs the full
    // integrity_check on top.
    drop(Store::open(db)?);
    backup::verify(db)?;
    out.value(
        &serde_json::json!({ "ok": true, "db": db.display().to_string() }),
        |w| writeln!(w, "{}: ok", db.display()),
    )
}
