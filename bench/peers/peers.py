#!/usr/bin/env python3
"""Peer benchmark: what a helpdesk vendor would otherwise run in Python.

Times, on the SAME fixture payloads the plugin's tests use:

* Twilio  - ``twilio.request_validator.RequestValidator(secret).validate(url, params, signature)``
* Meta    - pywa turning the raw webhook body into a ``pywa.types.Message``
            (``RawUpdate(body)`` -- which is pywa's ``json.loads`` -- then
            ``Message.from_update(client=wa, update=raw)``), pywa's
            ``X-Hub-Signature-256`` check (``wa.webhook_update_validator``), and
            both together.
* Ours    - the plugin component through examples/python's ``WhatsAppPlugin``
            (wasmtime-py, the JSON door): ``normalize`` with the secret (signature check,
            then parse) on the Meta payload, JSON encoding and decoding included, with an
            instance reused per plugin (wall-time deadline; and a fuel budget instead) and
            with a fresh instance per call; and ``normalize`` on the Twilio payload (reused
            instance), next to Twilio's validator. Skipped when the component is missing
            (``cargo build -p host-harness`` writes it; ``WHATSAPP_PLUGIN_WASM`` points
            elsewhere).

Usage: peers.py [TWILIO_FIXTURE] [META_FIXTURE]

Prints exactly one JSON object on stdout; every log line goes to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import statistics
import sys
import time
import urllib.parse
from importlib.metadata import version as pkg_version
from pathlib import Path

# The checkout's own fixtures, found from this file (bench/peers/peers.py), so any clone works.
FIXTURES = Path(__file__).resolve().parent.parent.parent / "tests" / "fixtures"
DEFAULT_TWILIO = str(FIXTURES / "twilio" / "01-text.json")
DEFAULT_META = str(FIXTURES / "meta-cloud" / "01-text.json")

ROUNDS = 5
ITERATIONS = 20_000
WARMUP = 2_000
# Our component costs tens of microseconds a call: fewer calls give rounds of about the same length.
OURS_ITERATIONS = 2_000
OURS_WARMUP = 200


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def header(headers: dict, name: str) -> str:
    """Case-insensitive header lookup (HTTP header names are case-insensitive)."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    raise KeyError(f"header {name!r} not in fixture")


def bench(name: str, fn, iterations: int = ITERATIONS, warmup: int = WARMUP) -> int:
    """Median over ROUNDS of the mean per-call time (ns) of `iterations` calls of fn()."""
    perf = time.perf_counter_ns
    for _ in range(warmup):
        fn()
    per_op = []
    for _ in range(ROUNDS):
        start = perf()
        for _ in range(iterations):
            fn()
        per_op.append((perf() - start) / iterations)
    median = statistics.median(per_op)
    log(
        f"{name}: median {median:,.0f} ns/op over {ROUNDS}x{iterations:,} "
        f"(rounds: {', '.join(f'{v:,.0f}' for v in per_op)})"
    )
    return round(median)


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def twilio_bench(path: str) -> dict:
    from twilio.request_validator import RequestValidator

    fx = load(path)
    url = fx["webhook"]["url"]
    body = fx["webhook"]["body"]
    signature = header(fx["webhook"]["headers"], "X-Twilio-Signature")
    # What a web framework hands the app: the form body parsed into a dict
    # (Flask's request.form, Django's request.POST ...). Parsed once, outside the timing.
    params = dict(urllib.parse.parse_qsl(body, keep_blank_values=True))

    validator = RequestValidator(fx["secret"])
    assert validator.validate(url, params, signature) is True, "twilio: fixture signature must validate"
    assert validator.validate(url, {**params, "Body": "tampered"}, signature) is False, (
        "twilio: a tampered body must not validate"
    )

    result = {"twilio_validate_ns": bench("twilio validate", lambda: validator.validate(url, params, signature))}

    # Supplementary (stderr only): the same check including the form parsing.
    bench(
        "twilio parse_qsl + validate (stderr only)",
        lambda: validator.validate(url, dict(urllib.parse.parse_qsl(body, keep_blank_values=True)), signature),
    )
    return result


def pywa_bench(path: str) -> dict:
    from pywa import WhatsApp, utils
    from pywa.types import Message, RawUpdate

    fx = load(path)
    body = fx["webhook"]["body"].encode("utf-8")  # the raw request body, as bytes
    signature = header(fx["webhook"]["headers"], utils.HUB_SIG)  # "X-Hub-Signature-256"
    phone_id = json.loads(body)["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"]

    # A client that never touches the network: no server, no callback URL.
    # app_secret + validate_updates=True is what turns on pywa's signature check.
    wa = WhatsApp(
        phone_id=phone_id,
        token="benchmark-token-unused",
        server=None,
        verify_token="benchmark-verify-token-unused",
        app_secret=fx["secret"],
        validate_updates=True,
    )

    def parse() -> Message:
        # RawUpdate.__init__ is pywa's json.loads of the raw body; webhook_update_handler
        # builds it exactly like this (it also passes a blake2s hash used for logging and
        # de-duplication, not for parsing -- left out here).
        raw = RawUpdate(body, hmac_header=signature, update_hash="")
        return Message.from_update(client=wa, update=raw)

    def verify() -> bool:
        # Public API: returns None when the signature is good, (reason, status) otherwise.
        return wa.webhook_update_validator(body, signature) is None

    def parse_and_verify() -> Message:
        if wa.webhook_update_validator(body, signature) is not None:
            raise AssertionError("bad signature")
        raw = RawUpdate(body, hmac_header=signature, update_hash="")
        return Message.from_update(client=wa, update=raw)

    # Correctness first: the same fields the plugin's fixture expects.
    expect = fx["expect"]["ok"][0]["message"]
    msg = parse()
    assert isinstance(msg, Message), type(msg)
    assert msg.id == expect["id"], (msg.id, expect["id"])
    assert msg.text == expect["text"], (msg.text, expect["text"])
    assert msg.from_user.wa_id == expect["customer"]["wa_id"], msg.from_user
    assert msg.from_user.name == expect["customer"]["profile_name"], msg.from_user
    assert msg.metadata.phone_number_id == expect["business"]["number_id"], msg.metadata
    assert verify() is True, "pywa: fixture signature must validate"
    pywa_log = logging.getLogger("pywa")
    level = pywa_log.level
    pywa_log.setLevel(logging.ERROR)  # the expected rejection below logs a warning; keep stderr quiet
    try:
        assert wa.webhook_update_validator(body + b" ", signature) == ("Forbidden", 403), (
            "pywa: a tampered body must not validate"
        )
    finally:
        pywa_log.setLevel(level)
    assert utils.webhook_updates_validator(fx["secret"], body, signature) is True
    log(f"pywa parsed: id={msg.id} type={msg.type} from={msg.from_user.wa_id} text={msg.text!r}")

    return {
        "pywa_parse_ns": bench("pywa RawUpdate(json.loads) + Message.from_update", parse),
        "pywa_signature_ns": bench("pywa webhook_update_validator", verify),
        "pywa_parse_and_verify_ns": bench("pywa validate + parse", parse_and_verify),
    }


def ours_twilio_bench(path: str) -> dict:
    """Our component on the Twilio fixture, in this same process, with the example's default policy
    (one instance reused, a wall-time deadline): `normalize` with the secret checks the signature and
    parses the form, more than twilio-python's `validate`, which only checks (the form already parsed
    by the web framework)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "examples" / "python"))
    from whatsapp_plugin import DEFAULT_COMPONENT, WhatsAppPlugin, epoch_ms

    component = os.environ.get("WHATSAPP_PLUGIN_WASM") or str(DEFAULT_COMPONENT)
    if not Path(component).is_file():
        return {}
    fx = load(path)
    webhook = fx["webhook"]
    body = webhook["body"].encode("utf-8")
    received_at = epoch_ms(fx["received_at"])
    plugin = WhatsAppPlugin(component)

    def normalize() -> dict:
        return plugin.normalize("twilio", webhook["url"], webhook["headers"], body, received_at, secret=fx["secret"])

    (event,) = normalize()["ok"]
    assert event["message"]["id"] == fx["expect"]["ok"][0]["message"]["id"], event
    tampered = plugin.normalize("twilio", webhook["url"], webhook["headers"], body + b"x", received_at, secret=fx["secret"])
    assert "bad-signature" in tampered.get("error", {}), tampered
    return {
        "ours_twilio_verify_normalize_reused_ns": bench(
            "ours twilio verify + normalize, instance reused (wasmtime-py, JSON door)",
            normalize,
            iterations=OURS_ITERATIONS,
            warmup=OURS_WARMUP,
        )
    }


def ours_bench(path: str) -> dict:
    """Our component through examples/python's WhatsAppPlugin (wasmtime-py, the JSON door), in this
    same process: `normalize` with the secret, which checks the signature and then parses, so it is
    the counterpart of pywa's validate + parse. Timed with the Python side's JSON encoding of the
    arguments and decoding of the answer, for both instance policies."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "examples" / "python"))
    from whatsapp_plugin import DEFAULT_COMPONENT, WhatsAppPlugin, epoch_ms

    component = os.environ.get("WHATSAPP_PLUGIN_WASM") or str(DEFAULT_COMPONENT)
    if not Path(component).is_file():
        log(f"ours: {component} is missing (cargo build -p host-harness writes it); skipped")
        return {}
    log(f"ours: {component}")
    fx = load(path)
    webhook = fx["webhook"]
    body = webhook["body"].encode("utf-8")  # the raw request body, as bytes, as pywa gets it
    received_at = epoch_ms(fx["received_at"])
    expect = fx["expect"]["ok"][0]["message"]
    results = {}
    policies = (
        # The example's default: one instance reused, a wall-time deadline (epoch interruption).
        ("reused", dict(reuse=True)),
        ("fresh", dict(reuse=False)),
        # The same reused instance with a fuel budget instead (deterministic instruction counts).
        ("reused_fuel", dict(reuse=True, budget="fuel")),
    )
    for policy, settings in policies:
        plugin = WhatsAppPlugin(component, **settings)

        def normalize(plugin=plugin) -> dict:
            return plugin.normalize(
                "meta-cloud", webhook["url"], webhook["headers"], body, received_at, secret=fx["secret"]
            )

        answer = normalize()
        (event,) = answer["ok"]
        assert event["message"]["id"] == expect["id"], event
        assert event["message"]["text"] == expect["text"], event
        tampered = plugin.normalize(
            "meta-cloud", webhook["url"], webhook["headers"], body + b" ", received_at, secret=fx["secret"]
        )
        assert "bad-signature" in tampered.get("error", {}), tampered
        results[f"ours_verify_normalize_{policy}_ns"] = bench(
            f"ours verify + normalize, instance {policy} (wasmtime-py, JSON door)",
            normalize,
            iterations=OURS_ITERATIONS,
            warmup=OURS_WARMUP,
        )
    return results


def main(argv: list[str]) -> int:
    if len(argv) > 3:
        log(__doc__)
        return 2
    twilio_path = argv[1] if len(argv) > 1 else DEFAULT_TWILIO
    meta_path = argv[2] if len(argv) > 2 else DEFAULT_META

    # Keep library logging off stdout, and at the level a production app would run.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)

    log(f"python {platform.python_version()} ({platform.python_implementation()}) on {platform.machine()}")
    log(f"twilio fixture: {twilio_path}")
    log(f"meta fixture:   {meta_path}")

    results: dict[str, int] = {}
    results.update(twilio_bench(twilio_path))
    results.update(pywa_bench(meta_path))
    results.update(ours_bench(meta_path))
    results.update(ours_twilio_bench(twilio_path))
    pywa = results["pywa_parse_and_verify_ns"]
    for policy in ("reused", "fresh", "reused_fuel"):
        ours = results.get(f"ours_verify_normalize_{policy}_ns")
        if ours:
            log(f"ours ({policy} instance) / pywa validate + parse: {ours / pywa:.2f}x (target: at most 2x)")
    twilio_ours = results.get("ours_twilio_verify_normalize_reused_ns")
    if twilio_ours:
        ratio = twilio_ours / results["twilio_validate_ns"]
        log(f"ours Twilio verify + normalize (reused instance) / twilio validate: {ratio:.2f}x")

    out = {
        "python": platform.python_version(),
        "twilio": pkg_version("twilio"),
        "pywa": pkg_version("pywa"),
        "wasmtime": pkg_version("wasmtime"),
        "results": results,
    }
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
