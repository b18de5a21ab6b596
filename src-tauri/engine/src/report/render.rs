//! The report as Markdown and as one self-contained HTML file (styles
//! inline, no script, no remote font or image), printable as it is. Every
//! user text is escaped: a contract title is text, never markup.

use std::fmt::Write as _;

use super::words::{money, words, Words};
use super::{Group, MissionReport, OrgLine};

pub(super) fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Markdown table cells: pipes and line breaks would break the table.
/// An amount in the base currency for HTML: escaped, and kept on one line.
fn html_money(r: &MissionReport, minor: i64) -> String {
    format!(
        "{}&nbsp;{}",
        esc(&money(minor, r.base_exponent, r.lang)),
        esc(&r.base_currency)
    )
}

/// User text as Markdown shows it literally: what would be markup (a
/// table's `|`, emphasis, a link, code) is escaped, and what would be HTML
/// (which many viewers render, scripts and all) is written as entities.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The organization lists each format shows, titled: the delegation, the
/// hosts, and the partners when there are any.
pub(super) fn org_sections<'r>(
    r: &'r MissionReport,
    w: &Words,
) -> Vec<(&'static str, &'r [OrgLine])> {
    let mut sections = vec![(w.delegation, &r.delegation[..]), (w.hosts, &r.hosts[..])];
    if !r.partners.is_empty() {
        sections.push((w.partners, &r.partners[..]));
    }
    sections
}

pub(super) fn orgs(list: &[OrgLine]) -> Vec<String> {
    list.iter()
        .map(|o| {
            if o.sectors.is_empty() {
                o.name.clone()
            } else {
                format!("{} ({})", o.name, o.sectors.join(", "))
            }
        })
        .collect()
}

pub(super) fn facts<'a>(r: &'a MissionReport, w: &'a Words) -> Vec<(&'a str, String)> {
    vec![
        (w.organiser, r.organiser.clone()),
        (
            w.host_country,
            super::words::country(&r.host_country, r.lang),
        ),
        (
            w.dates,
            super::words::date_range(&r.start_date, &r.end_date, r.lang),
        ),
        (w.cities, r.cities.join(", ")),
        (w.base_currency, r.base_currency.clone()),
        (w.meetings_held, r.meetings_held.to_string()),
        (w.contacts_made, r.contacts_made.to_string()),
        (
            w.follow_ups,
            format!(
                "{} {}, {} {}",
                r.follow_ups_open, w.open, r.follow_ups_done, w.done
            ),
        ),
    ]
}

pub fn markdown(r: &MissionReport) -> String {
    let w = words(r.lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {}: {}\n\n**{}**\n",
        w.title,
        cell(&r.name),
        cell(&r.headline)
    );
    for (k, v) in facts(r, w) {
        let _ = writeln!(out, "- {k}: {}", cell(&v));
    }
    for (title, list) in org_sections(r, w) {
        let _ = writeln!(out, "\n## {title} ({})\n", list.len());
        for o in orgs(list) {
            let _ = writeln!(out, "- {}", cell(&o));
        }
    }
    for (title, list, total) in group_tables(r, w) {
        let _ = writeln!(
            out,
            "\n## {title}\n\n| | {} | {} |\n|---|---:|---:|",
            w.count, w.converted
        );
        for g in list.iter() {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&g.label),
                g.count,
                r.base_money(g.base_amount_minor)
            );
        }
        let _ = writeln!(
            out,
            "| **{}** | **{}** | **{}** |",
            total,
            r.agreement_count,
            r.base_money(r.total_base_minor)
        );
    }
    let _ = writeln!(
        out,
        "\n## {}\n\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---:|---:|",
        w.agreements, w.agreement, w.company, w.counterpart, w.stage, w.amount, w.converted
    );
    for a in &r.agreements {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} {} | {} |",
            cell(&a.title),
            cell(a.company.as_deref().unwrap_or("")),
            cell(a.counterpart.as_deref().unwrap_or("")),
            w.stage(a.stage),
            money(a.amount_minor, a.exponent, r.lang),
            a.currency,
            r.base_money(a.base_amount_minor)
        );
    }
    // Agreements all in the base currency were converted at no rate.
    if !r.rates.is_empty() {
        let _ = writeln!(
            out,
            "\n## {}\n\n| | {} | {} | {} |\n|---|---:|---|---|",
            w.rates, w.rate, w.rate_date, w.source
        );
        for x in &r.rates {
            let _ = writeln!(
                out,
                "| {} → {} | {} | {} | {} |",
                x.currency,
                r.base_currency,
                super::words::rate(&x.rate, r.lang),
                super::words::date(&x.rate_date, r.lang),
                cell(&x.source)
            );
        }
    }
    let _ = writeln!(out, "\n_{}_", w.generated);
    out
}

/// The three group tables, each with its title and its total's label: the
/// stage table lists the lost agreements, which its total (the report's)
/// leaves out, and says so.
pub(super) fn group_tables<'a>(
    r: &'a MissionReport,
    w: &'a Words,
) -> [(&'a str, &'a [Group], &'a str); 3] {
    [
        (w.by_stage, &r.by_stage, w.total_not_lost),
        (w.by_sector, &r.by_sector, w.total),
        (w.by_company, &r.by_company, w.total),
    ]
}

fn group_table(
    out: &mut String,
    (title, list, total): (&str, &[Group], &str),
    r: &MissionReport,
    w: &Words,
) {
    let _ = write!(
        out,
        "<h2>{}</h2><table><thead><tr><th></th><th class=n>{}</th><th class=n>{}</th></tr></thead><tbody>",
        esc(title),
        esc(w.count),
        esc(w.converted)
    );
    for g in list {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
            esc(&g.label),
            g.count,
            html_money(r, g.base_amount_minor)
        );
    }
    let _ = write!(
        out,
        "</tbody><tfoot><tr><th>{}</th><th class=n>{}</th><th class=n>{}</th></tr></tfoot></table>",
        esc(total),
        r.agreement_count,
        html_money(r, r.total_base_minor)
    );
}

pub(super) const STYLE: &str = "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;color:#1b1f24;margin:2rem auto;max-width:60rem;line-height:1.4}\
h1{font-size:1.6rem;margin-bottom:.2rem}.headline{font-size:1.25rem;font-weight:600;color:#1f4e8c;margin:.5rem 0 1.5rem}\
h2{font-size:1.1rem;margin-top:1.8rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}\
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}\
.n{text-align:right;white-space:nowrap}tfoot th{border-top:2px solid #1b1f24}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}\
dt{color:#5a6270}dd{margin:0}footer{margin-top:2rem;color:#5a6270;font-size:.8rem}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}";

pub fn html(r: &MissionReport) -> String {
    let w = words(r.lang);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} — {}</title><style>{STYLE}</style></head><body>",
        r.lang.as_str(),
        esc(w.title),
        esc(&r.name)
    );
    let _ = write!(
        out,
        "<h1>{}</h1><p class=muted>{}</p><p class=headline>{}</p><dl>",
        esc(&r.name),
        esc(w.title),
        esc(&r.headline)
    );
    for (k, v) in facts(r, w) {
        let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    out.push_str("</dl>");
    for (title, list) in org_sections(r, w) {
        let _ = write!(out, "<h2>{} ({})</h2><ul>", esc(title), list.len());
        for o in orgs(list) {
            let _ = write!(out, "<li>{}</li>", esc(&o));
        }
        out.push_str("</ul>");
    }
    for table in group_tables(r, w) {
        group_table(&mut out, table, r, w);
    }
    let _ = write!(
        out,
        "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=n>{}</th><th class=n>{}</th></tr></thead><tbody>",
        esc(w.agreements), esc(w.agreement), esc(w.company), esc(w.counterpart), esc(w.stage), esc(w.amount), esc(w.converted)
    );
    for a in &r.agreements {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=n>{}&nbsp;{}</td><td class=n>{}</td></tr>",
            esc(&a.title),
            esc(a.company.as_deref().unwrap_or("")),
            esc(a.counterpart.as_deref().unwrap_or("")),
            esc(w.stage(a.stage)),
            esc(&money(a.amount_minor, a.exponent, r.lang)),
            esc(&a.currency),
            html_money(r, a.base_amount_minor)
        );
    }
    out.push_str("</tbody></table>");
    // Agreements all in the base currency were converted at no rate.
    if !r.rates.is_empty() {
        let _ = write!(
            out,
            "<h2>{}</h2><table><thead><tr><th></th><th class=n>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(w.rates), esc(w.rate), esc(w.rate_date), esc(w.source)
        );
        for x in &r.rates {
            let _ = write!(
                out,
                "<tr><td>{}&nbsp;→&nbsp;{}</td><td class=n>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&x.currency),
                esc(&r.base_currency),
                esc(&super::words::rate(&x.rate, r.lang)),
                esc(&super::words::date(&x.rate_date, r.lang)),
                esc(&x.source)
            );
        }
        out.push_str("</tbody></table>");
    }
    let _ = writeln!(out, "<footer>{}</footer></body></html>", esc(w.generated));
    out
}
