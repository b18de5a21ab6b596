//! The import and export commands: thin over the engine's `import` and
//! `export`.

use std::fs::File;
use std::path::Path;

use mission_crm_engine::attachments;
use mission_crm_engine::export::{self, json, ExportFormat, ExportKind, ExportRequest};
use mission_crm_engine::import::{self, ImportFormat, ImportOptions};
use mission_crm_engine::report::{self, render, Lang};
use mission_crm_engine::{time::format_instant, Entity, ErrorBody, ErrorCode, Id, Source, Store};

use crate::args::{BookFormat, ImportArgs, ReportFormat};
use crate::output::Output;

type Res = Result<(), ErrorBody>;

pub fn import(store: &Store, args: &ImportArgs, out: &Output) -> Res {
    let preview = import::preview(&args.file, &ImportOptions::default())?;
    if preview.format == ImportFormat::Json {
        let file = File::open(&args.file).map_err(mission_crm_engine::Error::from)?;
        let reader = std::io::BufReader::new(file);
        let rows = if args.dry_run {
            store.rehearse(Source::Import, |tx| json::restore(tx, reader))?
        } else {
            store.write(Source::Import, |tx| json::restore(tx, reader))?
        };
        // Its files, if they came beside it: best effort, after the data
        // is in (a failure here must not call the restore failed).
        let files_missing = if args.dry_run {
            0
        } else {
            attachments::bring_back_with_export(store, &args.file).unwrap_or(0)
        };
        return out.value(
            &serde_json::json!({
                "restored_rows": rows,
                "dry_run": args.dry_run,
                "files_missing": files_missing,
            }),
            |w| {
                writeln!(
                    w,
                    "Restored {rows} rows{}",
                    if args.dry_run {
                        " (dry run: nothing kept)"
                    } else {
                        ""
                    }
                )?;
                if files_missing > 0 {
                    writeln!(
                        w,
                        "{files_missing} attached files were not beside it (in {}); they show as missing on their records",
                        attachments::folder(&args.file).display()
                    )?;
                }
                Ok(())
            },
        );
    }
    let options = ImportOptions {
        delimiter: args.delimiter.clone(),
        has_header: args.no_header.then_some(false),
        mapping: None,
        mission_id: args.mission,
        side: args.side,
        on_match: args.on_match,
    };
    let summary = import::run(store, &args.file, &options, args.dry_run, &mut |_| true)?;
    out.value(&summary, |w| {
        writeln!(
            w,
            "{} ({}, {}): {} rows, {} created, {} updated, {} skipped, {} organizations created{}",
            summary.file_name,
            summary.format.as_str(),
            summary.encoding,
            summary.rows,
            summary.created,
            summary.updated,
            summary.skipped,
            summary.organizations_created,
            if args.dry_run {
                " (dry run: nothing kept)"
            } else {
                ""
            }
        )?;
        for p in &summary.problems {
            let what = if p.skipped { "skipped" } else { "note" };
            writeln!(w, "  line {}: {} {}: {}", p.line, what, p.name, p.reason)?;
        }
        if let Some(id) = summary.import_id {
            writeln!(w, "Import {id}; take it back with `undo-import {id}`")?;
        }
        Ok(())
    })
}

pub fn export(
    store: &Store,
    format: ExportFormat,
    kind: Option<ExportKind>,
    mission_id: Option<Id>,
    output: Option<&Path>,
    out: &Output,
) -> Res {
    let request = ExportRequest {
        format,
        kind,
        mission_id,
        separator: None,
    };
    let Some(path) = output else {
        // The file itself goes to standard output: it is not JSON to wrap,
        // and `--json` promises JSON.
        if out.json {
            return Err(ErrorBody {
                code: ErrorCode::Conflict,
                message: "--json needs --output FILE: without it the export itself is printed"
                    .into(),
                field: Some("output".into()),
            });
        }
        let mut stdout = std::io::stdout().lock();
        let files = store.read_apart(|db| {
            export::export(db, &request, store.now(), &mut stdout)?;
            match request.format {
                ExportFormat::Json => attachments::count_on_records(db),
                _ => Ok(0),
            }
        });
        return match files {
            // `export csv | head`: the reader has what it wanted.
            Err(mission_crm_engine::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                Ok(())
            }
            // Files cannot go down a pipe: said, so a move to a new
            // computer does not lose them unseen.
            Ok(n) if n > 0 => {
                eprintln!(
                    "note: the {n} attached files are not in an export written to standard output; \
                     give -o FILE to carry them beside it"
                );
                Ok(())
            }
            other => other.map(drop).map_err(Into::into),
        };
    };
    let saved = export::save(store, &request, path)?;
    let (records, files) = (saved.records, saved.files);
    let folder = attachments::folder(path);
    out.value(
        &serde_json::json!({
            "file": path.display().to_string(),
            "records": records,
            "files": files.there,
            "files_left_out": files.left_out,
        }),
        |w| {
            writeln!(w, "Exported {records} records to {}", path.display())?;
            if files.there + files.left_out > 0 {
                writeln!(
                    w,
                    "Its {} files are in {}: keep that folder beside it{}",
                    files.there,
                    folder.display(),
                    match files.left_out {
                        0 => String::new(),
                        n => format!(" ({n} could not be kept)"),
                    }
                )?;
            }
            Ok(())
        },
    )
}

pub fn history(store: &Store, out: &Output) -> Res {
    let imports = store.read(import::list)?;
    out.value(&imports, |w| {
        for i in &imports {
            writeln!(
                w,
                "{}  {}  {}  {} created, {} updated, {} skipped{}",
                i.id,
                i.at,
                i.file_name,
                i.created,
                i.updated,
                i.skipped,
                i.undone_at
                    .as_ref()
                    .map(|u| format!("  (undone {u})"))
                    .unwrap_or_default()
            )?;
        }
        Ok(())
    })
}

/// Attaches `file` to a record, as the app does.
pub fn attach(store: &Store, entity: Entity, id: Id, file: &Path, out: &Output) -> Res {
    let added = attachments::attach_file(store, Source::Cli, entity, id, file)?;
    out.value(&added, |w| {
        writeln!(
            w,
            "{}  {}  {} bytes",
            added.id, added.file_name, added.size_bytes
        )
    })
}

/// A record's files, newest first; one not in the data folder is marked
/// missing. A record that takes no files, or is not there, is an error.
pub fn attachments(store: &Store, entity: Entity, id: Id, out: &Output) -> Res {
    let folder = store.path().map(attachments::folder);
    let files = store.read(|db| {
        attachments::check_target(db, entity, id)?;
        attachments::list(db, folder.as_deref(), entity, id)
    })?;
    out.value(&files, |w| {
        for a in &files {
            let missing = if a.missing { "  (missing)" } else { "" };
            writeln!(
                w,
                "{}  {}  {}  {} bytes  {}{missing}",
                a.id, a.created_at, a.media_type, a.size_bytes, a.file_name
            )?;
        }
        Ok(())
    })
}

pub fn undo(store: &Store, id: Id, out: &Output) -> Res {
    let done = store.write(Source::Cli, |tx| import::undo(tx, id))?;
    out.value(&done, |w| {
        writeln!(
            w,
            "Import {id} undone: {} records to the trash, {} people restored, {} edited or used since and kept, {} mission links removed",
            done.trashed, done.restored, done.kept, done.unlinked
        )
    })
}

/// The delegation book of `mission`, to `output` or stdout.
pub fn book(
    store: &Store,
    mission: Id,
    format: BookFormat,
    lang: Lang,
    output: Option<&Path>,
    out: &Output,
) -> Res {
    let b = store.read(|db| report::book::build(db, mission, lang))?;
    let bytes = match format {
        BookFormat::Html => report::book::html(&b).into_bytes(),
        BookFormat::Pdf => report::book::pdf(&b)?,
    };
    match output {
        None => out.value(&b, |w| w.write_all(&bytes)),
        Some(path) => {
            export::write_whole(path, |w| Ok(w.write_all(&bytes)?))?;
            out.value(
                &serde_json::json!({ "file": path.display().to_string(), "mission": b.name }),
                |w| writeln!(w, "{}: {}", path.display(), b.name),
            )
        }
    }
}

pub fn report(
    store: &Store,
    mission: Id,
    format: ReportFormat,
    lang: Lang,
    output: Option<&Path>,
    out: &Output,
) -> Res {
    let now = format_instant(store.now());
    let r = store.read(|db| report::build(db, mission, lang, &now))?;
    let text = match format {
        ReportFormat::Html => render::html(&r).into_bytes(),
        ReportFormat::Pdf => report::pdf::pdf(&r)?,
        ReportFormat::Md => render::markdown(&r).into_bytes(),
        ReportFormat::Json => (serde_json::to_string_pretty(&r).map_err(|e| ErrorBody {
            code: mission_crm_engine::ErrorCode::Internal,
            message: e.to_string(),
            field: None,
        })? + "\n")
            .into_bytes(),
    };
    match output {
        None => out.value(&r, |w| w.write_all(&text)),
        Some(path) => {
            export::write_whole(path, |w| Ok(w.write_all(&text)?))?;
            out.value(
                &serde_json::json!({ "file": path.display().to_string(), "headline": r.headline }),
                |w| writeln!(w, "{}: {}", path.display(), r.headline),
            )
        }
    }
}
