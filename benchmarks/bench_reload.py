"""Content load and reload time at three sizes: what an edit costs before it goes live.

"reload" is what a running server does when a file changes:
``LiveContent.reload`` with the serving checks (the rules that can reject
content), i.e. read and parse every YAML file, validate, build the indexes,
swap, and settle the heap, with nothing parsed before, no regular
expression compiled or analysed either (as in a fresh process after a deploy
that changed the cues, or the very first start). "restart" is the same in a
fresh process that finds the patterns an earlier one stored
(``HEALTHBOT_CACHE_DIR``, ``bot.core.pattern_store``): the master of
``healthbot serve`` before it forks, or any restart whose cues did not change.
"all new" is a running server's reload when every file changed: all YAML is
read, parsed and checked again, but cue patterns whose text did not change
keep their analysis. "edit" is the same after one topic file changed: files
whose text is unchanged are not parsed again. The other columns split it: "load" without checks,
"checks" the serving checks, "build" the indexes, "parse" the YAML parsing
alone (part of "load"), and "all checks" a load with every rule, warnings
included, as ``healthbot validate`` runs it. Figures are the best of
``--repeat`` runs, so other processes on the machine disturb them less.

    python3 benchmarks/bench_reload.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _content  # noqa: E402

import bot.content.load as content_load  # noqa: E402
from bot.content.load import content_files, load_content  # noqa: E402
from bot.content.live import LiveContent  # noqa: E402
from bot.core import patterns  # noqa: E402
from bot.core.patterns import clear_caches  # noqa: E402
from bot.content.validate import checks_for, serving_checks  # noqa: E402
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
    checks = serving_checks(Settings())
    print(f"{'content':<10} {'topics':>6} {'reload s':>8} {'restart s':>9} {'all new s':>9} {'edit s':>7} {'load s':>7} {'checks s':>8} {'build s':>7} "
          f"{'parse s':>7} {'all checks s':>12}  errors")
    for size in args.sizes.split(","):
        root = _content.build(size, writable=True)  # the edit column appends to a file
        files = content_files(Path(root))
        texts = [f.read_text(encoding="utf-8") for f in files if f.suffix in (".yaml", ".yml")]  # the YAML parse
        live = LiveContent(root, checks=checks)
        def cold(fn):
            def run():
                content_load._parsed.clear()  # as after a deploy: no file or pattern parsed before
                clear_caches()
                re.purge()  # nor compiled
                return fn()
            return run

        patterns.use_store(None)
        t_reload, _ = timed(cold(lambda: live.reload(force=True)), args.repeat)
        store = tempfile.mkdtemp(prefix="healthbot-patterns-")
        patterns.use_store(store)
        live.reload(force=True)  # an earlier process stores the analysed patterns

        def restart():
            patterns.use_store(None)
            patterns.use_store(store)  # as a new process: the file is read again
            return live.reload(force=True)

        t_restart, _ = timed(cold(restart), args.repeat)
        patterns.use_store(None)

        def every_file_changed():
            content_load._parsed.clear()  # every file read and parsed again; unchanged regexes stay analysed
            return live.reload(force=True)

        t_all_files, _ = timed(every_file_changed, args.repeat)
        edited = next(f for f in files if f.parent.name == "topics")

        def edit_one():
            with edited.open("a", encoding="utf-8") as fh:
                fh.write("# edited\n")
            return live.reload(force=True)

        t_edit, _ = timed(edit_one, args.repeat)
        t_load, content = timed(cold(lambda: load_content(root, checks=checks)), args.repeat)
        t_nocheck, _ = timed(cold(lambda: load_content(root, checks=[])), args.repeat)
        t_build, _ = timed(lambda: build(content), args.repeat)
        t_parse, _ = timed(lambda: [load_with_lines(t) for t in texts], args.repeat)
        t_all, full = timed(cold(lambda: load_content(root, checks=checks_for(Settings()))), args.repeat)
        print(f"{size:<10} {len(content.topics):>6} {t_reload:>8.3f} {t_restart:>9.3f} {t_all_files:>9.3f} {t_edit:>7.3f} {t_nocheck:>7.3f} "
              f"{max(0.0, t_load - t_nocheck):>8.3f} {t_build:>7.3f} {t_parse:>7.3f} {t_all:>12.3f}  "
              f"{len(full.errors)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
