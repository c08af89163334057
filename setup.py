"""Build hook: a wheel carries the bundled content and the web widget.

In a checkout (and an editable install) they are read from ``intents/``,
``data/`` and ``web/`` beside the package. A wheel has no checkout, so
``build_py`` copies those folders into the package as ``bot/_bundle/``,
where :mod:`bot.paths` finds them. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
BUNDLED = ("intents", "data", "web")


class BuildWithBundle(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        target = Path(self.build_lib) / "bot" / "_bundle"
        for name in BUNDLED:
            shutil.copytree(ROOT / name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("node_modules", "__pycache__"))


setup(cmdclass={"build_py": BuildWithBundle})
