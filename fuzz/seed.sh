#!/usr/bin/env bash
# Seed each target's corpus with the bodies of the provider fixtures (every documented shape, the 2026 ones
# included: groups, calls, Flows, edits, history, preferences, template webhooks), then fuzz:
#   bash fuzz/seed.sh && cd fuzz && cargo +nightly fuzz run normalize_meta -- -max_total_time=60
set -euo pipefail
cd "$(dirname "$0")"
for pair in meta-cloud:normalize_meta twilio:normalize_twilio one-msg:normalize_one_msg; do
  folder=${pair%%:*}; target=${pair##*:}
  mkdir -p "corpus/$target"
  python3 - "../tests/fixtures/$folder" "corpus/$target" <<'PY'
import json, pathlib, sys, hashlib
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for f in sorted(src.glob("*.json")):
    doc = json.loads(f.read_text())
    body = (doc.get("webhook") or doc).get("body")
    if isinstance(body, str):
        (dst / hashlib.sha1(body.encode()).hexdigest()).write_text(body)
PY
  echo "$target: $(ls "corpus/$target" | wc -l) seeds"
done
