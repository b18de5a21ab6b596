//! How results are printed: JSON exactly as the engine's types serialise,
//! or short aligned text for people. A closed pipe (`| head`) ends output
//! quietly instead of panicking.

use std::io::{self, Write};

use mission_crm_engine::duplicates::{DuplicatePair, Reason};
use mission_crm_engine::model::agreement::AgreementList;
use mission_crm_engine::model::contact::ContactRow;
use mission_crm_engine::model::follow_up::FollowUp;
use mission_crm_engine::model::meeting::Meeting;
use mission_crm_engine::model::mission::Mission;
use mission_crm_engine::model::organization::OrganizationRow;
use mission_crm_engine::money::format_minor;
use mission_crm_engine::search::SearchHit;
use mission_crm_engine::{ErrorBody, ErrorCode};
use serde::Serialize;
use serde_json::Value;

pub struct Output {
    pub json: bool,
}

type Res = Result<(), ErrorBody>;

impl Output {
    /// Prints `value` as JSON, or runs `text` to print it for people.
    pub fn value<T: Serialize>(
        &self,
        value: &T,
        text: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Res {
        let mut stdout = io::stdout().lock();
        let written = if self.json {
            serde_json::to_writer_pretty(&mut stdout, value)
                .map_err(io::Error::from)
                .and_then(|()| writeln!(stdout))
        } else {
            text(&mut stdout)
        };
        match written {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(ErrorBody {
                code: ErrorCode::Storage,
                message: format!("cannot write output: {e}"),
                field: None,
            }),
            _ => Ok(()),
        }
    }

    /// One record: JSON, or `field: value` lines.
    pub fn record(&self, value: &Value) -> Res {
        self.value(value, |w| {
            if let Value::Object(fields) = value {
                for (k, v) in fields {
                    match v {
                        Value::String(s) => writeln!(w, "{k}: {s}")?,
                        Value::Null => writeln!(w, "{k}:")?,
                        other => writeln!(w, "{k}: {other}")?,
                    }
                }
            }
            Ok(())
        })
    }

    pub fn missions(&self, rows: &[Mission]) -> Res {
        self.value(&rows, |w| {
            for m in rows {
                writeln!(
                    w,
                    "{}  {} – {}  {}  {}",
                    m.id, m.start_date, m.end_date, m.base_currency, m.name
                )?;
            }
            Ok(())
        })
    }

    pub fn organizations(&self, rows: &[OrganizationRow]) -> Res {
        self.value(&rows, |w| {
            for o in rows {
                let side = o.side.map(|s| s.as_str()).unwrap_or("-");
                writeln!(w, "{}  {:<10}  {}", o.id, side, o.name)?;
            }
            Ok(())
        })
    }

    pub fn contacts(&self, rows: &[ContactRow]) -> Res {
        self.value(&rows, |w| {
            for c in rows {
                let org = c.organization_name.as_deref().unwrap_or("");
                let phone = c.phone.as_deref().unwrap_or("");
                writeln!(w, "{}  {}  {}  {}", c.id, c.full_name, phone, org)?;
            }
            Ok(())
        })
    }

    pub fn duplicates(&self, pairs: &[DuplicatePair]) -> Res {
        self.value(&pairs, |w| {
            if pairs.is_empty() {
                writeln!(w, "No probable duplicates.")?;
            }
            for p in pairs {
                let reasons: Vec<&str> = p
                    .reasons
                    .iter()
                    .map(|r| match r {
                        Reason::Name => "name",
                        Reason::Phone => "phone",
                        Reason::Email => "e-mail",
                    })
                    .collect();
                writeln!(w, "{}  {}", p.a, p.a_name)?;
                writeln!(w, "{}  {}  (same {})", p.b, p.b_name, reasons.join(", "))?;
                writeln!(w)?;
            }
            Ok(())
        })
    }

    pub fn search(&self, hits: &[SearchHit]) -> Res {
        self.value(&hits, |w| {
            if hits.is_empty() {
                writeln!(w, "Nothing found.")?;
            }
            for h in hits {
                writeln!(
                    w,
                    "{}  {:<12}  {}  {}  ({})",
                    h.id,
                    h.entity.as_str(),
                    h.title,
                    h.detail,
                    h.tier.as_str()
                )?;
            }
            Ok(())
        })
    }

    pub fn meetings(&self, rows: &[Meeting]) -> Res {
        self.value(&rows, |w| {
            for m in rows {
                // The end's time alone on the start's day; whole on another.
                let same_day = m.starts_local.get(..10) == m.ends_local.get(..10);
                let ends = match m.ends_local.get(11..) {
                    Some(time) if same_day => time,
                    _ => &m.ends_local,
                };
                writeln!(
                    w,
                    "{}  {} – {} ({})  {}",
                    m.id, m.starts_local, ends, m.time_zone, m.title
                )?;
            }
            Ok(())
        })
    }

    pub fn follow_ups(&self, rows: &[FollowUp]) -> Res {
        self.value(&rows, |w| {
            for f in rows {
                writeln!(
                    w,
                    "{}  {}  {:<9}  {}",
                    f.id,
                    f.due_on,
                    f.status.as_str(),
                    f.title
                )?;
            }
            Ok(())
        })
    }

    pub fn agreements(&self, list: &AgreementList) -> Res {
        self.value(list, |w| {
            for a in &list.agreements {
                writeln!(
                    w,
                    "{}  {:<20}  {:>18} {}  × {:<8} = {:>15} {}  {}",
                    a.id,
                    a.stage.as_str(),
                    format_minor(a.amount_minor, a.exponent),
                    a.currency,
                    a.rate,
                    format_minor(a.base_amount_minor, a.base_exponent),
                    a.base_currency,
                    a.title
                )?;
            }
            for t in &list.totals {
                writeln!(
                    w,
                    "Total: {} {} ({} agreements)",
                    format_minor(t.base_amount_minor, t.base_exponent),
                    t.base_currency,
                    t.count
                )?;
            }
            Ok(())
        })
    }

    pub fn error(&self, e: &ErrorBody) {
        let mut stderr = io::stderr().lock();
        // Nothing sensible is left to do if stderr itself is gone.
        let _ = if self.json {
            writeln!(stderr, "{}", serde_json::json!({ "error": e }))
        } else {
            writeln!(stderr, "error: {e}")
        };
    }
}
