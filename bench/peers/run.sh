#!/usr/bin/env bash
# Peer benchmark: Twilio's and pywa's Python code on the plugin's fixture payloads, and our component
# through examples/python (wasmtime-py) in the same process.
# Creates bench/peers/.venv, installs the pinned peers and examples/python's wasmtime, runs peers.py.
# stdout: exactly one JSON object (from peers.py); everything else goes to stderr.
# Usage: bash bench/peers/run.sh [TWILIO_FIXTURE] [META_FIXTURE]
set -euo pipefail

TWILIO_VERSION=9.13.0
PYWA_VERSION=4.5.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# The wasmtime-py examples/python is tested with: one pin for both.
WASMTIME_PIN="$(grep '^wasmtime==' "$repo/examples/python/requirements.txt")"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating virtualenv in $venv" >&2
    "$python" -m venv "$venv" >&2
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "twilio==$TWILIO_VERSION" "pywa==$PYWA_VERSION" "$WASMTIME_PIN" >&2

exec "$venv/bin/python" "$here/peers.py" "$@"
