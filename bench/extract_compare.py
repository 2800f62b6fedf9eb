"""Extraction CPU time of two checkouts, measured in turns in the same minutes (fair on a shared machine).

    .venv/bin/python bench/extract_compare.py OLD_ROOT [NEW_ROOT] [--rounds 20]

OLD_ROOT and NEW_ROOT are folders holding a ``dhakira`` package and ``bench/extract.py`` (a worktree, or
``git archive <commit> dhakira bench | tar -x -C DIR``); NEW_ROOT defaults to this checkout. One worker
process per checkout loads the extractor and warms up, then the two take turns: each pass runs
``extract_text`` over the benchmark's 20 documents (``bench/extract.py``) or over the eval-dev texts, and
reports its process time. The ratio of the two CPU times, pass by pass, is steadier than either figure
alone when other processes share the cores (their load slows both workers alike).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DEV = Path("/work/shared/eval-dev/corpus")


def worker() -> None:
    """Answer each line "bench" or "eval" on stdin with the process time of one pass."""
    sys.path.insert(0, str(Path.cwd() / "bench"))
    from extract import make_documents  # type: ignore[import-not-found]

    from dhakira.extract import extract_text

    documents = make_documents()
    texts = [path.read_text(encoding="utf-8") for path in sorted(EVAL_DEV.glob("*.txt"))]
    for language, text in documents:
        extract_text(text, language=language)
    for text in texts:
        extract_text(text)
    print(f"{len(documents)} {len(texts)}", flush=True)
    for line in sys.stdin:
        started = time.process_time()
        if line.strip() == "bench":
            for language, text in documents:
                extract_text(text, language=language)
        else:
            for text in texts:
                extract_text(text)
        print(time.process_time() - started, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path, nargs="?", default=ROOT)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker()
        return 0
    workers = {}
    for name, root in (("old", args.old.resolve()), ("new", args.new.resolve())):
        workers[name] = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(root), "--worker"], cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sizes: dict[str, int] = {}
    for process in workers.values():
        assert process.stdout is not None
        bench_count, eval_count = process.stdout.readline().split()
        sizes = {"bench": int(bench_count), "eval": int(eval_count)}
    seconds: dict[tuple[str, str], list[float]] = {(name, kind): [] for name in workers for kind in sizes}
    for _ in range(args.rounds):
        for kind in sizes:
            if not sizes[kind]:
                continue
            for name, process in workers.items():
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(kind + "\n")
                process.stdin.flush()
                seconds[(name, kind)].append(float(process.stdout.readline()))
    for process in workers.values():
        assert process.stdin is not None
        process.stdin.close()
        process.wait()
    print(f"load average before the end: {os.getloadavg()[0]:.2f}")
    for kind, label in (("bench", "benchmark documents"), ("eval", "eval-dev texts")):
        old, new = seconds[("old", kind)], seconds[("new", kind)]
        if not old:
            continue
        count = sizes[kind]
        ratios = [after / before for after, before in zip(new, old, strict=True)]
        print(f"{label}: old {count / min(old):.1f} (median {count / statistics.median(old):.1f}) documents per "
              f"CPU-second, new {count / min(new):.1f} (median {count / statistics.median(new):.1f}); CPU time "
              f"new/old {statistics.median(ratios):.3f} (median of {len(ratios)} paired passes), "
              f"{min(new) / min(old):.3f} (best passes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
