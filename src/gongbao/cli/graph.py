"""CLI commands over the policy graph: refs, cited-by, status, duties, figures (registered on gongbao.cli.main.app)."""

from __future__ import annotations

import csv
import sys
from datetime import date
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from gongbao.cli.main import DbOption, _open, app, err, find_document, out
from gongbao.cli.terminal import csv_rows, json_text
from gongbao.model import Document

IdArgument = Annotated[str, typer.Argument(metavar="ID", help="Document id (or a unique part of its title).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV (UTF-8, with a header row).")]


def _labels(doc: Document) -> dict[str, str]:
    return {p.id: p.label or (p.heading or "")[:12] for p in doc.provisions}


@app.command()
def refs(doc_id: IdArgument, as_json: JsonOption = False, db: DbOption = None) -> None:
    """What a document cites: other texts (in the corpus or external) and articles, with where it cites them."""
    with _open(db) as store:
        doc = find_document(store, doc_id)
        found = store.references_of(doc.id)
        if as_json:
            print(json_text({"document_id": doc.id, "title": doc.title, "references": found}))
            return
        labels = _labels(doc)
        table = Table(title=f"{doc.title}: {len(found)} references", title_justify="left")
        for col in ("where", "line", "reference", "points to"):
            table.add_column(col)
        for r in found:
            table.add_row(
                escape(labels.get(r.get("provision_id") or "", "title")),
                str(r["start_line"]),
                escape(r["text"]),
                escape(_target(r, doc)),
            )
        out.print(table)


def _target(ref: dict[str, Any], doc: Document) -> str:
    where = f" {ref['target_provision']}" if ref.get("target_provision") else ""
    if ref.get("target_id") == doc.id:
        return f"this document{where}"
    if ref.get("target_title"):
        return f"《{ref['target_title']}》{where}"
    if ref.get("external"):
        return f"external: 《{ref.get('title', '')}》"
    if ref.get("draft"):
        return f"the draft of 《{ref.get('title', '')}》 (its own article numbers)"
    return f"《{ref['title']}》 (not resolved)" if ref.get("title") else "?"


@app.command("cited-by")
def cited_by(doc_id: IdArgument, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Who cites a document, and which documents promulgate, explain, review, approve, repeal … it."""
    with _open(db) as store:
        doc = find_document(store, doc_id)
        citing = store.cited_by(doc.id)
        relations = store.relations_of(doc.id)["incoming"]
    if as_json:
        data = {"document_id": doc.id, "title": doc.title, "cited_by": citing, "relations": relations}
        print(json_text(data))
        return
    out.print(f"[bold]{escape(doc.title)}[/bold]")
    for r in relations:
        out.print(f"  {r['type']:<12} ← {escape(r['title'])}  [dim]({r['document_id']}, line {r['start_line']})[/dim]")
    if citing:
        out.print(f"cited {len(citing)} times:")
    for c in citing:
        target = f" → {c['target_provision']}" if c.get("target_provision") else ""
        out.print(f"  {escape(c['title'])}  {escape(c['text'])}{target}  [dim]({c['file']}:{c['start_line']})[/dim]")
    if not relations and not citing:
        out.print("  nothing in the corpus cites it")


def _as_of(text: str | None, option: str = "--as-of") -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"[red]error:[/red] {option} wants a date like 2023-01-01, not {escape(text)!r}")
        raise typer.Exit(2) from None


@app.command()
def status(
    doc_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="A document; without it, every one.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day to judge on (YYYY-MM-DD; default today).")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Whether a document is in force: 尚未施行, 现行有效, 已被修改, 已废止, 部分失效 or unknown."""
    day = _as_of(as_of)
    with _open(db) as store:
        docs = [find_document(store, doc_id)] if doc_id else store.list_documents()
        rows = [(d, store.status_of(d.id, day)) for d in docs]
    if not doc_id:
        rows = [(d, s) for d, s in rows if s is not None]
    if as_json:
        data = [{"document_id": d.id, "title": d.title, "status": s.to_dict() if s else None} for d, s in rows]
        print(json_text(data[0] if doc_id else data))
        return
    for d, s in rows:
        if s is None:
            out.print(f"{escape(d.title)}: no status (a {escape(d.doc_type or 'text')} has no force of its own)")
        else:
            out.print(f"[bold]{s.status}[/bold]  {escape(d.title)}  [dim]({escape(s.reason)}; as of {s.as_of})[/dim]")


@app.command()
def duties(
    agency: Annotated[
        str | None, typer.Option("--agency", help="An agency, e.g. 省生态环境厅, or an official.")
    ] = None,
    doc_id: Annotated[str | None, typer.Option("--doc", help="Only this document (id or title part).")] = None,
    role: Annotated[str | None, typer.Option("--role", help="leader, lead, cooperate or responsible.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those whose deadline has passed.")] = False,
    due_before: Annotated[
        str | None, typer.Option("--due-before", help="Only those due on or before this day (YYYY-MM-DD).")
    ] = None,
    due_within: Annotated[
        int | None, typer.Option("--due-within", min=0, help="Only those due within this many days from today.")
    ] = None,
    no_deadline: Annotated[bool, typer.Option("--no-deadline", help="Only those without a date to meet.")] = False,
    sort: Annotated[str, typer.Option("--sort", help="document (as printed) or deadline (earliest first).")] = (
        "document"
    ),
    today: Annotated[str | None, typer.Option("--today", help="The day to judge on (YYYY-MM-DD; default today).")] = (
        None
    ),
    as_csv: CsvOption = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Who must do what, by when: tasks and legal duties with their agencies, roles and deadlines; filter what is
    overdue or due soon, sort by deadline."""
    from datetime import timedelta

    from gongbao.export.tables import DUTY_FIELDS, to_csv
    from gongbao.link.duties import Tracking, agency_matches, track

    if sort not in ("document", "deadline"):
        err.print(f"[red]error:[/red] --sort wants document or deadline, not {escape(sort)!r}")
        raise typer.Exit(2)
    day = _as_of(today, "--today")
    last = _as_of(due_before, "--due-before").isoformat() if due_before else None
    if due_within is not None:
        within = (day + timedelta(days=due_within)).isoformat()
        last = min(last, within) if last else within
    with _open(db) as store:
        doc = find_document(store, doc_id) if doc_id else None
        found = store.duties(document_id=doc.id if doc else None, agency=agency, role=role)
        if agency and not found:  # a part of a name: 生态环境 finds 山西省生态环境厅
            everyone = store.duties(document_id=doc.id if doc else None, role=role)
            found = [d for d in everyone if agency_matches(d, agency)]
    ask = Tracking(day.isoformat(), overdue, last, no_deadline, sort == "deadline")
    found = track(found, ask)
    if as_csv:
        sys.stdout.write(to_csv(csv_rows(found), DUTY_FIELDS))
        return
    if as_json:
        print(json_text(found))
        return
    table = Table(title=f"{len(found)} duties", title_justify="left")
    for col in ("agency", "role", "task", "deadline", "document", "lines"):
        table.add_column(col, overflow="fold")
    for d in found:
        task = d["task"] if len(d["task"]) <= 60 else d["task"][:59] + "…"
        when = d.get("deadline") or d.get("deadline_text") or ""
        lines = f"{d['file']}:{d['start_line']}-{d['end_line']}"
        table.add_row(escape(d["agency"]), d["role"], escape(task), escape(when), escape(d["title"][:30]), lines)
    out.print(table)


@app.command()
def figures(doc_id: IdArgument, as_csv: CsvOption = False, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Numeric targets and achievements of a plan or report; values that may have lost a decimal point are flagged."""
    with _open(db) as store:
        doc = find_document(store, doc_id)
        found = store.figures(doc.id)
    if as_csv:
        _write_csv(found, ("subject", "change", "value", "unit", "year", "baseline_year", "suspect", "text",
                           "provision_id", "start_line", "end_line"))  # fmt: skip
        return
    if as_json:
        print(json_text({"document_id": doc.id, "title": doc.title, "figures": found}))
        return
    table = Table(title=f"{doc.title}: {len(found)} figures", title_justify="left")
    for col in ("subject", "change", "value", "year", "vs", "line", "check"):
        table.add_column(col, overflow="fold")
    for f in found:
        value = f"{f['value']:g} {f.get('unit', '')}"
        flag = "[yellow]⚠ " + escape(f["suspect"]) + "[/yellow]" if f.get("suspect") else ""
        table.add_row(escape(f["subject"]), f["change"], value, str(f.get("year", "")),
                      str(f.get("baseline_year", "")), str(f["start_line"]), flag)  # fmt: skip
    out.print(table)


def _write_csv(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(rows))
