"""``dhakira serve`` in production: gunicorn worker processes, static files through whitenoise, many clients at once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from tests.web.test_cli import dhakira, environment, run  # noqa: F401 - the fixture is used by name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def production_server(env: dict[str, str], archive: Path, *, workers: int = 2) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``dhakira serve`` on a free loopback port; yields its address once it answers, stops it afterwards."""
    port = free_port()
    process = subprocess.Popen([*dhakira(), "--archive", str(archive), "serve", "--port", str(port), "--workers", str(workers)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(address + "/", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"dhakira serve did not start: {process.stderr.read().decode() if process.stderr else ''}") from None
                time.sleep(0.3)
        yield address, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def workers_of(process: subprocess.Popen[bytes]) -> int:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return len(children)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_serve_runs_gunicorn_workers_and_whitenoise(tmp_path: Path, environment: dict[str, str]) -> None:  # noqa: F811
    archive = tmp_path / "archive"
    built = run(environment, archive, "demo", "--no-serve")
    assert built.returncode == 0, built.stderr
    with production_server(environment, archive, workers=3) as (address, process):
        deadline = time.monotonic() + 60  # the first worker may answer before the last one is forked
        while workers_of(process) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert workers_of(process) == 3
        status, headers, body = get(address + "/static/archive/dhakira.css")
        assert status == 200 and headers["Server"].startswith("gunicorn") and b"{" in body
        assert "max-age" in headers["Cache-Control"]
        status, _, page = get(address + "/")
        assert status == 200 and b"/static/archive/dhakira.css" in page
        # Many clients at once: every request answered, every answer whole.
        urls = [address + path for path in ("/", "/search?q=prison", "/search?q=%D8%B3%D8%AC%D9%86", "/chronicle", "/map",
                                             "/search?q=Saydnaya&format=json")] * 8
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(get, urls))
        assert [status for status, _, _ in answers] == [200] * len(urls)
        assert all(body.rstrip().endswith((b"</html>", b"}")) for _, _, body in answers)
        assert process.poll() is None
