"""Ingestion throughput: generate N originals, read them with ``read_many``, print the figures.

    .venv/bin/python bench/ingest.py [--count 2000] [--workers 2] [--corpus synthetic|mixed] [--archive] [--json] [--keep DIR]

``--corpus synthetic`` (the default) is the corpus with known facts of ``dhakira.synthetic``: Arabic and
English reports of 1-8 KB on incidents at the knowledge base's facilities, several reports per incident.
``--corpus mixed`` makes files of every format: English and Arabic plain text in UTF-8, UTF-16,
Windows-1256 and ISO-8859-6, HTML pages with site chrome (Wix-style and news pages with cookie banners),
small PDFs (written byte by byte) and a few DOCX files, then times one run per format too.
With ``--archive`` the same files go through ``dhakira ingest`` into a new SQLite archive in the same run:
its files/s, its share of the reading throughput, the CPU time it took a file (the writing process and its workers
together: less dependent on what else the machine runs than files/s), its peak memory and the load average are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dhakira.documents import Document  # noqa: E402
from dhakira.ingest.batch import Source, read_many  # noqa: E402
from tests.ingest.ingest_makers import make_docx, make_pdf  # noqa: E402  (the writers the tests use)

EN_WORDS = (
    "detainees prison guards families court military branch hunger strike released transferred torture visit "
    "lawyer report witnesses cell night morning security forces central wing sentence hospital names relatives "
    "documented missing statement demanded immediate access committee"
).split()
AR_WORDS = (
    "المعتقلين السجن الحراس الأهالي المحكمة العسكرية الفرع الإضراب عن الطعام أفرج نقل التعذيب زيارة المحامي "
    "تقرير الشهود الزنزانة ليلا صباحا قوات الأمن المركزي الجناح الحكم المستشفى أسماء ذوي وثقت المفقودين بيان "
    "طالب الفوري اللجنة في من على إلى"
).split()
ENCODINGS = ("utf-8", "utf-16", "cp1256", "iso-8859-6")


def _sentence(rng: random.Random, words: list[str], length: int) -> str:
    return " ".join(rng.choice(words) for _ in range(length)).capitalize() + "."


def _body(rng: random.Random, arabic: bool, paragraphs: int) -> list[str]:
    words = AR_WORDS if arabic else EN_WORDS
    return [" ".join(_sentence(rng, words, rng.randint(8, 20)) for _ in range(rng.randint(2, 6)))
            for _ in range(paragraphs)]


def _html(rng: random.Random, arabic: bool, title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    if rng.random() < 0.5:
        page = (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Press | Site</title>'
            f'<meta property="og:title" content="{title}"><script>var tracking = 1;</script></head><body>'
            f'<a id="SKIP_TO_CONTENT_BTN" href="#c">Skip to Main Content</a><span>top of page</span>'
            f"<header><nav><a href='/'>Home</a><a href='/about'>About</a></nav></header><main id='c'>"
            f"<h1>{title}</h1><p>March 3rd 2019</p>{body}<div class='share'>Share on Facebook</div></main>"
            f"<footer><p>Subscribe to our newsletter</p><p>© 2023 by Site. Proudly created with Wix.com</p></footer>"
            f"<span>bottom of page</span></body></html>"
        )
    else:
        direction = ' dir="rtl" lang="ar"' if arabic else ' lang="en"'
        page = (
            f'<!doctype html><html{direction}><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2021-07-14T09:30:00Z"></head><body>'
            f'<div class="cookie-banner"><p>We use cookies to improve your experience.</p><button>Accept</button></div>'
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright 2024. All rights reserved.</footer></body></html>"
        )
    return page.encode("utf-8")


def generate(folder: Path, count: int, seed: int = 7) -> dict[Path, str]:
    """Write ``count`` files; returns their format labels."""
    rng = random.Random(seed)
    formats: dict[Path, str] = {}
    for index in range(count):
        arabic = rng.random() < 0.5
        paragraphs = _body(rng, arabic, rng.randint(3, 12))
        title = _sentence(rng, AR_WORDS if arabic else EN_WORDS, 6).rstrip(".")
        roll = rng.random()
        if roll < 0.40:
            encoding = rng.choice(ENCODINGS) if arabic else rng.choice(("utf-8", "utf-16"))
            path = folder / f"{index:05d}.txt"
            path.write_bytes("\n\n".join([title, *paragraphs]).encode(encoding))
            label = f"text-{encoding}"
        elif roll < 0.75:
            path = folder / f"{index:05d}.html"
            path.write_bytes(_html(rng, arabic, title, paragraphs))
            label = "html"
        elif roll < 0.95:
            path = folder / f"{index:05d}.pdf"
            english = _body(rng, False, rng.randint(2, 5))
            lines = [title if not arabic else "Report"] + [
                chunk for text in english for chunk in (text[i:i + 90] for i in range(0, len(text), 90))
            ]
            path.write_bytes(make_pdf([lines[:55]], font_size=10))
            label = "pdf"
        else:
            path = folder / f"{index:05d}.docx"
            path.write_bytes(make_docx(paragraphs, heading=title))
            label = "docx"
        formats[path] = label
    return formats


def run(paths: list[Path], workers: int) -> dict[str, float]:
    started = time.perf_counter()
    documents = errors = 0
    for _, result in read_many([Source(path) for path in paths], workers=workers):
        if isinstance(result, Document):
            documents += 1
        else:
            errors += 1
    seconds = time.perf_counter() - started
    size = sum(path.stat().st_size for path in paths)
    return {
        "files": len(paths),
        "documents": documents,
        "errors": errors,
        "megabytes": round(size / 1e6, 3),
        "seconds": round(seconds, 3),
        "files_per_second": round(len(paths) / seconds, 1) if seconds else 0.0,
        "megabytes_per_second": round(size / 1e6 / seconds, 3) if seconds else 0.0,
    }


def latency(paths: list[Path], sample: int = 60) -> dict[str, float]:
    """Per-file time in this one process (after one warm-up read): median and 95th percentile, ms."""
    from dhakira.ingest import IngestError, read_path

    chosen = paths[:sample]
    if not chosen:
        return {}
    try:
        read_path(chosen[0])
    except IngestError:
        pass
    times = []
    for path in chosen:
        started = time.perf_counter()
        try:
            read_path(path)
        except IngestError:
            pass
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"median_ms": round(times[len(times) // 2], 2), "p95_ms": round(times[int(len(times) * 0.95) - 1], 2)}


def archive_run(folder: Path, paths: list[Path], workers: int, profile: Path | None = None) -> dict[str, float]:
    """Time ``dhakira ingest`` into a new archive, in a subprocess, and read its JSON report.

    Peak memory is the largest resident size of the writing process or of a worker process it started.
    """
    import resource
    import subprocess

    archive = Path(tempfile.mkdtemp(prefix="dhakira-bench-archive-"))
    report = archive / "report.json"
    profiling = ["-m", "cProfile", "-o", str(profile)] if profile else []
    command = [sys.executable, *profiling, "-m", "dhakira_web.cli", "--archive", str(archive / "a"), "ingest",
               str(folder), "-q", "--workers", str(workers), "--report", str(report)]
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DHAKIRA_", "DJANGO_"))}
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with (archive / "stderr.txt").open("w+", encoding="utf-8") as errors:
        with subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=errors) as process:
            writer = _writer_cpu(process)
        errors.seek(0)
        stderr = errors.read()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)  # the writer and its workers
    if not report.exists():
        raise SystemExit(f"dhakira ingest failed:\n{stderr[-3000:]}")
    summary = json.loads(report.read_text())
    megabytes = sum(path.stat().st_size for path in paths) / 1e6
    database = sum(path.stat().st_size for path in (archive / "a").glob("*.sqlite3*")) / 1e6
    shutil.rmtree(archive, ignore_errors=True)
    return {"files": len(paths), "ingested": summary["ingested"], "failed": len(summary["failed"]),
            "seconds": round(seconds, 2), "files_per_second": round(len(paths) / seconds, 1),
            "megabytes_per_second": round(megabytes / seconds, 2),
            "cpu_ms_per_file": round(cpu * 1000 / len(paths), 1),
            "writer_cpu_ms_per_file": round(writer * 1000 / len(paths), 1),
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "database_mb": round(database, 1), "load_average_after": round(os.getloadavg()[0], 1)}


def _writer_cpu(process: Any) -> float:
    """CPU seconds of the writing process alone (not its workers), read from /proc until it ends (0 elsewhere)."""
    stat = Path(f"/proc/{process.pid}/stat")
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used = 0.0
    while process.poll() is None:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            used = (int(fields[11]) + int(fields[12])) / ticks  # utime and stime of the process itself
        except (OSError, IndexError, ValueError):
            pass
        time.sleep(0.2)
    return used


def synthetic(folder: Path, count: int, seed: int = 7) -> dict[Path, str]:
    """Write the synthetic corpus with known facts; returns each file with its language as its label."""
    from dhakira.synthetic import MANIFEST, write_corpus

    manifest = write_corpus(folder, count, seed=seed, manifest=folder.parent / f"{folder.name}-{MANIFEST}")
    rows = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]
    return {folder / row["file"]: f"synthetic-{row['language']}" for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    parser.add_argument("--corpus", choices=("synthetic", "mixed"), default="synthetic")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the `dhakira ingest` process here")
    parser.add_argument("--archive", action="store_true",
                        help="also time `dhakira ingest` of the same files into a fresh SQLite archive "
                             "(read, extract, keep originals, store claims, index, link)")
    arguments = parser.parse_args()
    folder = arguments.keep or Path(tempfile.mkdtemp(prefix="dhakira-bench-ingest-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        started = time.perf_counter()
        if arguments.corpus == "mixed":
            formats = generate(folder, arguments.count, arguments.seed)
        else:
            formats = synthetic(folder, arguments.count, arguments.seed)
        generated = time.perf_counter() - started
        paths = sorted(formats)
        figures: dict[str, object] = {
            "corpus": arguments.corpus,
            "workers": arguments.workers,
            "generated_seconds": round(generated, 2),
            "load_average_before": round(os.getloadavg()[0], 1),
            "mixed": run(paths, arguments.workers),
        }
        by_format: dict[str, dict[str, float]] = {}
        if arguments.corpus == "mixed":
            for label in sorted(set(formats.values())):
                group = [path for path in paths if formats[path] == label]
                by_format[label] = {**run(group, arguments.workers), **latency(group)}
        figures["by_format"] = by_format
        if arguments.archive:
            archive = archive_run(folder, paths, arguments.workers, arguments.profile)
            mixed = figures["mixed"]
            assert isinstance(mixed, dict)
            archive["share_of_reading"] = round(archive["files_per_second"] / mixed["files_per_second"], 3)
            figures["archive"] = archive
    finally:
        if arguments.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
            (folder.parent / f"{folder.name}-manifest.jsonl").unlink(missing_ok=True)
    if arguments.json:
        print(json.dumps(figures, indent=2))
        return
    mixed = figures["mixed"]
    assert isinstance(mixed, dict)
    print(f"ingest bench: {mixed['files']} files, {mixed['megabytes']} MB, {arguments.workers} workers")
    print("files/s and MB/s: read_many with the workers; ms/file: one process, median and p95")
    print(f"{'format':<18}{'files':>7}{'errors':>8}{'MB':>9}{'s':>8}{'files/s':>10}{'MB/s':>9}{'ms/file':>16}")
    label_all = "ALL (mixed)" if arguments.corpus == "mixed" else "ALL (synthetic)"
    for label, row in [(label_all, mixed), *by_format.items()]:
        per_file = f"{row['median_ms']} / {row['p95_ms']}" if "median_ms" in row else ""
        print(f"{label:<18}{row['files']:>7}{row['errors']:>8}{row['megabytes']:>9}{row['seconds']:>8}"
              f"{row['files_per_second']:>10}{row['megabytes_per_second']:>9}{per_file:>16}")
    if "archive" in figures:
        written = figures["archive"]
        assert isinstance(written, dict)
        row = written
        print(f"\ndhakira ingest into a new archive: {row['ingested']} ingested, {row['failed']} failed in "
              f"{row['seconds']} s: {row['files_per_second']} files/s, {row['megabytes_per_second']} MB/s, "
              f"{row['share_of_reading']:.0%} of reading; {row['cpu_ms_per_file']} ms of CPU a file "
              f"({row['writer_cpu_ms_per_file']} in the writing process); peak memory {row['peak_memory_mb']} MB, "
              f"database {row['database_mb']} MB; load average {figures['load_average_before']} before, "
              f"{row['load_average_after']} after")


if __name__ == "__main__":
    main()
