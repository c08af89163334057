"""The ``healthbot`` command: serve, chat, ask, validate, eval."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Sequence

from bot.content.convtest import EXAMPLES_MIN_ACCURACY
from bot.settings import Settings, SettingsError


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "content", None):
        overrides["content_root"] = str(Path(args.content).resolve())
    return Settings.from_env(**overrides)


def _runtime(args: argparse.Namespace, store_url: str | None = None):
    from bot.content.live import ContentInvalid
    from bot.runtime import build_runtime
    from bot.sessions import open_store

    settings = _settings(args)
    if store_url == "memory://":  # a staff member trying things out is not a patient: keep no log
        settings = dataclasses.replace(settings, unanswered_url="memory://")
    try:
        return build_runtime(settings, store=open_store(store_url) if store_url else None)
    except ContentInvalid as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        print(f"\nThe content has {len(exc.errors)} error(s); fix them and run 'healthbot validate'.", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.content.load import load_content
    from bot.content.validate import checks_for

    settings = _settings(args)
    content = load_content(settings.content_root, checks=checks_for(settings))
    problems = list(content.errors) + list(content.warnings)
    failed = bool(content.errors) or (args.strict and bool(content.warnings))
    if args.format == "json":
        print(json.dumps({
            "ok": not failed,
            "topics": len(content.topics),
            "intents": len(content.intents),
            "errors": [e.to_dict() for e in content.errors],
            "warnings": [w.to_dict() for w in content.warnings],
        }, indent=2))
    else:
        for problem in sorted(problems, key=lambda p: (p.file, p.line)):
            print(problem)
        status = "FAILED" if failed else "OK"
        print(f"{status}: {len(content.topics)} topics, {len(content.intents)} intents, "
              f"{len(content.errors)} error(s), {len(content.warnings)} warning(s)")
    return 1 if failed else 0


def cmd_test(args: argparse.Namespace) -> int:
    """Run conversation tests (files or folders) and the intent-example self-check."""
    from bot.content.convtest import check_examples, format_examples, run_files
    from bot.content.load import load_content
    from bot.content.validate import checks_for
    from bot.core.engine import Engine, Policy
    from bot.core.knowledge import build
    from bot.runtime import load_sentence_model
    from bot.sessions.memory import MemoryStore

    settings = _settings(args)
    root = Path(settings.content_root)
    content = load_content(root, checks=checks_for(settings))
    if not content.ok:
        for err in content.errors:
            print(err, file=sys.stderr)
        print(f"\nThe content has {len(content.errors)} error(s); fix them first ('healthbot validate').", file=sys.stderr)
        return 2
    knowledge = build(content, load_sentence_model(settings), settings.cache_dir or None)
    policy = Policy(session_ttl=settings.session_ttl, locale=settings.locale)
    factory = lambda: Engine(knowledge, MemoryStore(), policy)  # noqa: E731
    paths = args.paths or [p for p in (root / "tests" / "conversations", Path.cwd() / "tests" / "conversations") if p.is_dir()][:1]
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"No such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    result = run_files(paths, factory, content, Path.cwd())
    failed = not result.ok
    for err in result.errors:
        print(f"{err}", file=sys.stderr)
    for turn in result.failures:
        print(turn.diff())
        print()
    passed = sum(t.ok for t in result.turns)
    print(f"{'OK' if result.ok else 'FAILED'}: {result.conversations} conversation(s), "
          f"{passed}/{len(result.turns)} turn(s) passed, {len(result.errors)} file problem(s)")
    if not args.no_examples:
        check = check_examples(content, factory)
        print(format_examples(check, args.examples_min))
        failed = failed or check.accuracy < args.examples_min
    return 1 if failed else 0


def cmd_report(args: argparse.Namespace) -> int:
    """Unanswered questions, grouped and ranked, with a suggested fix per group."""
    from bot.content.validate import checks_for
    from bot.report import AcceptError, apply_accept, build_report, format_report, knowledge_for, plan_accept, unified_diff
    from bot.unanswered import open_unanswered_log

    settings = _settings(args)
    log_ = open_unanswered_log(settings.unanswered_url)
    if log_ is None:
        print("The unanswered-question log is off (HEALTHBOT_UNANSWERED_URL).", file=sys.stderr)
        return 2
    log_.purge()
    records = log_.all()
    knowledge = knowledge_for(settings.content_root, checks=[])
    groups = build_report(records, knowledge)
    if args.accept is None:
        if args.format == "json":
            print(json.dumps({"total": len(records), "groups": [g.to_dict() for g in groups]}, indent=2, ensure_ascii=False))
        else:
            print(format_report(groups, len(records)))
        return 0
    if not 1 <= args.accept <= len(groups):
        print(f"There is no group {args.accept}; the report has {len(groups)} group(s).", file=sys.stderr)
        return 2
    group = groups[args.accept - 1]
    root = Path(settings.content_root)
    try:
        path, old, new = plan_accept(group, knowledge)
    except AcceptError as exc:
        print(f"Group {group.n} cannot be accepted automatically: {exc}", file=sys.stderr)
        return 1
    print(unified_diff(path, old, new, root), end="")
    if not args.yes:
        if not sys.stdin.isatty():
            print("\nNothing written. Run again with --yes to apply this change.")
            return 0
        if input("\nApply this change? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing written.")
            return 0
    errors = apply_accept(path, old, new, root, checks=checks_for(settings))
    if errors:
        print("The change was not kept: the content would not validate:", file=sys.stderr)
        for err in errors:
            print(f"  {err}", file=sys.stderr)
        return 1
    print(f"Written to {path.relative_to(root) if path.is_relative_to(root) else path}; 'healthbot validate' passes.")
    return 0


def _print_reply(reply, as_json: bool) -> None:
    if as_json:
        print(json.dumps(reply.to_dict(debug=True), indent=2, ensure_ascii=False))
        return
    for part in reply.messages:
        print(part.text)
        print()
    for c in reply.citations:
        print(f"  [{c.n}] {c.title} ({c.publisher}) {c.url}")
    if reply.quick_replies:
        print("  → " + " | ".join(q.title for q in reply.quick_replies))


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.core.models import Message

    runtime = _runtime(args, "memory://")
    reply = runtime.engine.handle(Message(session_id=uuid.uuid4().hex, text=args.text))
    _print_reply(reply, args.json)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.core.models import Message

    runtime = _runtime(args, "memory://")
    session = uuid.uuid4().hex
    print("Health topics chat. Type a question; 'quit' or Ctrl-D to leave.\n")
    while True:
        try:
            text = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.lower() in ("quit", "exit"):
            return 0
        if not text:
            continue
        if text.isdigit() and getattr(cmd_chat, "_last", None):
            options = cmd_chat._last  # type: ignore[attr-defined]
            if 1 <= int(text) <= len(options):
                text = options[int(text) - 1].payload
        reply = runtime.engine.handle(Message(session_id=session, text=text[:2000]))
        print()
        _print_reply(reply, False)
        if reply.quick_replies:
            print("  (type a number: " + ", ".join(f"{i}. {q.title}" for i, q in enumerate(reply.quick_replies, 1)) + ")")
        cmd_chat._last = reply.quick_replies  # type: ignore[attr-defined]
        print()


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import EvalInputError, evaluate, format_report, read_questions

    runtime = _runtime(args, "memory://")
    try:
        rows = read_questions(args.files)
    except EvalInputError as exc:
        print(exc, file=sys.stderr)
        return 2
    result = evaluate(runtime.engine, rows)
    if args.details:
        with open(args.details, "w", encoding="utf-8") as fh:
            for row in result.details:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    opinion = runtime.content.current.opinion
    model = runtime.settings.sentence_model if opinion is not None else ""
    precision = opinion.encoder.precision if opinion is not None else ""
    if args.json:
        print(json.dumps({**result.figures, "sentence_model": model, "sentence_precision": precision}, indent=2))
    else:
        # The figures differ with and without the model: say which were measured.
        print(f"sentence model: {model} ({precision}, trained on {opinion.trained_on} phrasings)"
              if opinion else "sentence model: off")
        print(format_report(result.figures))
    return 0


def cmd_import_medlineplus(args: argparse.Namespace) -> int:
    """Turn NLM's health-topics XML into imported topic files; curated files are kept."""
    from bot.content.medlineplus import MedlinePlusError, import_file

    try:
        report = import_file(args.file, args.out, lang=args.lang, curated=args.curated or ())
    except (MedlinePlusError, OSError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    print(f"run 'healthbot --content <root> validate' on the content folder that holds {args.out}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.server.serve import serve

    return serve(_settings(args), host=args.host, port=args.port, workers=args.workers, threads=args.threads)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="healthbot", description="A health-topic chatbot with cited answers.")
    parser.add_argument("--content", help="content folder holding intents/ and data/ (default: current folder or the bundled content)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the HTTP server (gunicorn)")
    p.add_argument("--host", default=os.environ.get("HEALTHBOT_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("HEALTHBOT_PORT", "8000")))
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--threads", type=int, default=None)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("chat", help="a conversation in the terminal")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("ask", help="one question as the first turn of a fresh conversation")
    p.add_argument("text")
    p.add_argument("--json", action="store_true", help="print the reply object as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("validate", help="check all content; non-zero exit on errors")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("import-medlineplus", help="turn the MedlinePlus health-topics XML into topic files")
    p.add_argument("file", help="mplus_topics_YYYY-MM-DD.xml as published by NLM")
    p.add_argument("--out", required=True, help="folder for the topic files, e.g. data/topics")
    p.add_argument("--lang", choices=("en", "es"), help="import only this language (default: both)")
    p.add_argument("--curated", action="append", metavar="DIR",
                   help="content root or topics folder whose topics must not be imported (repeatable)")
    p.set_defaults(func=cmd_import_medlineplus)

    p = sub.add_parser("test", help="run conversation tests and the intent-example checks")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: tests/conversations)")
    p.add_argument("--no-examples", action="store_true", help="skip the intent-example self-check")
    p.add_argument("--examples-min", type=float, default=EXAMPLES_MIN_ACCURACY, metavar="SHARE",
                   help="fail when fewer intent examples than this share (0-1) classify as their own intent")
    p.set_defaults(func=cmd_test)

    p = sub.add_parser("report", help="unanswered questions grouped, ranked, with suggested fixes")
    p.add_argument("--accept", type=int, metavar="N", help="apply group N's suggestion to its YAML file")
    p.add_argument("--yes", action="store_true", help="apply without asking")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("eval", help="accuracy on labelled questions (JSONL)")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--details", metavar="OUT.jsonl")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # "healthbot report | head": the reader has gone; stop quietly, as other command-line tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
