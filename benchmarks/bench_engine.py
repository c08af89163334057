"""In-process ``Engine.handle`` latency and worker memory at three content sizes.

Every question of ../shared/data/*.jsonl (long, messy, real) is sent as the first
message of a fresh conversation, after one warm-up pass. Each size runs in its
own process so resident memory is that of one worker: Flask app, content,
indexes and all.

    python3 benchmarks/bench_engine.py [--passes 3] [--sizes shipped,mplus,gen10k] [--sentence-model DIR [--precision int8|float32]]

``--sentence-model`` measures the engine with the optional sentence model
(HEALTHBOT_SENTENCE_MODEL) asked on the messages the cues are unsure of, its layers
run as ``--precision`` says (HEALTHBOT_SENTENCE_PRECISION; default auto).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _content  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(root: str, passes: int, profile: str | None, sentence_model: str = "", precision: str = "auto") -> dict:
    from bot.content.live import ContentInvalid
    from bot.core.models import Message
    from bot.server.app import create_app
    from bot.settings import Settings

    note = ""
    try:
        import tempfile

        unanswered = f"sqlite:///{tempfile.mkdtemp(prefix='healthbot-bench-')}/unanswered.db"
        app = create_app(Settings(content_root=root, store_url="memory://", unanswered_url=unanswered,
                                  sentence_model=sentence_model, sentence_precision=precision))
        runtime = app.extensions["healthbot"]
        engine, topics = runtime.engine, runtime.content.status.topics
    except ContentInvalid as exc:  # validation rejects it: measure the engine on the content anyway
        from bot.content.load import load_content
        from bot.core.engine import Engine
        from bot.core.knowledge import build
        from bot.sessions.memory import MemoryStore

        import flask  # noqa: F401  (a worker has Flask loaded too)

        content = load_content(root, checks=[])
        engine, topics = Engine(build(content), MemoryStore()), len(content.topics)
        note = f"validation found {len(exc.errors)} error(s); measured without cross-file checks"
    questions = _content.questions()
    for i, q in enumerate(questions):  # warm-up
        engine.handle(Message(session_id=f"warm{i}", text=q))
    samples: list[float] = []
    cpu: list[float] = []  # CPU time of the calling thread: unaffected by other processes on the cores
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    for p in range(passes):
        for i, q in enumerate(questions):
            start, start_cpu = time.perf_counter(), time.thread_time()
            engine.handle(Message(session_id=f"p{p}-{i}", text=q))
            samples.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
    if prof is not None:
        prof.disable()
        prof.dump_stats(profile)
    ms = [s * 1000 for s in samples]
    cpu_ms = [s * 1000 for s in cpu]
    return {"topics": topics, "n": len(ms), "median_ms": statistics.median(ms), "p99_ms": percentile(ms, 0.99),
            "max_ms": max(ms), "cpu_median_ms": statistics.median(cpu_ms), "cpu_p99_ms": percentile(cpu_ms, 0.99),
            "rss_mb": rss_mb(), "note": note}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(_content.SIZES))
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--profile", help="write a cProfile of the measured passes to this file (with --one)")
    parser.add_argument("--sentence-model", default="", metavar="DIR",
                        help="with the optional sentence model in this folder (see README)")
    parser.add_argument("--precision", default="auto", choices=("auto", "int8", "float32"),
                        help="how the sentence model's layers run")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.passes, args.profile, args.sentence_model, args.precision)))
        return 0
    print(f"{'content':<10} {'topics':>6} {'questions':>9} {'median ms':>9} {'p99 ms':>7} {'max ms':>7} "
          f"{'cpu med':>7} {'cpu p99':>7} {'RSS MB':>7}")
    for size in args.sizes.split(","):
        root = _content.build(size)
        out = subprocess.run([sys.executable, __file__, "--one", str(root), "--passes", str(args.passes),
                              "--sentence-model", args.sentence_model, "--precision", args.precision],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{size:<10} {r['topics']:>6} {r['n']:>9} {r['median_ms']:>9.3f} {r['p99_ms']:>7.3f} "
              f"{r['max_ms']:>7.2f} {r['cpu_median_ms']:>7.3f} {r['cpu_p99_ms']:>7.3f} {r['rss_mb']:>7.1f}" + (f"  ({r['note']})" if r["note"] else ""), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
