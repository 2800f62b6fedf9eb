"""What OCR needs on this machine, and a clear sentence when something is missing.

Scanned images need ``tesseract`` (Debian package ``tesseract-ocr``) with its Arabic and English data
(``tesseract-ocr-ara``, ``tesseract-ocr-eng``); scanned PDFs also need ``pdftoppm`` (``poppler-utils``)
to turn pages into images. ``make ocr`` installs all four; ``python -m dhakira.ingest.ocr`` says
what is there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

PROGRAMS = {"tesseract": "tesseract-ocr", "pdftoppm": "poppler-utils"}
LANGUAGES = {"ara": ("Arabic", "tesseract-ocr-ara"), "eng": ("English", "tesseract-ocr-eng")}


def tesseract_languages(tesseract: str) -> set[str]:
    try:
        listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return set()
    return set(listed.stdout.split()) | set(listed.stderr.split())


def missing(*, pdf: bool) -> list[tuple[str, str]]:
    """What OCR lacks here, as (what, Debian package) pairs; empty when everything is installed."""
    found: list[tuple[str, str]] = []
    for program, package in PROGRAMS.items():
        if program == "pdftoppm" and not pdf:
            continue
        if not shutil.which(program):
            found.append((f"the program {program}", package))
    tesseract = shutil.which("tesseract")
    if tesseract:
        available = tesseract_languages(tesseract)
        for code, (name, package) in LANGUAGES.items():
            if code not in available:
                found.append((f"{name} data for tesseract ({code})", package))
    return found


def refusal(what: str, lacking: list[tuple[str, str]]) -> str:
    """«scanned PDF: no text layer; OCR needs … (Debian package …); run `make ocr`…»."""
    needs = "; ".join(f"{item} (Debian package {package})" for item, package in lacking)
    packages = " ".join(dict.fromkeys(package for _, package in lacking))
    return f"{what}; OCR needs {needs}: run `make ocr` or `apt-get install {packages}`"


def main() -> int:
    lacking = missing(pdf=True)
    if not lacking:
        print("OCR ready: tesseract with Arabic and English, pdftoppm")
        return 0
    print(refusal("OCR is not ready", lacking), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
