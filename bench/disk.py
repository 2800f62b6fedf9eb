"""Where an archive's bytes go: the disk ratio of issue 15 and a breakdown by table and index (SQLite).

The ratio is the database and the kept originals over what the archive keeps for a reader — the records'
clean text and their original files:

    ratio = (database + blobs) / (clean text + originals)

The clean text is counted as UTF-8 bytes as a reader gets it, whether the archive keeps it as text or compressed
(migration 0026, ``storage.CompressedTextField``).

The kept-page cache (``<archive>/cache``, bounded by ``DHAKIRA_CACHE_MB``) and the rest of the folder are
printed beside it, not counted. The breakdown reads SQLite's ``dbstat`` virtual table: the pages each
table and each index take, with every index, FTS5 shadow table and Django-made join table counted under
the table it serves; the ``free`` row is the pages the file holds for later writes.

    .venv/bin/python bench/disk.py --archive /tmp/dhakira-served-100k [--json] [--columns]

``--columns`` adds the bytes of each column of the largest tables (the sum of ``length()``: what its values
hold, without the row overhead). The archive is only read.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

DATABASE = "archive.sqlite3"
MEGABYTE = 2**20


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under ``folder`` (0 when it does not exist)."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else 0


def owners(connection: sqlite3.Connection) -> dict[str, str]:
    """Each b-tree's name → the table it serves (indexes and FTS5 shadow tables under their table)."""
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    fts = [name for kind, name, _, sql in rows if kind == "table" and sql and "USING FTS5" in sql.upper()]
    owner = {}
    for kind, name, table, _ in rows:
        if kind not in ("table", "index"):
            continue
        shadow = next((virtual for virtual in fts if name.startswith(virtual + "_")), None)
        owner[name] = shadow or table
    return owner


def breakdown(connection: sqlite3.Connection) -> list[dict[str, Any]]:
    """One row per b-tree (table or index) with its bytes on disk, largest first."""
    owner = owners(connection)
    rows = connection.execute("SELECT name, sum(pgsize), sum(payload), sum(ncell) FROM dbstat GROUP BY name").fetchall()
    page_size, free_pages = (connection.execute(f"PRAGMA {pragma}").fetchone()[0] for pragma in ("page_size", "freelist_count"))
    items = [{"name": name, "table": owner.get(name, name), "bytes": size, "payload": payload, "cells": cells}
             for name, size, payload, cells in rows]
    items.append({"name": "free", "table": "free", "bytes": page_size * free_pages, "payload": 0, "cells": 0})
    return sorted(items, key=lambda item: -item["bytes"])


def columns(connection: sqlite3.Connection, table: str) -> dict[str, int]:
    """Bytes each column of ``table`` holds (``length()`` of its values; blobs and text as stored)."""
    names = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
    sums = ", ".join(f'coalesce(sum(length(CAST("{name}" AS BLOB))), 0)' for name in names)
    values = connection.execute(f'SELECT {sums} FROM "{table}"').fetchone()
    return dict(sorted(zip(names, values, strict=True), key=lambda item: -item[1]))


def clean_text(connection: sqlite3.Connection) -> tuple[int, int]:
    """The number of records and the UTF-8 bytes of their clean texts (unpacked where the archive compresses them)."""
    from dhakira_web.archive.storage import unpack_text

    records = total = 0
    for (value,) in connection.execute("SELECT text FROM archive_record"):
        records += 1
        if isinstance(value, bytes):
            total += len(unpack_text(value).encode("utf-8", "surrogatepass"))
        elif value:
            total += len(value.encode("utf-8", "surrogatepass"))
    return records, total


def measure(archive: Path, with_columns: bool = False) -> dict[str, Any]:
    """The disk figures of one archive (see the module's description)."""
    path = archive / DATABASE
    if not path.exists():
        raise SystemExit(f"{path} does not exist: not a SQLite archive")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        records, text = clean_text(connection)
        trees = breakdown(connection)
        details = {}
        if with_columns:
            tables: dict[str, int] = defaultdict(int)
            for item in trees:
                if item["name"] == item["table"] and item["table"] != "free":
                    tables[item["table"]] += item["bytes"]
            for table in sorted(tables, key=lambda name: -tables[name])[:6]:
                details[table] = columns(connection, table)
    finally:
        connection.close()
    database = sum(candidate.stat().st_size for candidate in archive.glob(DATABASE + "*"))
    originals = folder_bytes(archive / "blobs")
    cache = folder_bytes(archive / "cache")
    kept = text + originals
    return {
        "archive": str(archive), "records": records,
        "clean_text_mb": round(text / MEGABYTE, 1), "originals_mb": round(originals / MEGABYTE, 1),
        "database_mb": round(database / MEGABYTE, 1), "cache_mb": round(cache / MEGABYTE, 1),
        "other_mb": round((folder_bytes(archive) - database - originals - cache) / MEGABYTE, 1),
        "bytes_per_record": round((database + originals) / records) if records else 0,
        "ratio": round((database + originals) / kept, 3) if kept else None,
        "trees": [{**item, "mb": round(item["bytes"] / MEGABYTE, 1)} for item in trees],
        "columns": details,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, required=True, help="the archive directory (holds archive.sqlite3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--columns", action="store_true", help="also the bytes of each column of the largest tables")
    parser.add_argument("--top", type=int, default=30, help="b-trees to list (largest first)")
    args = parser.parse_args(argv)
    figures = measure(args.archive, args.columns)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{figures['records']} records: database {figures['database_mb']} MB + originals {figures['originals_mb']} MB "
          f"for clean text {figures['clean_text_mb']} MB + originals {figures['originals_mb']} MB: "
          f"ratio {figures['ratio']} ({figures['bytes_per_record']} bytes a record); "
          f"kept-page cache {figures['cache_mb']} MB, other files {figures['other_mb']} MB")
    by_table: dict[str, int] = defaultdict(int)
    for item in figures["trees"]:
        by_table[item["table"]] += item["bytes"]
    total = sum(by_table.values()) or 1
    print(f"\n{'table (with its indexes and shadow tables)':<44}{'MB':>9}{'share':>8}")
    for table, size in sorted(by_table.items(), key=lambda item: -item[1]):
        if size >= MEGABYTE // 10:
            print(f"{table:<44}{size / MEGABYTE:>9.1f}{size / total:>8.1%}")
    print(f"\n{'b-tree':<44}{'of table':<28}{'MB':>9}{'payload MB':>12}{'cells':>11}")
    for item in figures["trees"][:args.top]:
        print(f"{item['name']:<44}{item['table']:<28}{item['mb']:>9}{item['payload'] / MEGABYTE:>12.1f}{item['cells']:>11}")
    for table, sizes in figures["columns"].items():
        print(f"\ncolumns of {table} (MB held): " + ", ".join(f"{name} {size / MEGABYTE:.1f}" for name, size in sizes.items()
                                                             if size >= MEGABYTE // 20))
    return 0


if __name__ == "__main__":
    sys.exit(main())
