"""``adempauze dashboard``: the report page served on this machine, for a kiosk screen.

The stdlib ``http.server`` listens on 127.0.0.1 only. The page lives under a random
token (``http://127.0.0.1:PORT/TOKEN/``) printed at start; any other path, or a request
without the token, is refused (403). It is read-only: GET and HEAD only, and the
journal is opened read-only for every request, so the page is always current and a
conversation running at the same time is never disturbed. Requests are not logged:
the URL holds the token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import signal
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import click

from assistant.errors import AdempauzeError

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
TOKEN_BYTES = 24


class DashboardServer(ThreadingHTTPServer):
    """Serves ``render()`` at ``/TOKEN/``; nothing else."""

    daemon_threads = True

    def __init__(self, render: Callable[[], str], *, forbidden: str, read_only: str,
                 failed: Callable[[AdempauzeError], str], port: int = 0,
                 token: str | None = None, policy: str = "default-src 'none'") -> None:
        self.render = render
        self.token = token or secrets.token_urlsafe(TOKEN_BYTES)
        self.forbidden = forbidden
        self.read_only = read_only
        self.failed = failed
        self.policy = policy
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_port}/{self.token}/"

    def allows(self, target: str) -> bool:
        """The request target is the page: ``/TOKEN/`` (or ``/TOKEN``), any query ignored."""
        path = urlsplit(target).path.rstrip("/")
        return hmac.compare_digest(path.encode(), f"/{self.token}".encode())


class _Handler(BaseHTTPRequestHandler):
    server: DashboardServer
    server_version = "adempauze"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (the http.server naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def _refuse_write(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, self.server.read_only, True,
                   extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _refuse_write  # noqa: N815

    def _answer(self, *, with_body: bool) -> None:
        if not self.server.allows(self.path):
            self._send(HTTPStatus.FORBIDDEN, self.server.forbidden, with_body)
            return
        try:
            page = self.server.render()
        except AdempauzeError as exc:
            log.error("the dashboard page failed: %s", type(exc).__name__)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, self.server.failed(exc), with_body)
            return
        self._send(HTTPStatus.OK, page, with_body, html=True)

    def _send(self, status: HTTPStatus, text: str, with_body: bool, *, html: bool = False,
              extra: dict[str, str] | None = None) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", ("text/html" if html else "text/plain") +
                         "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", self.server.policy)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Nothing is logged: the request line holds the token."""


@click.command()
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--weeks", type=click.IntRange(min=1, max=52), default=4, show_default=True,
              help="How many weeks the page shows, up to today.")
def dashboard(port: int, weeks: int) -> None:
    """Serve your report page on this machine only (a kiosk screen), read-only."""
    from assistant.app.journal_commands import report_html
    from assistant.app.settings import load_settings
    from assistant.clock import now
    from assistant.journal.report import CONTENT_POLICY
    from assistant.journal.store import Journal
    from assistant.messages import Messages

    settings = load_settings()
    messages = Messages.load()
    texts = messages.insights.cli
    Journal.open(settings.journal_path, now=now(), shared=True).close()  # create or migrate
    report_html(settings, weeks, now().date(), read_only=True)  # fail now, not per request
    try:
        server = DashboardServer(
            lambda: report_html(settings, weeks, now().date(), read_only=True),
            forbidden=texts.dashboard_forbidden, read_only=texts.dashboard_read_only,
            failed=lambda exc: messages.error(exc.key, exc.params), port=port,
            policy=CONTENT_POLICY)
    except OSError as exc:
        click.echo(texts.dashboard_unavailable.format(port=port, problem=exc.strerror or exc),
                   err=True)
        raise SystemExit(2) from exc
    click.echo(texts.dashboard_url.format(url=server.url))
    # Ctrl-C and a service manager's SIGTERM end it, also when started with SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
