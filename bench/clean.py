"""Clean-text quality on our own corpus, Dhakira's readers next to trafilatura's own extraction.

    nice .venv/bin/python bench/clean.py                 # tuning part and held-aside part
    nice .venv/bin/python bench/clean.py --part tune -v  # one part, with every miss listed
    nice .venv/bin/python bench/clean.py --ocr           # OCR word accuracy on scans of our pages

The corpus (``bench/cleaning/corpus``, made by ``python -m bench.cleaning.make_corpus``) holds HTML
pages in eight site styles and PDFs, each with a JSON of its body sentences, chrome phrases, title
and issue date. Figures, per part and format:

* body kept   – share of body sentences found whole in the clean text (goal ≥ 98 %);
* chrome leak – share of chrome phrases found in the clean text (goal ≤ 1 %);
* title exact – titles equal to the expected one (≥ 95 %);
* date right  – issue dates equal to the expected one (≥ 95 %).

Each page is read alone, then again with its site's other pages of the same part, so that the site
template (chrome recurring across a site's pages) can be learned: the ``+site`` rows.
The baseline is trafilatura's ``extract`` and ``extract_metadata`` on the same HTML; for PDFs, which
trafilatura does not read, pypdf's plain text layer with its first line as title.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dhakira.ingest import IngestError, read_bytes  # noqa: E402
from dhakira.ingest.dates import find_dateline  # noqa: E402

CORPUS = Path(__file__).parent / "cleaning" / "corpus"


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").replace("\u0640", "")
    text = re.sub(r"[\u201c\u201d\u00ab\u00bb]", '"', text).replace("\u2019", "'")
    return " ".join(text.split()).casefold()


def load(part: str) -> list[tuple[dict, bytes]]:
    items = []
    for expected_path in sorted((CORPUS / part).glob("*.json")):
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        items.append((expected, (CORPUS / part / expected["file"]).read_bytes()))
    return items


def ours(items: list[tuple[dict, bytes]], *, siblings: bool) -> list[tuple[str, str | None, str | None]]:
    from dhakira.ingest.template import SiteTemplates

    templates = SiteTemplates()
    if siblings:
        for expected, data in items:
            try:
                templates.observe_document(read_bytes(data, name=expected["file"], source_url=f"https://{expected['site']}/{expected['file']}"))
            except IngestError:
                pass
    out = []
    for expected, data in items:
        try:
            document = read_bytes(data, name=expected["file"], source_url=f"https://{expected['site']}/{expected['file']}")
            if siblings:
                document = templates.apply(document)
            out.append((document.text, document.title, document.published))
        except IngestError as error:
            out.append(("", None, None))
            print(f"  refused {expected['file']}: {error}", file=sys.stderr)
    return out


def baseline(items: list[tuple[dict, bytes]]) -> list[tuple[str, str | None, str | None]]:
    import trafilatura
    from pypdf import PdfReader

    out = []
    for expected, data in items:
        if expected["file"].endswith(".pdf"):
            text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
            first = next((line for line in text.split("\n") if line.strip()), None)
            found = find_dateline(text)
            out.append((text, first, found[0] if found else None))
            continue
        markup = data.decode("utf-8")
        text = trafilatura.extract(markup, include_comments=False, include_tables=True) or ""
        meta = trafilatura.extract_metadata(markup)
        out.append((text, meta.title if meta else None, meta.date if meta else None))
    return out


def score(items: list[tuple[dict, bytes]], results: list[tuple[str, str | None, str | None]], misses: list[str]) -> dict:
    body = body_total = chrome = chrome_total = titles = dates = 0
    for (expected, _), (text, title, published) in zip(items, results, strict=True):
        clean = norm(text)
        for sentence in expected["body"]:
            body_total += 1
            if norm(sentence) in clean:
                body += 1
            else:
                misses.append(f"{expected['file']}: body lost: {sentence[:90]}")
        for phrase in expected["chrome"]:
            chrome_total += 1
            if norm(phrase) in clean:
                chrome += 1
                misses.append(f"{expected['file']}: chrome leaked: {phrase[:90]}")
        if norm(title or "") == norm(expected["title"]):
            titles += 1
        else:
            misses.append(f"{expected['file']}: title {title!r}")
        if (published or "")[:10] == expected["date"]:
            dates += 1
        else:
            misses.append(f"{expected['file']}: date {published!r} expected {expected['date']}")
    count = len(items) or 1
    return {"pages": len(items), "body": body / (body_total or 1), "chrome": chrome / (chrome_total or 1),
            "titles": titles / count, "dates": dates / count}


def report(part: str, verbose: bool) -> None:
    items = load(part)
    groups: dict[str, list[int]] = defaultdict(list)
    for index, (expected, _) in enumerate(items):
        groups["pdf" if expected["file"].endswith(".pdf") else "html"].append(index)
    runs = {"dhakira": ours(items, siblings=False), "dhakira+site": ours(items, siblings=True),
            "trafilatura": baseline(items)}
    print(f"\n== part {part}: {len(items)} documents ==")
    print(f"{'format':6} {'reader':14} {'docs':>4} {'body kept':>10} {'chrome leak':>12} {'title exact':>12} {'date right':>11}")
    for kind in ("html", "pdf", "all"):
        indices = list(range(len(items))) if kind == "all" else groups[kind]
        for name, results in runs.items():
            misses: list[str] = []
            figures = score([items[i] for i in indices], [results[i] for i in indices], misses)
            label = name if not (kind == "pdf" and name == "trafilatura") else "pypdf (base)"
            print(f"{kind:6} {label:14} {figures['pages']:>4} {figures['body']:>10.1%} {figures['chrome']:>12.1%} "
                  f"{figures['titles']:>12.1%} {figures['dates']:>11.1%}")
            if verbose and kind == "all" and name != "trafilatura":
                for miss in misses:
                    print("   ", name, miss)


def ocr_report() -> None:
    from bench.cleaning.ocr import ocr_bench

    ocr_bench()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["tune", "held", "fresh", "both", "all"], default="all")
    parser.add_argument("--ocr", action="store_true", help="OCR word accuracy on scans of our own pages")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    if args.ocr:
        ocr_report()
        return
    parts = {"both": ["tune", "held"], "all": ["tune", "held", "fresh"]}.get(args.part, [args.part])
    for part in parts:
        report(part, args.verbose)


if __name__ == "__main__":
    main()
