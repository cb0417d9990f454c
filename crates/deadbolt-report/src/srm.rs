//! The responsibility map's writers: human (terminal), Markdown (to paste into an audit), JSON, and
//! a self-contained HTML page with the matrix as a coloured grid.

use std::io::{self, Write};

use deadbolt_srm::{DutyStatus, Map, Owner, ServicesFrom};

/// The one-word status of a duty line.
fn status_word(status: &DutyStatus) -> String {
    match status {
        DutyStatus::Automated => "automated".into(),
        DutyStatus::Passing { suppressed: 0 } => "passing".into(),
        DutyStatus::Passing { suppressed } => format!("passing ({suppressed} suppressed)"),
        DutyStatus::Failing { findings } => format!("FAILING ({findings} findings)"),
        DutyStatus::Attested { by, date, expires } => match expires {
            Some(e) => format!("attested by {by} on {date}, until {e}"),
            None => format!("attested by {by} on {date}"),
        },
        DutyStatus::Expired { by, expired } => {
            format!("EXPIRED (attested by {by}, lapsed {expired})")
        }
        DutyStatus::Gap => "GAP".into(),
    }
}

fn owner_short(owner: Owner) -> &'static str {
    match owner {
        Owner::Provider => "provider",
        Owner::Customer => "CUSTOMER",
        Owner::Shared => "shared",
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn headline(map: &Map) -> String {
    let n = map.duties.len();
    let mut line = format!(
        "{n} customer dut{}: {} covered (automated or attested)",
        if n == 1 { "y" } else { "ies" },
        percent(map.coverage)
    );
    if let Some(met) = map.met {
        line.push_str(&format!(", {} met (passing or attested)", percent(met)));
    }
    line
}

/// Writes the map for a terminal.
///
/// # Errors
/// Any error writing to `out`.
pub fn human(map: &Map, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "deadbolt srm{}",
        map.name
            .as_deref()
            .map(|n| format!(" — {n}"))
            .unwrap_or_default()
    )?;
    if map.services_from == ServicesFrom::Inferred {
        writeln!(
            out,
            "  no stack file: services inferred from the infrastructure code found (declare them in deadbolt.yaml)"
        )?;
    }
    writeln!(out, "  {}", headline(map))?;
    writeln!(out)?;
    writeln!(
        out,
        "Responsibility matrix (owner of each layer, per service)"
    )?;
    let width = map
        .matrix
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(10);
    let columns: Vec<usize> = map.services.iter().map(|s| s.id.len().max(8)).collect();
    write!(out, "  {:width$}", "")?;
    for (s, w) in map.services.iter().zip(&columns) {
        write!(out, "  {:w$}", s.id)?;
    }
    writeln!(out)?;
    write!(out, "  {:width$}", "")?;
    for (s, w) in map.services.iter().zip(&columns) {
        write!(out, "  {:w$}", format!("{} {}", s.cloud, s.model.label()))?;
    }
    writeln!(out)?;
    for row in &map.matrix {
        write!(out, "  {:width$}", row.name)?;
        for (cell, w) in row.cells.iter().zip(&columns) {
            let mark = if cell.exception.is_some() { "*" } else { "" };
            write!(out, "  {:w$}", format!("{}{mark}", owner_short(cell.owner)))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "  (* differs on this cloud from the general rule)")?;
    writeln!(out)?;
    writeln!(out, "The customer's duties")?;
    let mut layer = "";
    for duty in &map.duties {
        if duty.layer != layer {
            layer = &duty.layer;
            let name = map
                .matrix
                .iter()
                .find(|r| r.layer == duty.layer)
                .map_or(duty.layer.as_str(), |r| r.name.as_str());
            writeln!(out, "── {name} ──")?;
        }
        writeln!(out, "  {:<40} {}", duty.id, status_word(&duty.status))?;
        writeln!(out, "    {}", duty.title)?;
        if !duty.rules.is_empty() {
            writeln!(out, "    checked by: {}", duty.rules.join(", "))?;
        }
        writeln!(out, "    for: {}", duty.services.join(", "))?;
        if !duty.unchecked.is_empty() && !duty.rules.is_empty() {
            writeln!(out, "    not checked on: {}", duty.unchecked.join(", "))?;
        }
    }
    Ok(())
}

/// Writes the map as Markdown.
///
/// # Errors
/// Any error writing to `out`.
pub fn markdown(map: &Map, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "# Shared responsibility map{}\n",
        map.name
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default()
    )?;
    if map.services_from == ServicesFrom::Inferred {
        writeln!(
            out,
            "_No stack file: the services were inferred from the infrastructure code._\n"
        )?;
    }
    writeln!(out, "{}.\n", headline(map))?;
    writeln!(out, "## Who owns each layer\n")?;
    write!(out, "| layer |")?;
    for s in &map.services {
        write!(out, " {} ({} {}) |", s.name, s.cloud, s.model.label())?;
    }
    writeln!(out)?;
    writeln!(out, "|---|{}", "---|".repeat(map.services.len()))?;
    for row in &map.matrix {
        write!(out, "| {} |", row.name)?;
        for cell in &row.cells {
            let mark = if cell.exception.is_some() { "*" } else { "" };
            write!(out, " {}{mark} |", cell.owner.label())?;
        }
        writeln!(out)?;
    }
    writeln!(out, "\n\\* differs on this cloud from the general rule.\n")?;
    writeln!(out, "## The customer's duties\n")?;
    writeln!(
        out,
        "| duty | what | layer | evidence | status | services |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for d in &map.duties {
        let mut evidence = if d.rules.is_empty() {
            format!("{:?}", d.evidence).to_lowercase()
        } else {
            format!("automated: {}", d.rules.join(", "))
        };
        if !d.unchecked.is_empty() && !d.rules.is_empty() {
            evidence.push_str(&format!(" (not checked on {})", d.unchecked.join(", ")));
        }
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            d.id,
            d.title,
            d.layer,
            evidence,
            status_word(&d.status),
            d.services.join(", ")
        )?;
    }
    Ok(())
}

/// Writes the map as JSON (the [`Map`] structure, `schema_version` 1).
///
/// # Errors
/// Any error writing to `out`.
pub fn json(map: &Map, out: &mut dyn Write) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        schema_version: u32,
        #[serde(flatten)]
        map: &'a Map,
    }
    serde_json::to_writer_pretty(
        &mut *out,
        &Doc {
            schema_version: 1,
            map,
        },
    )?;
    writeln!(out)
}

/// Writes the map as a self-contained HTML page (no external assets): the matrix as a grid
/// coloured by owner, then the checklist.
///
/// # Errors
/// Any error writing to `out`, or an error of the template engine.
pub fn html(map: &Map, out: &mut dyn Write) -> io::Result<()> {
    let mut env = minijinja::Environment::new();
    env.add_template("srm.html", include_str!("srm.html.j2"))
        .map_err(io::Error::other)?;
    let template = env.get_template("srm.html").map_err(io::Error::other)?;
    let duties: Vec<serde_json::Value> = map
        .duties
        .iter()
        .map(|d| {
            serde_json::json!({
                "id": d.id, "title": d.title, "why": d.why, "layer": d.layer,
                "rules": d.rules, "services": d.services,
                "status": status_word(&d.status),
                "class": match &d.status {
                    _ if d.status.met() => "met",
                    DutyStatus::Gap | DutyStatus::Expired { .. } => "gap",
                    DutyStatus::Failing { .. } => "failing",
                    _ => "",
                },
            })
        })
        .collect();
    let rendered = template
        .render(minijinja::context! {
            name => map.name.clone(),
            inferred => map.services_from == ServicesFrom::Inferred,
            headline => headline(map),
            services => minijinja::Value::from(minijinja::value::Serde(
                map.services
                    .iter()
                    .map(|s| serde_json::json!({"name": s.name, "cloud": s.cloud, "model": s.model.label()}))
                    .collect::<Vec<_>>()
            )),
            matrix => minijinja::Value::from(minijinja::value::Serde(&map.matrix)),
            duties => minijinja::Value::from(minijinja::value::Serde(&duties)),
        })
        .map_err(io::Error::other)?;
    out.write_all(rendered.as_bytes())
}
