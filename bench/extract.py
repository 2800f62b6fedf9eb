"""Extraction speed: documents per second on one core, start-up time and peak memory.

    .venv/bin/python bench/extract.py [--seconds 5] [--json]

Start-up is measured in a fresh interpreter (import of dhakira.extract plus the first load of the
knowledge base). Throughput runs ``extract_text`` over ~3 KB documents in English and Arabic made
from sentences written for this benchmark, after one warm-up pass, on one process (one core). When the
eval-dev corpus is present, its texts (varied vocabulary, ~2 KB each) are timed as well.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_DEV = Path("/work/shared/eval-dev/corpus")
sys.path.insert(0, str(ROOT))

EN_SENTENCES = [
    "Security forces stormed Hama Central Prison on 6 May 2016 and fired tear gas into the wings.",
    "At least 25 detainees suffered from suffocation, relatives told the Syrian Network for Human Rights.",
    "More than 300 prisoners in Homs Central Prison began a hunger strike in October 2017.",
    "The detainees demanded an end to referrals to the Military Field Court.",
    "The ICRC and the Syrian Arab Red Crescent were not allowed to visit Sednaya Military Prison.",
    "Former detainees said about 40 people died under torture in Saydnaya in March 2015.",
    "Guards at Adra Prison beat detainees on 2 June 2016, according to the Syrian Observatory.",
    "Families in Rural Damascus and Idlib still have no news of relatives arrested at checkpoints.",
    "The SDF said about 1,000 ISIS fighters surrendered at Ghwayran prison in Hasakah.",
    "An amnesty decree was followed by the release of dozens of detainees in Damascus.",
]
AR_SENTENCES = [
    "اقتحمت قوات النظام سجن حماة المركزي في 6 أيار 2016 وأطلقت الغاز المسيل للدموع على المعتقلين.",
    "وأصيب ما لا يقل عن 25 معتقلاً بحالات اختناق بحسب الشبكة السورية لحقوق الإنسان.",
    "بدأ أكثر من 300 سجين في سجن حمص المركزي إضراباً عن الطعام في تشرين الأول 2017.",
    "وطالب المعتقلون بوقف إحالتهم إلى محكمة الميدان العسكرية.",
    "ولم تسمح السلطات للجنة الدولية للصليب الأحمر بزيارة سجن صيدنايا.",
    "وقال معتقلون سابقون إن نحو 40 شخصاً قضوا تحت التعذيب في صدنايا في آذار 2015.",
    "واعتدى السجانون في سجن عدرا على المعتقلين بالضرب بحسب المرصد السوري لحقوق الإنسان.",
    "ولا تزال عائلات في ريف دمشق وإدلب تجهل مصير أبنائها المعتقلين على الحواجز.",
    "وأعلنت قسد أن نحو ألف عنصر من تنظيم داعش استسلموا في سجن الصناعة بالحسكة.",
    "وأعقب مرسوم العفو الإفراج عن عشرات المعتقلين في دمشق.",
]


def make_documents(size: int = 3000) -> list[tuple[str, str]]:
    """Ten English and ten Arabic documents of about ``size`` characters each."""
    documents = []
    for language, sentences in (("en", EN_SENTENCES), ("ar", AR_SENTENCES)):
        for shift in range(10):
            parts: list[str] = []
            index = shift
            while sum(len(part) + 1 for part in parts) < size:
                parts.append(sentences[index % len(sentences)])
                index += 3
            documents.append((language, "\n\n".join(parts)))
    return documents


def startup_seconds() -> float:
    """Seconds for a fresh interpreter to import the extractor and load the knowledge base."""
    code = (
        "import time; t = time.perf_counter(); import dhakira.extract; from dhakira.knowledge import knowledge; "
        "knowledge(); print(time.perf_counter() - t)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return float(completed.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to run the throughput loop")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    startup = startup_seconds()
    from dhakira.extract import extract_text
    from dhakira.knowledge import knowledge

    knowledge()
    documents = make_documents()
    for language, text in documents:  # warm-up
        extract_text(text, language=language)
    by_language: dict[str, float] = {}
    cpu_count, cpu_started = 0, time.process_time()
    for language, text in documents:  # the same documents timed by CPU time (fair on a shared machine)
        extract_text(text, language=language)
        cpu_count += 1
    cpu_rate = cpu_count / max(time.process_time() - cpu_started, 1e-9)
    for wanted in ("en", "ar"):
        subset = [(language, text) for language, text in documents if language == wanted]
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < args.seconds / 2:
            for language, text in subset:
                extract_text(text, language=language)
                count += 1
        by_language[wanted] = count / (time.perf_counter() - started)
    overall = 2 / (1 / by_language["en"] + 1 / by_language["ar"])
    corpus = sorted(EVAL_DEV.glob("*.txt")) if EVAL_DEV.is_dir() else []
    eval_dev_rate = None
    if corpus:
        texts = [path.read_text(encoding="utf-8") for path in corpus]
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < args.seconds / 2:
            for text in texts:
                extract_text(text)
                count += 1
        eval_dev_rate = count / (time.perf_counter() - started)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "documents_per_second_per_core": round(overall, 1),
        "documents_per_second_en": round(by_language["en"], 1),
        "documents_per_second_ar": round(by_language["ar"], 1),
        "documents_per_cpu_second": round(cpu_rate, 1),
        "mean_document_chars": round(sum(len(text) for _, text in documents) / len(documents)),
        "documents_per_second_eval_dev": round(eval_dev_rate, 1) if eval_dev_rate else None,
        "startup_seconds": round(startup, 3),
        "peak_memory_mb": round(peak_kb / 1024, 1),
        "targets": {"documents_per_second_per_core": 60, "startup_seconds": 2.0},
    }
    if args.json:
        print(json.dumps(figures, indent=1))
    else:
        print(f"documents/s/core : {figures['documents_per_second_per_core']} "
              f"(en {figures['documents_per_second_en']}, ar {figures['documents_per_second_ar']}; "
              f"~{figures['mean_document_chars']} chars each; target >= 60)")
        print(f"per CPU-second   : {figures['documents_per_cpu_second']} documents (process time; unaffected by "
              "other processes on the machine)")
        if eval_dev_rate:
            print(f"eval-dev corpus  : {figures['documents_per_second_eval_dev']} documents/s "
                  f"({len(corpus)} real-world texts, varied vocabulary)")
        print(f"start-up         : {figures['startup_seconds']} s (import + knowledge base; target <= 2 s)")
        print(f"peak memory      : {figures['peak_memory_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
