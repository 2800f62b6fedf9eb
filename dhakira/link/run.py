"""Linking files and manifests end to end (what ``dhakira link`` calls).

* :func:`items_from_files` – read and extract each file, keeping its clean text for the text features;
* :func:`items_from_manifest` – the same for the ``path,source_url`` rows of a manifest CSV;
* :func:`clusters_object` – the ``{"clusters": [[...], ...]}`` object that ``dhakira link`` writes.

Keys are the paths as the user gave them (relative to the manifest's folder for a manifest), so that the
output names the input files.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dhakira.link.index import LinkItem, LinkResult


def _item(path: Path, key: str, source_url: str | None) -> LinkItem:
    from dhakira.extract.run import read_and_extract

    extraction, text = read_and_extract(path, source_url=source_url)  # an unreadable file: error object, no text
    return LinkItem(key, extraction, text)


def items_from_files(paths: Iterable[str | Path]) -> list[LinkItem]:
    """One link item per file, keyed by the path as given."""
    return [_item(Path(path), str(path), None) for path in paths]


def items_from_manifest(csv_path: str | Path) -> list[LinkItem]:
    """One link item per manifest row, keyed by the path relative to the manifest's folder."""
    from dhakira.extract.run import read_manifest

    folder = Path(csv_path).resolve().parent
    items: list[LinkItem] = []
    for path, source_url in read_manifest(csv_path):
        try:
            key = str(path.resolve().relative_to(folder))
        except ValueError:
            key = str(path)
        items.append(_item(path, key, source_url))
    return items


def clusters_object(result: LinkResult) -> dict[str, Any]:
    """The JSON object of ``dhakira link``: the clusters of two or more input files."""
    return {"clusters": [list(cluster) for cluster in result.clusters]}
