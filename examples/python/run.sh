#!/usr/bin/env bash
# Runs the Python host example: a venv here, wasmtime-py from PyPI, then pytest against the component.
# Exits non-zero when anything fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$here"

component="${WHATSAPP_PLUGIN_WASM:-$repo/target/whatsapp_plugin.component.wasm}"
if [ ! -f "$component" ]; then
    echo "run.sh: $component is missing; building it with cargo (once)" >&2
    (cd "$repo" && cargo build -p host-harness)
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

# No bindings to generate: wasmtime.component reads the types from the component at run time.
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
