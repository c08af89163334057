"""A wheel is a complete bot: content, safety rules, word lists and the widget travel with it."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The project built as a wheel and installed in a fresh virtualenv (dependencies from this one)."""
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp / "dist"), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0 and "bdist_wheel" in build.stderr:  # older setuptools without the wheel package
        build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"),
                                str(ROOT)], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr[-2000:]
    env_dir = tmp / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    wheel = next((tmp / "dist").glob("healthbot-*.whl"))
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                              "--force-reinstall", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-2000:]
    return python


def run(python: Path, code: str, cwd: Path) -> str:
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=cwd, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_the_installed_wheel_answers_from_its_bundled_content(installed, tmp_path):
    out = run(installed, (
        "import json, bot, bot.cli\n"
        "from bot.settings import Settings\n"
        "print(json.dumps({'file': bot.__file__, 'root': Settings().content_root}))\n"
        "bot.cli.main(['ask', 'what is angeoplasty', '--json'])\n"), cwd=tmp_path)
    first, rest = out.split("\n", 1)
    where = json.loads(first)
    assert str(ROOT) not in where["file"] and where["root"].endswith("bot/_bundle")
    reply = json.loads(rest)
    assert reply["intent"] == "what_is" and reply["topic_id"] == "angioplasty"
    assert any("nhlbi.nih.gov" in c["url"] for c in reply["citations"])


def test_the_installed_wheel_serves_the_widget_and_checks_safety_first(installed, tmp_path):
    out = run(installed, (
        "from bot.server.app import create_app\n"
        "from bot.settings import Settings\n"
        "app = create_app(Settings(store_url='memory://', unanswered_url='memory://'))\n"
        "c = app.test_client()\n"
        "print(c.get('/widget.js').status_code, len(c.get('/widget.js').data) > 5000)\n"
        "print(c.post('/api/chat', json={'text': 'I have crushing chest pain right now'}).get_json()['kind'])\n"),
        cwd=tmp_path)
    assert out.split() == ["200", "True", "emergency"]
