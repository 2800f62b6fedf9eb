"""Safe URL fetching against a real HTTP server on 127.0.0.1 (no other address is ever contacted)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dhakira.ingest import IngestError
from dhakira.ingest import fetch as fetch_module
from dhakira.ingest.fetch import fetch_url, is_public_address

PAGE = b"<html><body><p>Detainees were moved from Adra.</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        port = self.server.server_address[1]  # type: ignore[index]
        routes = {
            "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
            "/to-page": (302, {"Location": "/page"}, b""),
            "/to-ip": (302, {"Location": f"http://127.0.0.1:{port}/page"}, b""),
            "/to-metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
            "/loop": (302, {"Location": "/loop"}, b""),
            "/missing": (404, {}, b"no"),
            "/big": (200, {"Content-Length": "5000000"}, b"x" * 100),
        }
        if self.path == "/stream":
            self.send_response(200)
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"y" * 10_000)
            return
        if self.path == "/trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.1)
            return
        status, headers, body = routes.get(self.path, (404, {}, b""))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(fetch_module.socket, "create_connection", refuse)


def test_loopback_is_refused_by_default(server: int) -> None:
    with pytest.raises(IngestError, match="refused URL"):
        fetch_url(f"http://127.0.0.1:{server}/page")


def test_allowed_host_is_fetched(server: int) -> None:
    fetched = fetch_url(f"http://127.0.0.1:{server}/page", allow_hosts={"127.0.0.1"}, timeout=5)
    assert fetched.data == PAGE
    assert fetched.content_type == "text/html; charset=utf-8"
    assert fetched.final_url == f"http://127.0.0.1:{server}/page"
    assert fetched.fetched_at.tzinfo is not None


def test_redirects_are_followed_and_reported(server: int) -> None:
    fetched = fetch_url(f"http://127.0.0.1:{server}/to-page", allow_hosts={"127.0.0.1"}, timeout=5)
    assert fetched.data == PAGE and fetched.final_url.endswith("/page")


def test_redirect_to_a_host_that_is_not_allowed_is_refused(server: int) -> None:
    # «localhost» is allowed; the redirect goes to 127.0.0.1, which is not: every hop is checked.
    with pytest.raises(IngestError, match="refused URL: host '127.0.0.1'"):
        fetch_url(f"http://localhost:{server}/to-ip", allow_hosts={"localhost"}, timeout=5)
    assert fetch_url(f"http://localhost:{server}/to-page", allow_hosts={"localhost"}, timeout=5).data == PAGE


def test_redirect_to_cloud_metadata_is_refused(server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(IngestError, match="169.254.169.254"):
        fetch_url(f"http://127.0.0.1:{server}/to-metadata", allow_hosts={"127.0.0.1"}, timeout=5)


def test_redirect_loop_stops(server: int) -> None:
    with pytest.raises(IngestError, match="redirects"):
        fetch_url(f"http://127.0.0.1:{server}/loop", allow_hosts={"127.0.0.1"}, timeout=5)


def test_http_error_status(server: int) -> None:
    with pytest.raises(IngestError, match="404"):
        fetch_url(f"http://127.0.0.1:{server}/missing", allow_hosts={"127.0.0.1"}, timeout=5)


def test_size_cap_from_the_header(server: int) -> None:
    with pytest.raises(IngestError, match="limit"):
        fetch_url(f"http://127.0.0.1:{server}/big", allow_hosts={"127.0.0.1"}, max_bytes=1000, timeout=5)


def test_size_cap_while_streaming(server: int) -> None:
    with pytest.raises(IngestError, match="limit"):
        fetch_url(f"http://127.0.0.1:{server}/stream", allow_hosts={"127.0.0.1"}, max_bytes=50_000, timeout=5)


def test_server_that_never_answers_times_out() -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection at the kernel level, never sends a byte
    try:
        started = time.monotonic()
        with pytest.raises(IngestError, match="timed out"):
            fetch_url(f"http://127.0.0.1:{listener.getsockname()[1]}/", allow_hosts={"127.0.0.1"}, timeout=0.5)
        assert time.monotonic() - started < 3
    finally:
        listener.close()


def test_trickling_server_hits_the_overall_timeout(server: int) -> None:
    started = time.monotonic()
    with pytest.raises(IngestError, match="timed out"):
        fetch_url(f"http://127.0.0.1:{server}/trickle", allow_hosts={"127.0.0.1"}, timeout=0.8)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/", "http://127.8.9.10:8080/x", "http://[::1]/", "http://0.0.0.0/", "http://10.1.2.3/",
        "http://172.16.5.4/", "http://192.168.1.1/admin", "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/", "http://[fe80::1]/", "http://224.0.0.1/", "http://100.64.0.1/",
        "http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://240.0.0.1/",
        "http://localhost/",
    ],
)
def test_private_loopback_link_local_and_metadata_addresses_are_refused(url: str, no_connections: None) -> None:
    with pytest.raises(IngestError, match="refused URL"):
        fetch_url(url, timeout=1)


def test_a_name_resolving_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, no_connections: None
) -> None:
    monkeypatch.setattr(
        fetch_module.socket, "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.20.30.40", 80))],
    )
    with pytest.raises(IngestError, match="10.20.30.40"):
        fetch_url("http://archive.example.test/record/1", timeout=1)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.test/x", "gopher://x/", "http:///nohost"])
def test_other_schemes_and_malformed_urls_are_refused(url: str, no_connections: None) -> None:
    with pytest.raises(IngestError, match="refused URL"):
        fetch_url(url, timeout=1)


def test_public_address_check() -> None:
    import ipaddress

    assert is_public_address(ipaddress.ip_address("8.8.8.8"))
    assert is_public_address(ipaddress.ip_address("2606:4700::1111"))
    assert not is_public_address(ipaddress.ip_address("169.254.169.254"))
    assert not is_public_address(ipaddress.ip_address("fd00:ec2::254"))


def test_read_url_gives_a_document_with_its_provenance(server: int) -> None:
    from dhakira.ingest.fetch import read_url

    document = read_url(f"http://127.0.0.1:{server}/to-page", allow_hosts={"127.0.0.1"}, timeout=5)
    assert document.text == "Detainees were moved from Adra."
    assert document.source_url == f"http://127.0.0.1:{server}/page"
    assert document.media_type == "text/html"
    assert document.fields["fetched_at"].endswith("+00:00")
