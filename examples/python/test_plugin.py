"""The plugin component driven from Python, checked against the project's fixtures."""

import json
from urllib.parse import parse_qsl
from pathlib import Path

import pytest

from wasmtime import WasmtimeError

from whatsapp_plugin import BASE_FUEL, DoorError, WhatsAppPlugin, epoch_ms

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def load(relative: str) -> dict:
    return json.loads((FIXTURES / relative).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plugin() -> WhatsAppPlugin:
    return WhatsAppPlugin()


def normalize_fixture(plugin: WhatsAppPlugin, fixture: dict, **changes) -> dict:
    webhook = fixture["webhook"]
    args = dict(
        provider="meta-cloud",
        url=webhook["url"],
        headers=webhook["headers"],
        body=webhook["body"],
        received_at=epoch_ms(fixture["received_at"]),
        secret=fixture.get("secret"),
    )
    args.update(changes)
    return plugin.normalize(**args)


def test_normalize_meta_text_message(plugin):
    fixture = load("meta-cloud/01-text.json")
    expected = fixture["expect"]["ok"][0]["message"]

    result = normalize_fixture(plugin, fixture)

    assert "ok" in result, result
    (event,) = result["ok"]
    message = event["message"]
    assert message["id"] == expected["id"]
    assert message["customer"]["phone"] == expected["customer"]["phone"]
    assert message["text"] == expected["text"]
    assert message["sent_at"] == epoch_ms(expected["sent_at"])
    # A few more fields the mapping carries: enums as strings, absent options as None.
    assert message["provider"] == "meta-cloud"
    assert message["kind"] == "text"
    assert message["clock"] == "provider-timestamp"
    assert message["location"] is None
    assert message["attachments"] == []


def test_bad_signature_is_the_error_case(plugin):
    fixture = load("meta-cloud/39-bad-signature-wrong-secret.json")
    assert "bad-signature" in fixture["expect"]["error"]

    result = normalize_fixture(plugin, fixture)

    assert list(result) == ["error"], result
    assert list(result["error"]) == ["bad-signature"]
    assert isinstance(result["error"]["bad-signature"], str)


def test_altered_body_is_a_bad_signature(plugin):
    fixture = load("meta-cloud/01-text.json")
    body = fixture["webhook"]["body"].replace("#1043", "#1044")

    result = normalize_fixture(plugin, fixture, body=body)

    assert list(result) == ["error"] and "bad-signature" in result["error"], result


def test_window_closed_at_exactly_24_hours(plugin):
    fixture = load("window/03-exactly-24-hours-is-closed.json")
    request = json.loads(json.dumps(fixture["request"]))  # a copy to convert
    last = request["conversation"]["last_customer_message"]
    last["sent_at"] = epoch_ms(last["sent_at"])
    request["now"] = epoch_ms(request["now"])
    expected = fixture["expect"]["ok"]

    result = plugin.check_window(request)

    assert "ok" in result, result
    answer = result["ok"]
    assert answer["state"] == "closed" == expected["state"]
    assert answer["free_form_allowed"] is False
    assert answer["templates_allowed"] is expected["templates_allowed"]
    assert answer["time_left"] == expected["time_left"]
    assert answer["closes_at"] == epoch_ms(expected["closes_at"])
    assert answer["entry_point"] == "not-applicable"  # a variant case without payload
    for words in fixture["hint_contains"]:
        assert words in answer["hint"]


def test_render_template_for_meta_cloud(plugin):
    fixture = load("templates/01-positional-utility-text-header-quick-replies.json")
    case = fixture["cases"][0]
    assert case["target"] == "meta-cloud"
    expected = case["expect"]["ok"]

    result = plugin.render(fixture["template"], case["values"], case["target"])

    assert "ok" in result, result
    rendered = result["ok"]
    assert rendered["provider"] == "meta-cloud"
    assert json.loads(rendered["payload"]) == expected["payload"]
    assert rendered["text"] == expected["text"]


def test_render_reports_problems_as_the_error_case(plugin):
    fixture = load("templates/01-positional-utility-text-header-quick-replies.json")
    case = fixture["cases"][3]

    result = plugin.render(fixture["template"], case["values"], case["target"])

    assert list(result) == ["error"], result
    problems = [(p["variable"], p["kind"], p["prevents_meta_error"]) for p in result["error"]]
    assert problems == [("3", "missing", 132000), ("4", "unexpected", 132000)]


def test_compose_a_twilio_reply(plugin):
    fixture = load("outbound/20-twilio-text-with-status-callback.json")
    request = dict(fixture["request"])
    request["now"] = epoch_ms(request["now"])
    conversation = dict(request["window"]["conversation"])
    conversation["last_customer_message"] = dict(conversation["last_customer_message"])
    conversation["last_customer_message"]["sent_at"] = epoch_ms(conversation["last_customer_message"]["sent_at"])
    request["window"] = {"conversation": conversation}

    result = plugin.compose(request)

    assert "ok" in result, result
    answer = result["ok"]
    assert answer["problems"] == []
    assert answer["request"]["path"] == fixture["expect"]["request"]["path"]
    assert answer["request"]["credentials"] == "basic-auth"
    assert [list(p) for p in parse_qsl(answer["request"]["body"])] == fixture["expect"]["form_body"]


def test_info_contract_version(plugin):
    info = plugin.info()
    assert info["contract_version"] == "0.2.0"
    assert set(info["providers"]) == {"twilio", "meta-cloud", "one-msg"}


def test_a_reused_instance_answers_as_a_fresh_one(plugin):
    fixture = load("meta-cloud/01-text.json")
    fresh = WhatsAppPlugin(reuse=False)

    reused_answers = [normalize_fixture(plugin, fixture) for _ in range(3)]
    fresh_answers = [normalize_fixture(fresh, fixture) for _ in range(2)]

    assert reused_answers[0] == reused_answers[1] == reused_answers[2] == fresh_answers[0] == fresh_answers[1]
    assert fresh.instantiations == 2


def test_an_exhausted_budget_discards_the_instance():
    plugin = WhatsAppPlugin(budget="fuel")
    fixture = load("meta-cloud/01-text.json")
    expected = normalize_fixture(plugin, fixture)
    assert plugin.instantiations == 1

    plugin.base_fuel = 10_000  # far too little for a signed webhook
    with pytest.raises(WasmtimeError):
        normalize_fixture(plugin, fixture)
    assert plugin._instance is None  # the trapped instance is gone

    plugin.base_fuel = BASE_FUEL
    assert normalize_fixture(plugin, fixture) == expected  # a new instance, the same answer
    assert plugin.instantiations == 2
    normalize_fixture(plugin, fixture)
    assert plugin.instantiations == 2  # and it is reused again


def test_bad_arguments_name_the_field(plugin):
    fixture = load("meta-cloud/01-text.json")
    webhook = plugin.webhook("meta-cloud", "https://x", fixture["webhook"]["headers"], "{}", 0)
    webhook["headers"][0]["name"] = 42

    with pytest.raises(DoorError) as refused:
        plugin.call("inbound", "normalize", webhook=webhook, options={})

    assert refused.value.kind == "bad-arguments"
    assert refused.value.field == "webhook.headers[0].name"
    assert refused.value.reason == "expected a string, found 42"
    with pytest.raises(DoorError, match="unknown-function"):
        plugin.call("inbound", "normalise")
    assert plugin.info()["contract_version"] == "0.2.0"  # a refusal is an answer, not a trap


def test_instants_may_be_rfc3339_and_bodies_bytes(plugin):
    fixture = load("meta-cloud/01-text.json")
    as_text = normalize_fixture(plugin, fixture)
    as_bytes = normalize_fixture(
        plugin, fixture, body=fixture["webhook"]["body"].encode("utf-8"), received_at=fixture["received_at"]
    )
    assert as_text == as_bytes


def test_normalize_writes_the_arguments_json_dumps_would(plugin, monkeypatch):
    # normalize and verify_signature write their arguments' JSON by hand: the same text, once read,
    # as json.dumps of the mapping's dicts, for every kind of value they take.
    fixture = load("meta-cloud/01-text.json")
    webhook = fixture["webhook"]
    cases = [
        ("meta-cloud", webhook["url"], webhook["headers"], webhook["body"], 0, "s", None, None),
        ("twilio", "https://x/\u00e9?a=\"1\"", [("X-\u00e9", "v\n\x01"), ("b", "")], b"\xff\x00", "2026-11-20T09:59:56Z", None, True, 7),
        ("one-msg", "", {}, "caf\u00e9 \U0001f600", 2**40, "", False, 0),
    ]
    for provider, url, headers, body, received_at, secret, redact, limit in cases:
        sent = []
        monkeypatch.setattr(plugin, "call_text", lambda i, f, a: sent.append((i, f, a)) or "null")
        plugin.normalize(provider, url, headers, body, received_at, secret, redact, limit)
        plugin.verify_signature(provider, url, headers, body, received_at, secret or "k")
        hook = WhatsAppPlugin.webhook(provider, url, headers, body, received_at)
        options = {"secret": secret, "redact_card_numbers": redact, "max_attachment_bytes": limit}
        assert sent[0][:2] == ("inbound", "normalize")
        assert json.loads(sent[0][2]) == {"webhook": hook, "options": {k: v for k, v in options.items() if v is not None}}
        assert sent[1][:2] == ("inbound", "verify-signature")
        assert json.loads(sent[1][2]) == {"webhook": hook, "secret": secret or "k"}


def test_epoch_ms():
    assert epoch_ms("1970-01-01T00:00:00Z") == 0
    assert epoch_ms("2026-11-20T09:59:56Z") == 1_795_168_796_000
    assert epoch_ms("2026-11-20T10:59:56.250+01:00") == 1_795_168_796_250


def test_the_default_deadline_answers_as_fuel_does_and_stops_the_guest():
    fixture = load("meta-cloud/01-text.json")
    deadline = WhatsAppPlugin(budget="deadline")
    assert normalize_fixture(deadline, fixture) == normalize_fixture(WhatsAppPlugin(budget="fuel"), fixture)
    deadline.deadline_ticks = 0  # the deadline already reached: the guest stops at its first check
    with pytest.raises(WasmtimeError):
        normalize_fixture(deadline, fixture)
    assert deadline._instance is None
    deadline.deadline_ticks = 400
    assert "ok" in normalize_fixture(deadline, fixture)
