"""The HTTP server around the app (uvicorn with httptools), with the bounds the app cannot set itself: the request
line and headers of one request are at most MAX_HEAD_BYTES (a 50 MB header is refused with 431 as it arrives,
before it is buffered whole), and the responses uvicorn writes on its own (400 for a malformed request, 431) carry
the same security headers as the app's."""

from __future__ import annotations

import os
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 64 * 1024  # request line + headers; browsers send about 1 KB, large cookies 8 KB


def security_header_lines() -> bytes:
    from gongbao.web.app import SECURITY_HEADERS

    return b"".join(f"{k}: {v}\r\n".encode("latin-1") for k, v in SECURITY_HEADERS.items())


class BoundedHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol, counting the bytes of each request's head as they come in."""

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        self._head_bytes = 0
        self._in_head = True
        self._refused = False
        super().connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._refuse(431, b"Request Header Fields Too Large", "request line and headers too large")
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes = True, 0  # the next request on this connection

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, b"Bad Request", msg)

    def _refuse(self, status: int, reason: bytes, message: str) -> None:
        self._refused = True
        body = message.encode("ascii", "replace")
        head = b"HTTP/1.1 %d %s\r\n" % (status, reason)
        head += security_header_lines()
        head += b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\nconnection: close\r\n\r\n" % len(
            body
        )
        self.transport.write(head + body)
        self.transport.close()


def config(app: Any, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's configuration for the app: the bounded protocol, no access log of its own (the app logs)."""
    return uvicorn.Config(
        app, host=host, port=port, http=BoundedHttpTools, access_log=False, log_level="warning", **options
    )


def run(app: Any, host: str, port: int) -> None:
    uvicorn.Server(config(app, host, port)).run()


LOG_CONFIG = {  # one line per request (the app's own access log) on standard error, in every worker process
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(message)s", "datefmt": "%H:%M:%S"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
    "loggers": {"gongbao": {"handlers": ["stderr"], "level": "INFO"}},
}


def run_workers(target: str, host: str, port: int, workers: int) -> None:
    """`workers` server processes on one socket; each builds the app over the database named in GONGBAO_DB (its
    own connections, caches and search threads)."""
    os.environ["GONGBAO_DB"] = target
    uvicorn.run(
        "gongbao.web.app:create_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        http=BoundedHttpTools,
        access_log=False,
        log_level="warning",
        log_config=LOG_CONFIG,
    )
