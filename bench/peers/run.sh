#!/usr/bin/env bash
# Peer benchmark: Twilio's and pywa's Python code on the plugin's fixture payloads.
# Creates bench/peers/.venv, installs the pinned peers, runs peers.py.
# stdout: exactly one JSON object (from peers.py); everything else goes to stderr.
# Usage: bash bench/peers/run.sh [TWILIO_FIXTURE] [META_FIXTURE]
set -euo pipefail

TWILIO_VERSION=9.13.0
PYWA_VERSION=4.5.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
    echo "creating virtualenv in $venv" >&2
    "$python" -m venv "$venv" >&2
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "twilio==$TWILIO_VERSION" "pywa==$PYWA_VERSION" >&2

exec "$venv/bin/python" "$here/peers.py" "$@"
