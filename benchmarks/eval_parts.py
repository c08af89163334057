"""Accuracy on the shared dev questions, split into the part tuned on and the part kept aside.

Since the first session, about 30% of ../shared/data/questions-dev*.jsonl has been
kept aside: never read one by one, only scored, so it measures questions nobody
tuned on. A question is kept aside when ``int(sha1(id)) % 10 < 3``; this script is
that rule written down, so anyone can reproduce both parts' figures.

    python3 benchmarks/eval_parts.py [--json]

The engine is the one the environment configures, as for ``healthbot eval``
(set HEALTHBOT_SENTENCE_MODEL to measure with the sentence model).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _content  # noqa: E402

from bot.evaluation import evaluate, format_report, read_questions  # noqa: E402
from bot.runtime import build_runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402

DEV_FILES = ("questions-dev.jsonl", "questions-dev-procedures.jsonl")


def kept_aside(question_id: str) -> bool:
    """The fixed rule: about 3 questions in 10, the same ones on every machine."""
    return int(hashlib.sha1(question_id.encode("utf-8")).hexdigest(), 16) % 10 < 3


def parts(rows: list[dict]) -> dict[str, list[dict]]:
    split: dict[str, list[dict]] = {"tuning": [], "kept aside": []}
    for row in rows:
        split["kept aside" if kept_aside(str(row.get("id", ""))) else "tuning"].append(row)
    return split


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    files = [_content.SHARED / name for name in DEV_FILES]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"not found: {', '.join(missing)} (the shared dev questions)", file=sys.stderr)
        return 2
    runtime = build_runtime(Settings.from_env(content_root=str(_content.REPO), store_url="memory://",
                                              unanswered_url="memory://"))
    opinion = runtime.content.current.opinion
    figures = {name: evaluate(runtime.engine, rows).figures
               for name, rows in parts(read_questions([str(f) for f in files])).items()}
    if args.json:
        print(json.dumps({"sentence_model": opinion.encoder.precision if opinion else "off", **figures}, indent=2))
        return 0
    print(f"sentence model: {opinion.encoder.precision if opinion else 'off'}")
    for name, result in figures.items():
        print(f"\n== {name} part ({result['n']} questions)")
        print(format_report(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
