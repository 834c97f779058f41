#!/usr/bin/env bash
# Peer benchmark in Node.js: twilio-node's validator and whatsapp-api-js beside our component through jco,
# in one process, on the plugin's fixture payloads (bench/peers/node/peers.mjs).
# Installs the pinned peers in bench/peers/node, builds examples/node's jco bindings when they are missing.
# stdout: exactly one JSON object; everything else goes to stderr.
# Usage: bash bench/peers/node.sh [TWILIO_FIXTURE] [META_FIXTURE]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -f "$root/target/whatsapp_plugin.component.wasm" ]; then
    echo "building the component (cargo build -p host-harness)" >&2
    (cd "$root" && cargo build -p host-harness >&2)
fi
if [ ! -f "$root/examples/node/gen/whatsapp_plugin.js" ] ||
    [ "$root/target/whatsapp_plugin.component.wasm" -nt "$root/examples/node/gen/whatsapp_plugin.js" ]; then
    echo "transpiling the component with jco (examples/node)" >&2
    (cd "$root/examples/node" && npm install --no-audit --no-fund --loglevel=error >&2 && npm run build >&2)
fi
(cd "$here/node" && npm install --no-audit --no-fund --loglevel=error >&2)
exec node "$here/node/peers.mjs" "$@"
