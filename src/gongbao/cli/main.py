"""The gongbao command line (Typer).  Read commands open the database read-only and refuse one that does not exist
(`gongbao ingest` builds it, with no files from the bundled samples)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from gongbao.cli.output import (
    OutputError,
    atomic_text_file,
    check_output_folder,
    check_output_path,
    describe_os_error,
    write_atomically,
)
from gongbao.cli.terminal import SafeConsole, json_text
from gongbao.ingest import INPUT_SUFFIXES, BatchReport, default_db_path, ingest_paths, open_reader, sample_paths
from gongbao.model import Document
from gongbao.parse.files import DEFAULT_MAX_BYTES, Walk, walk
from gongbao.parse.pages import page_label
from gongbao.store import Corpus, StoreError, describe_database_error, open_corpus
from gongbao.store.backends import exists, is_server, writer_lock


class _Commands(TyperGroup):
    """Every command: an error of the database under it (damaged file, full disk, a lock held too long) is one line
    and exit status 2, not a driver's traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as e:
            if (why := describe_database_error(e)) is None:
                raise
            err.print(f"[red]error:[/red] {escape(why)}")
            raise typer.Exit(2) from None


app = typer.Typer(
    cls=_Commands,
    help="gongbao: Chinese government gazettes as a structured, searchable, citable knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# gazette text can hold escape sequences: both consoles print them as visible escapes (cli/terminal.py)
out = SafeConsole(highlight=False, soft_wrap=True)
err = SafeConsole(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="GONGBAO_DB",
        help="Database file, or a PostgreSQL server as postgresql://user@host/dbname (default: a per-user file).",
        show_default=False,
    ),
]


def find_document(store: Corpus, query: str) -> Document:
    """A document by id or title (part), or a clear error and exit status 1."""
    try:
        return store.find_document(query)
    except LookupError as e:
        err.print(f"[red]error:[/red] {escape(str(e))}")
        raise typer.Exit(1) from None


def _open(db: str | None) -> Corpus:
    """The database of a read command, opened read-only (readers never wait for or block a writer).  A database
    that does not exist is an error: answering from a corpus built on the spot would hide a mistyped --db."""
    target = db or default_db_path()
    if not exists(target):
        err.print(
            f"[red]error:[/red] no database at {escape(str(target))}: build it with `gongbao ingest FILES...` "
            "(with no files, `gongbao ingest` stores the bundled samples), or give the right --db"
        )
        raise typer.Exit(2)
    try:
        return open_reader(target)
    except StoreError as e:
        err.print(f"[red]error:[/red] {escape(str(e))}")
        raise typer.Exit(2) from None


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Gazette files (.txt, .pdf) or folders (default: the bundled samples).")
    ] = None,
    db: DbOption = None,
    strict: Annotated[bool, typer.Option(hidden=True, help="(the default now: kept for old scripts)")] = False,
    max_size: Annotated[
        float, typer.Option("--max-size", min=0.001, help="Largest file to read, in MB.")
    ] = DEFAULT_MAX_BYTES / 1e6,
    wait: Annotated[
        float | None,
        typer.Option(help="Seconds to wait for another ingest into the same database (default: until it ends)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per file.")] = False,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=64, help="Parse in this many processes (one writer).")
    ] = 1,
) -> None:
    """Read, parse and store gazette issues.  Every file that reads as text is stored; what could not be read as
    expected is a warning of its file.  A file that is not text is reported and the others still go in (the exit
    status is then 1: a batch with a file left out never looks like a success)."""
    found = walk(paths, INPUT_SUFFIXES) if paths else Walk(files=sample_paths())
    files = found.files
    target = db or default_db_path()
    try:
        with writer_lock(target, _say, wait), _open_writer(target) as store:
            report = _ingest_batch(store, files, int(max_size * 1e6), jobs)
    except TimeoutError as e:
        err.print(f"[red]error:[/red] nothing ingested: {escape(str(e))} (--wait sets how long to wait)")
        raise typer.Exit(2) from None
    except StoreError as e:
        err.print(f"[red]error:[/red] {escape(str(e))}")
        raise typer.Exit(2) from None
    report.errors[:0] = found.skipped  # entries of a folder not taken: each named, and counted as not ingested
    if as_json:
        print(json_text(_ingest_rows(report, found.skipped), indent=1))
    else:
        _print_ingest_report(report, str(target))
    if report.stopped:
        err.print(
            f"[red]ingest stopped:[/red] {escape(report.stopped)}; {report.not_attempted} more files not attempted"
        )
    if report.errors:
        total = len(files) + len(found.skipped)
        err.print(f"{len(report.errors) + report.not_attempted} of {total} files not ingested")
        raise typer.Exit(1)


def _ingest_rows(report: BatchReport, skipped: list[str]) -> list[dict[str, Any]]:
    """Per file: status added | replaced | unchanged (with its warnings), failed (with why), or skipped (an entry
    of a folder that is not a file gongbao reads)."""
    rows: list[dict[str, Any]] = [
        {"file": r.file, "status": r.status, "documents": r.documents, "laws": r.laws, "articles": r.articles,
         "warnings": r.warnings}
        for r in report.results
    ]  # fmt: skip
    rows += [{"file": path.name, "path": str(path), "status": "failed", "error": why} for path, why in report.failures]
    rows += [{"status": "skipped", "error": line} for line in skipped]
    return rows


def _print_ingest_report(report: BatchReport, location: str) -> None:
    table = Table("file", "status", "documents", "laws", "articles", "warnings", title=f"ingested into {location}")
    for r in report.results:
        status = f"{r.status} with warnings" if r.warnings else r.status
        table.add_row(
            escape(r.file), status, str(r.documents), str(r.laws), str(r.articles), str(len(r.warnings) or "")
        )
    if report.results:
        out.print(table)
    for r in report.results:
        for line in r.warnings:
            err.print(f"[yellow]warning:[/yellow] {escape(r.file)}: {escape(line)}")
    for line in report.errors:
        err.print(f"[red]error:[/red] {escape(line)}")


def _say(message: str) -> None:
    err.print(escape(message))


def _open_writer(target: str | Path) -> Corpus:
    """The database opened for writing, after SQLite's quick_check: writing into a damaged file would spread the
    damage (StoreError with every finding)."""
    store = open_corpus(target)
    if damage := store.integrity(quick=True):
        store.close()
        found = "; ".join(damage[:5])
        raise StoreError(f"{target}: the database is damaged ({found}); nothing was ingested")
    return store


def _ingest_batch(store: Corpus, files: list[Path], max_bytes: int, jobs: int = 1) -> BatchReport:
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("ingesting", total=len(files))

        def advance(path: Path, _result: object) -> None:
            bar.update(task, advance=1, description=f"ingesting {escape(path.name)}")

        return ingest_paths(store, files, advance, max_bytes=max_bytes, jobs=jobs)


@app.command()
def export(
    format: Annotated[
        str, typer.Option("--format", help="jsonl (the whole corpus), atom (a feed), or akn, docx, md, txt.")
    ] = "jsonl",
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write here instead of standard output (a folder for akn, docx, md, txt)."),
    ] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help="Only this document type (atom, akn …).")] = None,
    issuer: Annotated[str | None, typer.Option(help="Only documents whose issuer or title contains this.")] = None,
    year: Annotated[int | None, typer.Option(help="Only documents of this year.")] = None,
    db: DbOption = None,
) -> None:
    """Export the documents: JSONL (one document per line, the contract other tools read), an Atom feed of the
    newest, or one file per document in Akoma Ntoso, Word, Markdown or plain text."""
    from gongbao.export import DOCUMENT_FORMATS

    if format not in ("jsonl", "atom", *DOCUMENT_FORMATS):
        err.print(f"[red]error:[/red] unknown format {escape(format)!r} (available: jsonl, atom, "
                  f"{', '.join(DOCUMENT_FORMATS)})")  # fmt: skip
        raise typer.Exit(2)
    if format != "jsonl":
        _export_documents(format, out_file, doc_type, issuer, year, db)
        return
    from gongbao.export.jsonl import write_jsonl

    target = db or default_db_path()
    if out_file:
        try:
            check_output_path(out_file, None if is_server(target) else target)
        except OutputError as e:
            err.print(f"[red]error:[/red] {escape(str(e))}")
            raise typer.Exit(2) from None
    with _open(db) as store:
        if not out_file:
            write_jsonl(store, sys.stdout)
            return
        try:
            with atomic_text_file(out_file) as f:
                n = write_jsonl(store, f)
        except OSError as e:
            err.print(f"[red]error:[/red] {escape(str(out_file))}: not written, {escape(describe_os_error(e))}")
            raise typer.Exit(1) from None
        err.print(f"{n} documents written to {escape(str(out_file))}")


def _export_documents(fmt: str, out: Path | None, doc_type, issuer, year, db) -> None:
    from gongbao.export import document_file

    target = db or default_db_path()
    database = None if is_server(target) else target
    try:
        if out is not None:
            (check_output_path if fmt == "atom" else check_output_folder)(out, database)
    except OutputError as e:
        err.print(f"[red]error:[/red] {escape(str(e))}")
        raise typer.Exit(2) from None

    with _open(db) as store:
        docs = store.list_documents(doc_type=doc_type, issuer=issuer, year=year)
        if fmt == "atom":
            _write_bytes(_feed(store, docs), out)
            return
        if out is None:
            err.print(f"[red]error:[/red] --format {fmt} writes one file per document: give a folder with --out")
            raise typer.Exit(2)
        out.mkdir(parents=True, exist_ok=True)
        for d in docs:
            full = store.document(d.id)
            if full:
                exported = document_file(store, full, fmt)
                write_atomically(out / exported.filename, exported.content)
    err.print(f"{len(docs)} documents written to {escape(str(out))}")


def _feed(store: Corpus, docs: list[Document]) -> bytes:
    """The newest documents first (by their latest date), as an Atom feed whose links point at `gongbao serve`."""
    from gongbao.export.feed import FeedInfo, document_time, to_atom
    from gongbao.link.level import legal_level

    newest = sorted(docs, key=lambda d: (document_time(d) is not None, document_time(d) or 0), reverse=True)[:50]
    site = "http://127.0.0.1:8000"
    info = FeedInfo("gongbao：最新文件", f"{site}/feeds/documents.atom", f"{site}/documents")
    return to_atom(newest, info, lambda d: f"{site}/documents/{d.id}",
                   lambda d: legal_level(d.issuer, d.doc_type, d.title, d.inner_title))  # fmt: skip


def _write_bytes(content: bytes, out: Path | None) -> None:
    if out is None:
        if sys.stdout.isatty() and b"\0" in content:
            err.print("[red]error:[/red] this format is binary: give a file with --out")
            raise typer.Exit(2)
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    write_atomically(out, content)
    err.print(f"written to {escape(str(out))}")


@app.command("list")
def list_documents(
    doc_type: Annotated[str | None, typer.Option("--type", help="Document type, e.g. 条例, 通知, 报告.")] = None,
    issuer: Annotated[str | None, typer.Option(help="Issuer (or title) contains this text.")] = None,
    year: Annotated[int | None, typer.Option(help="Year of issue/adoption.")] = None,
    file: Annotated[str | None, typer.Option(help="Source file name.")] = None,
    level: Annotated[
        str | None, typer.Option("--level", help="效力级别: 法律, 行政法规, 地方性法规, 规章, 规范性文件, 司法解释.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """List documents, optionally filtered by type, issuer, year, source file or 效力级别."""
    from gongbao.link.level import LEVELS, legal_level

    if level is not None and level not in LEVELS:
        err.print(f"[red]error:[/red] --level wants one of {', '.join(LEVELS)}, not {escape(level)!r}")
        raise typer.Exit(2)
    with _open(db) as store:
        docs = store.list_documents(doc_type=doc_type, issuer=issuer, year=year, file=file)
    if level:
        docs = [d for d in docs if legal_level(d.issuer, d.doc_type, d.title, d.inner_title) == level]
    if as_json:
        print(json_text([_summary(d) for d in docs], indent=1))
        return
    table = Table("id", "type", "title", "文号", "date", "source")
    for d in docs:
        date = d.dates.get("issued") or d.dates.get("adopted") or d.dates.get("delivered") or ""
        table.add_row(
            d.id,
            escape(d.doc_type or ""),
            escape(d.title),
            escape(d.doc_number or ""),
            date,
            f"{escape(d.source.file)}:{d.source.start_line}-{d.source.end_line}",
        )
    out.print(table)
    out.print(f"{len(docs)} documents")


def _level(doc: Document) -> str | None:
    from gongbao.link.level import legal_level

    return legal_level(doc.issuer, doc.doc_type, doc.title, doc.inner_title)


def _summary(d: Document) -> dict:
    data = d.to_dict()
    data.pop("provisions")
    data["level"] = _level(d)  # 效力级别, as in the export
    return data


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id (or a unique part of its title).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the document as JSON (the export form).")] = False,
    format: Annotated[
        str | None, typer.Option("--format", help="akn, docx, md or txt: the document in that format.")
    ] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the --format file here.")] = None,
    db: DbOption = None,
) -> None:
    """Show one document: metadata and outline, or the document as Akoma Ntoso, Word, Markdown or plain text."""
    from gongbao.export import DOCUMENT_FORMATS, document_file

    if format is not None and format not in DOCUMENT_FORMATS:
        err.print(f"[red]error:[/red] unknown format {escape(format)!r} (available: {', '.join(DOCUMENT_FORMATS)})")
        raise typer.Exit(2)
    with _open(db) as store:
        doc = find_document(store, doc_id)
        if format is not None:
            _write_bytes(document_file(store, doc, format).content, out_file)
            return
        status = store.status_of(doc.id)
        relations = store.relations_of(doc.id)
    if as_json:
        data = doc.to_dict()
        data["status"] = status.to_dict() if status else None  # as in the export
        print(json_text(data, indent=1))
        return
    print_outline(doc, status=status, relations=relations)


def print_outline(doc: Document, max_text: int = 36, status=None, relations: dict | None = None) -> None:
    out.print(f"[bold]{escape(doc.title)}[/bold]")
    if doc.inner_title:
        out.print(f"  印发: 《{escape(doc.inner_title)}》")
    for key, value in (
        ("id", doc.id),
        ("type", doc.doc_type),
        ("issuer", doc.issuer),
        ("文号", doc.doc_number),
        ("dates", ", ".join(f"{k} {v}" for k, v in doc.dates.items())),
        ("source", _where(doc.source.file, doc.source.start_line, doc.source.end_line, doc.source)),
        ("status", f"{status.status} ({status.reason})" if status else None),
        ("level", _level(doc)),
    ):
        if value:
            out.print(f"  {key:7} {escape(str(value))}")
    for side, arrow in (("outgoing", "→"), ("incoming", "←")):
        for r in (relations or {}).get(side, []):
            where = r["document_id"] or "not in the corpus"
            out.print(f"  {r['type']:11} {arrow} {escape(r['title'] or '')}  [dim]{where}[/dim]")
    depth = {None: 0}
    for p in doc.provisions:
        depth[p.id] = depth.get(p.parent, 0) + 1
        if p.kind in ("paragraph", "item", "subitem", "block"):
            continue
        indent = "  " * depth[p.id]
        head = " ".join(x for x in (p.label, p.heading or "") if x)
        body = p.text.replace("\n", " ")
        snippet = body[:max_text] + ("…" if len(body) > max_text else "")
        where = f"p. {p.page} L{p.start_line}" if p.page is not None else f"L{p.start_line}"
        out.print(f"{indent}{escape(head)}  [dim]{escape(snippet)}[/dim]  [dim]{where}[/dim]")


def _where(file: str, start: int, end: int, paged: object = None) -> str:
    """ "file lines 13-658", with the pages where the source is a PDF: "file pp. 3–5, lines 13-658"."""
    pages = page_label(getattr(paged, "page", None), getattr(paged, "end_page", None))
    return f"{file} {pages}, lines {start}-{end}" if pages else f"{file} lines {start}-{end}"


@app.command()
def stats(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Counts of sources, documents, laws and provisions."""
    with _open(db) as store:
        data = store.stats()
        data["files"] = store.sources()
    if as_json:
        print(json_text(data, indent=1))
        return
    out.print(
        f"{data['sources']} sources, {data['documents']} documents ({data['laws']} with articles), "
        f"{data['provisions']} provisions"
    )
    table = Table("file", "documents", "laws", "lines", "encoding")
    for f in data["files"]:
        table.add_row(escape(f["file"]), str(f["documents"]), str(f["laws"]), str(f["line_count"]), f["encoding"])
    out.print(table)
    out.print("by type: " + ", ".join(f"{escape(k)} {v}" for k, v in data["documents_by_type"].items()))
    out.print("provisions by kind: " + ", ".join(f"{k} {v}" for k, v in data["provisions_by_kind"].items()))


@app.command()
def check(db: DbOption = None) -> None:
    """Quality checks that need no ground truth; exits non-zero when any error is found."""
    from gongbao.check import check_store

    with _open(db) as store:
        damage = store.integrity(quick=False)
        for line in damage:
            err.print(f"error: {escape(store.location)}: {escape(line)}")
        if damage:  # the content checks below would read the damaged tables
            err.print("the database is damaged: restore a backup, or ingest the files again into a new database")
            raise typer.Exit(1)
        findings = check_store(store)
        n_docs = store.count("documents")
    errors = [f for f in findings if f.level == "error"]
    for f in findings:
        (err if f.level == "error" else out).print(escape(str(f)))
    out.print(f"checked {n_docs} documents: {len(errors)} errors, {len(findings) - len(errors)} warnings")
    if errors:
        raise typer.Exit(1)


def _year_range(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    m = re.fullmatch(r"\s*(\d{4})?\s*(?:[-–~至]\s*(\d{4})?)?\s*", text)
    if not m or not (m.group(1) or m.group(2)):
        err.print(f"[red]error:[/red] --year wants YYYY or YYYY-YYYY, not {escape(text)!r}")
        raise typer.Exit(2)
    first, last = m.group(1), m.group(2)
    if "-" not in text and "–" not in text and "~" not in text and "至" not in text:
        last = first
    return (int(first) if first else None), (int(last) if last else None)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Words, a "quoted phrase", or a question in plain Chinese.')],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the hits as JSON (the contract of DESIGN.md §3).")
    ] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the hits as CSV (UTF-8, a header row).")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100, help="How many hits.")] = 10,
    doc_type: Annotated[str | None, typer.Option("--type", help="Only this document type (条例, 通知 …).")] = None,
    issuer: Annotated[str | None, typer.Option(help="Only documents whose issuer or title contains this.")] = None,
    year: Annotated[str | None, typer.Option(help="Year or range: 2022 or 2021-2023.")] = None,
    file: Annotated[str | None, typer.Option(help="Only this source file.")] = None,
    laws: Annotated[
        bool | None, typer.Option("--laws/--no-laws", help="Only texts with (or without) articles.")
    ] = None,
    collapse: Annotated[bool, typer.Option(help="At most one hit per document.")] = False,
    in_force: Annotated[bool, typer.Option("--in-force", help="Only texts in force on the day (--as-of).")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day validity is judged on (YYYY-MM-DD; default today).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Find the provisions that answer a query, best first, with citation, snippet, validity and source lines."""
    from gongbao.cli.graph import _as_of
    from gongbao.search.engine import Filters, search

    first, last = _year_range(year)
    filters = Filters(doc_type=doc_type, issuer=issuer, year_from=first, year_to=last, file=file, has_articles=laws)
    day = _as_of(as_of)
    with _open(db) as store:
        result = search(store, query, limit=limit, filters=filters, collapse=collapse, in_force=in_force, as_of=day)
    if as_csv:
        from gongbao.cli.terminal import csv_rows
        from gongbao.export.tables import HIT_FIELDS, hit_rows, to_csv

        sys.stdout.write(to_csv(csv_rows(hit_rows(h.to_dict() for h in result.hits)), HIT_FIELDS))
        return
    if as_json:
        print(json_text([h.to_dict() for h in result.hits], indent=1))
        for note in result.notes:
            err.print(f"note: {escape(note)}")
        return
    for note in result.notes:
        err.print(f"[yellow]note:[/yellow] {escape(note)}")
    if not result.hits:
        searched = f" (searched: {escape(' '.join(result.terms))})" if result.terms else ""
        out.print(f"no provision matches {escape(repr(result.query))}{searched}")
        return
    for n, h in enumerate(result.hits, 1):
        cite = h.focus["citation"] if h.focus else h.citation
        snippet = re.sub(
            r"\*\*(.+?)\*\*", lambda m: f"[bold yellow]{escape(m.group(1))}[/bold yellow]", escape(h.snippet)
        )
        status = f"  [cyan]{escape(h.status)}[/cyan]" if h.status else ""
        out.print(f"[bold]{n}. {escape(cite)}[/bold]{status}  [dim]{escape(h.doc_type or '')} {h.date or ''}[/dim]")
        out.print(f"   {snippet}")
        out.print(
            f"   [dim]{escape(h.source['file'])}:{h.source['start_line']}-{h.source['end_line']}"
            f"{' p. ' + str(h.source['page']) if h.source.get('page') else ''}  "
            f"score {h.score:.3f}[/dim]"
        )
    out.print(f"[dim]{result.total} matching provisions; searched: {escape(' '.join(result.terms))}[/dim]")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Server processes (each with its own connections and caches).")
    ] = 1,
    cors: Annotated[
        str | None,
        typer.Option("--cors", metavar="ORIGIN", help="Let browser scripts from ORIGIN (comma-separated, or *) GET."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the web pages and the HTTP API (read-only) over the database; one log line per request."""
    import logging

    from gongbao.web import server  # the web stack is imported only here, so that the other commands start fast
    from gongbao.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    reader = _open(db)  # a missing database is an error here too (not a corpus built on the spot)
    reader.close()
    target = str(db or default_db_path())
    try:
        if cors is not None:  # the worker processes build their app from the environment
            os.environ["GONGBAO_CORS"] = cors
        web_app = create_app(target, cors) if workers == 1 else None
    except StoreError as e:
        err.print(f"[red]error:[/red] {escape(str(e))}")
        raise typer.Exit(2) from None
    shown = f"[{host}]" if ":" in host else host
    err.print(f"gongbao: serving {escape(reader.location)} at http://{shown}:{port}/  (Ctrl-C stops)")
    if web_app is None:
        server.run_workers(target, host, port, workers)
    else:
        server.run(web_app, host=host, port=port)  # uvicorn with bounded request heads; the app logs each request


def main() -> None:
    app()


from gongbao.cli import graph as cli_graph  # noqa: E402, F401  (registers refs, cited-by, status, duties, figures on app)
