"""Helpers of the web tests (no expected values live here): a database built from gazette files, the app served
by uvicorn on a free loopback port in a background thread, and Debian's chromium driven by playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from gongbao.ingest import ingest_paths
from gongbao.store import open_corpus

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts" / "screenshots"  # /artifacts/ is git-ignored
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def build_db(target: Path | str, files: Iterable[Path]) -> Path | str:
    """A database at `target` (a path or a postgresql:// address) holding the given gazette files; fails the test
    if any file was not ingested."""
    with open_corpus(target) as store:
        report = ingest_paths(store, list(files))
    assert not report.errors, report.errors
    return target


@contextmanager
def serve(db: Path | str) -> Iterator[str]:
    """The gongbao app over `db`, served by uvicorn on a free 127.0.0.1 port; yields the base URL."""
    import uvicorn

    from gongbao.web import server as web_server
    from gongbao.web.app import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(web_server.config(create_app(db), "127.0.0.1", port, lifespan="on"))  # as `gongbao serve`
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def require_chromium() -> None:
    """Skip (with the reason) when the browser tests cannot run here."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium is not installed at {CHROMIUM} (make test installs it with apt-get)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@contextmanager
def browser() -> Iterator[object]:
    """A headless chromium (playwright sync API), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def screenshot(page, name: str, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
