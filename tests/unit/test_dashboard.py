"""The dashboard server: 127.0.0.1 only, the page only under its token, read-only."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from assistant.app.dashboard import DashboardServer
from assistant.errors import JournalError

PAGE = "<!DOCTYPE html><title>t</title><svg></svg>"


@pytest.fixture
def server() -> Iterator[DashboardServer]:
    calls: list[int] = []

    def render() -> str:
        calls.append(1)
        if len(calls) > 3:
            raise JournalError(path="/x/journal.sqlite3", problem="gone")
        return PAGE

    served = DashboardServer(render, forbidden="privé", read_only="alleen lezen",
                             failed=lambda exc: "kapot", policy="default-src 'none'")
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    served.server_close()


def fetch(url: str, method: str = "GET") -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url, method=method, data=b"x" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (local)
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_binds_to_loopback_with_a_random_token(server: DashboardServer) -> None:
    assert server.server_address[0] == "127.0.0.1"
    assert len(server.token) >= 32
    other = DashboardServer(lambda: PAGE, forbidden="", read_only="", failed=str)
    try:
        assert other.token != server.token
    finally:
        other.server_close()


def test_the_page_is_served_under_its_token(server: DashboardServer) -> None:
    status, body, headers = fetch(server.url)
    assert status == 200 and body == PAGE
    assert headers["Content-Security-Policy"] == "default-src 'none'"
    assert headers["Cache-Control"] == "no-store"
    assert fetch(server.url.rstrip("/"))[0] == 200


def test_a_request_without_the_token_is_refused(server: DashboardServer) -> None:
    base = f"http://127.0.0.1:{server.server_port}"
    for path in ("/", "/index.html", "/favicon.ico", f"/{server.token[:-1]}/",
                 f"/{server.token}x/", f"/?token={server.token}", f"/{server.token}/../"):
        status, body, _ = fetch(base + path)
        assert (status, body) == (403, "privé"), path


def test_read_only(server: DashboardServer) -> None:
    for method in ("POST", "PUT", "DELETE"):
        status, body, headers = fetch(server.url, method)
        assert (status, body) == (405, "alleen lezen") and headers["Allow"] == "GET, HEAD", method


def test_a_journal_problem_is_a_plain_message(server: DashboardServer) -> None:
    for _ in range(3):
        assert fetch(server.url)[0] == 200
    status, body, _ = fetch(server.url)
    assert (status, body) == (500, "kapot")
