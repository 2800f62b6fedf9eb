"""Bounded load test of a Dhakira web server on this machine: throughput, p95 per page kind and errors.

N clients (threads; default 32) each loop for at most ``--duration`` seconds (60 at most) over a mix
of pages: search (Arabic and English words, with and without filters), record, incident, place, chronicle
and map pages. Half of the clients sign in first (``--user``/``--password``, the demo's reviewer by
default); the others stay anonymous. Each request opens its own connection (gunicorn's sync
workers close them anyway). Only loopback addresses are accepted as targets.

    # serve an archive (e.g. the demo: make demo, or dhakira --archive var/demo serve --workers 5), then:
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --clients 32 --duration 60
    # or let the script start `dhakira serve` on an archive directory and stop it at the end:
    .venv/bin/python bench/load.py --archive var/demo --clients 32 --duration 60 [--workers 5] [--dev]

The client threads share the two cores with the server, so the figures are a lower bound of what
the server alone would do.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

MAX_DURATION = 60
LOOPBACK = ("127.0.0.1", "localhost", "::1")
QUERIES = ["prison", "سجن", "Saydnaya", "صيدنايا", "hunger strike", "إضراب", "torture", "تعذيب", "detainees", "المعتقلين",
           "Hama", "حماة", "released", "الإفراج", "death in custody"]
FILTERS = ["", "&language=ar", "&language=en", "&sort=date", "&document_type=report"]
MIX = [("search", 5), ("record", 3), ("incident", 2), ("place", 2), ("chronicle", 1), ("map", 1)]


def fetch(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
          timeout: float = 30.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def sign_in(base: str, user: str, password: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, page = fetch(opener, base + "/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("no login form at " + base + "/login/")
    form = urllib.parse.urlencode({"username": user, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}).encode()
    status, _ = fetch(opener, base + "/login/", form, {"Referer": base + "/login/"})
    if not any(cookie.name == "sessionid" for cookie in jar):
        raise SystemExit(f"signing in as {user} failed (status {status})")
    return opener


def discover(base: str, opener: urllib.request.OpenerDirector) -> tuple[list[str], list[int]]:
    """Record codes and incident ids to visit, found through the JSON API as this client sees it."""
    codes: set[str] = set()
    incidents: set[int] = set()
    for query in QUERIES[:6]:
        _, body = fetch(opener, f"{base}/search?q={urllib.parse.quote(query)}&format=json&limit=50")
        try:
            codes.update(hit["code"] for hit in json.loads(body)["results"])
        except (ValueError, KeyError):
            pass
    _, body = fetch(opener, base + "/chronicle?format=json")
    try:
        chronicle = json.loads(body)
        months = [row["month"] for row in chronicle.get("months", [])][:6]
        for month in months:
            _, body = fetch(opener, f"{base}/chronicle?format=json&month={month}")
            for day in json.loads(body)["days"]:
                incidents.update(item["id"] for item in day["incidents"])
    except (ValueError, KeyError):
        pass
    return sorted(codes), sorted(incidents)


def page_url(kind: str, base: str, chooser: random.Random, codes: list[str], incidents: list[int], months: list[str],
             places: list[int]) -> str:
    if kind == "search" or (kind == "record" and not codes) or (kind == "incident" and not incidents) or (kind == "place" and not places):
        return f"{base}/search?q={urllib.parse.quote(chooser.choice(QUERIES))}{chooser.choice(FILTERS)}"
    if kind == "record":
        return f"{base}/records/{chooser.choice(codes)}"
    if kind == "incident":
        return f"{base}/incidents/{chooser.choice(incidents)}"
    if kind == "place":
        return f"{base}/places/{chooser.choice(places)}"
    if kind == "chronicle":
        return f"{base}/chronicle" + (f"?month={chooser.choice(months)}" if months and chooser.random() < 0.7 else "")
    return f"{base}/map"


def client(number: int, base: str, opener: urllib.request.OpenerDirector, who: str, found: dict[str, Any],
           start: threading.Barrier, clock: dict[str, float], timings: dict[tuple[str, str], list[float]],
           errors: dict[tuple[str, str], int], lock: threading.Lock) -> None:
    chooser = random.Random(number)
    kinds = [kind for kind, weight in MIX for _ in range(weight)]
    start.wait()
    while time.monotonic() < clock["stop_at"]:
        kind = chooser.choice(kinds)
        url = page_url(kind, base, chooser, found["codes"], found["incidents"], found["months"], found["places"])
        started = time.perf_counter()
        try:
            status, _ = fetch(opener, url, timeout=60)
            failed = status >= 500 or (status >= 400 and status != 404)
        except OSError:
            failed = True
        elapsed = time.perf_counter() - started
        with lock:
            timings[(kind, who)].append(elapsed)
            if failed:
                errors[(kind, who)] += 1


def prepare(base: str, args: argparse.Namespace) -> tuple[list[tuple[urllib.request.OpenerDirector, str]], dict[str, dict[str, Any]]]:
    """Sign half of the clients in and find, once per kind of visitor, the records and incidents it may visit."""
    openers = [(sign_in(base, args.user, args.password), "signed_in") if number % 2 else (urllib.request.build_opener(), "anonymous")
               for number in range(args.clients)]
    found: dict[str, dict[str, Any]] = {}
    for opener, who in openers[:2]:
        codes, incidents = discover(base, opener)
        try:
            months = [row["month"] for row in json.loads(fetch(opener, base + "/chronicle?format=json")[1]).get("months", [])]
        except ValueError:
            months = []
        try:
            places = [row["id"] for row in json.loads(fetch(opener, base + "/places?format=json")[1]).get("results", [])]
        except ValueError:
            places = []
        found[who] = {"codes": codes, "incidents": incidents, "months": months, "places": places}
    return openers, found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else 0.0


def start_server(args: argparse.Namespace) -> tuple[str, subprocess.Popen[bytes]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = shutil.which("dhakira", path=str(Path(sys.executable).parent)) or "dhakira"
    serve = [command, "--archive", args.archive, "serve", "--port", str(port)]
    serve += ["--dev"] if args.dev else (["--workers", str(args.workers)] if args.workers else [])
    process = subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            return base, process
        except OSError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="a server already running on this machine (loopback only)")
    target.add_argument("--archive", help="start `dhakira serve` on this archive directory for the test")
    parser.add_argument("--workers", type=int, help="web worker processes when --archive starts the server")
    parser.add_argument("--dev", action="store_true", help="start the development server instead (for comparison)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--user", default="reviewer")
    parser.add_argument("--password", default="reviewer-demo")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not 1 <= args.clients <= 64:
        parser.error("--clients must be between 1 and 64")
    duration = min(args.duration, MAX_DURATION)
    process = None
    if args.url:
        host = urllib.parse.urlparse(args.url).hostname or ""
        if host not in LOOPBACK and not host.startswith("127."):
            parser.error("the load test only targets servers on this machine (127.0.0.1, localhost)")
        base = args.url.rstrip("/")
    else:
        base, process = start_server(args)
    timings: dict[tuple[str, str], list[float]] = defaultdict(list)
    errors: dict[tuple[str, str], int] = defaultdict(int)
    lock = threading.Lock()
    try:
        openers, found = prepare(base, args)
        start = threading.Barrier(args.clients + 1)
        clock: dict[str, float] = {}
        threads = [threading.Thread(target=client, args=(number, base, opener, who, found[who], start, clock, timings, errors, lock))
                   for number, (opener, who) in enumerate(openers)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        clock["stop_at"] = started + duration
        start.wait()
        for thread in threads:
            thread.join(timeout=duration + 120)
        wall = time.monotonic() - started
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    rows: list[dict[str, Any]] = []
    for kind, _ in MIX:
        for who in ("anonymous", "signed_in"):
            values = timings.get((kind, who), [])
            rows.append({"page": kind, "who": who, "requests": len(values), "errors": errors.get((kind, who), 0),
                         "p50_ms": round(percentile(values, 0.5) * 1000, 1), "p95_ms": round(percentile(values, 0.95) * 1000, 1)})
    total = sum(row["requests"] for row in rows)
    result = {"clients": args.clients, "duration_s": round(wall, 1), "requests": total,
              "throughput_per_s": round(total / wall, 1) if wall else 0.0, "errors": sum(row["errors"] for row in rows),
              "pages": rows, "server": "development" if args.dev else "production"}
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['server']} server, {args.clients} clients, {result['duration_s']} s: {total} requests, "
          f"{result['throughput_per_s']}/s, {result['errors']} errors")
    print(f"{'page':10} {'who':10} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        print(f"{row['page']:10} {row['who']:10} {row['requests']:8d} {row['errors']:6d} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
