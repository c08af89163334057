"""Content load and reload time at three sizes: what an edit costs before it goes live.

A reload is ``load_content`` (read and parse every YAML file, validate, run the
cross-file checks) plus ``build`` (topic index, intent model, safety rules); the
swap itself is one assignment. "parse" is the YAML parsing alone (with line
numbers), part of "load". Figures are the best of ``--repeat`` runs, so other
processes on the machine disturb them less.

    python3 benchmarks/bench_reload.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _content  # noqa: E402

from bot.content.load import content_files, load_content  # noqa: E402
from bot.content.validate import checks_for  # noqa: E402
from bot.content.yamlfile import load_with_lines  # noqa: E402
from bot.core.knowledge import build  # noqa: E402
from bot.settings import Settings  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(_content.SIZES))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    checks = checks_for(Settings())
    print(f"{'content':<10} {'topics':>6} {'reload s':>8} {'load s':>7} {'checks s':>8} {'build s':>7} "
          f"{'parse s':>7}  errors")
    for size in args.sizes.split(","):
        root = _content.build(size)
        files = content_files(Path(root))
        texts = [f.read_text(encoding="utf-8") for f in files]
        t_load, content = timed(lambda: load_content(root, checks=checks), args.repeat)
        t_nocheck, _ = timed(lambda: load_content(root, checks=[]), args.repeat)
        t_build, _ = timed(lambda: build(content), args.repeat)
        t_parse, _ = timed(lambda: [load_with_lines(t) for t in texts], args.repeat)
        print(f"{size:<10} {len(content.topics):>6} {t_load + t_build:>8.3f} {t_nocheck:>7.3f} "
              f"{max(0.0, t_load - t_nocheck):>8.3f} {t_build:>7.3f} {t_parse:>7.3f}  {len(content.errors)}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
