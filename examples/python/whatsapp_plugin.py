"""A small Python host for the WhatsApp channel plugin (helpdesk:whatsapp@0.2.0).

It loads the component with wasmtime-py's component model API (`wasmtime.component`), instantiates it
with an empty linker (the component imports nothing) and calls every export through the component's
JSON door, `json.call(interface, function, arguments) -> result<string, json-error>`: the arguments go
in as one JSON text and the answer comes back as one, so wasmtime-py converts two strings per call
instead of every field and every byte of a webhook body. The mapping is the component's own (README,
"JSON mapping"):

- record: dict with the WIT field names in snake_case (kebab-case accepted on input); a missing key
  is `None` for an `option` field, an error otherwise; an unknown key is an error;
- enum: the case name as a string, e.g. "meta-cloud";
- variant: "case" without payload, {"case": payload} with one;
- option: None or the value; result: {"ok": value} or {"error": value};
- list<u8>: a str (its UTF-8 bytes) or a list of ints on input, a list of ints on output;
- s64 instants: int epoch milliseconds, or an RFC 3339 string on input.

Instance policy (see README.md here): by default one instance per `WhatsAppPlugin`, reused from call
to call with its wall-time deadline set afresh before each (as the Rust harness's default host; fuel
with `budget="fuel"`); after any trap or exhausted budget the instance is dropped and the next call
builds a new one. `WhatsAppPlugin(reuse=False)` gives every call a fresh
Store and instance instead.
"""

from __future__ import annotations

import json
import os
import threading
import time
from datetime import datetime
from json.encoder import encode_basestring_ascii as _quote  # what json.dumps writes a str with
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Union

from ctypes import Structure, addressof, byref, c_bool, c_char_p, c_size_t, c_uint8, c_void_p
from ctypes import string_at as _string_at

from wasmtime import Config, Engine, Store
from wasmtime.component import Component, Linker

try:  # the C API calls wasmtime-py's Func.__call__ makes; see `_Door`
    from wasmtime import _ffi
    from wasmtime.component._enter import enter_wasm as _enter_wasm

    _STRING = _ffi.WASMTIME_COMPONENT_STRING.value
    _RESULT = _ffi.WASMTIME_COMPONENT_RESULT.value
    # Where a string's `wasm_byte_vec_t` sits in a `wasmtime_component_val_t`.
    _STRING_AT = _ffi.wasmtime_component_val_t.of.offset

    class _LentText(Structure):
        """`wasm_byte_vec_t` with `data` as `c_char_p`: assigning a `bytes` lends its buffer."""

        _fields_ = [("size", c_size_t), ("data", c_char_p)]
except ImportError:  # another wasmtime-py: the generic, slower call
    _ffi = None

PACKAGE = "helpdesk:whatsapp"
CONTRACT_VERSION = "0.2.0"

# The fuel budget (`WhatsAppPlugin(budget="fuel")`), as the Rust harness's `PluginHost::metered`: 30 M
# instructions plus 100 per input byte (here: per byte of the arguments' JSON text).
BASE_FUEL = 30_000_000
FUEL_PER_BYTE = 100

# The default budget: wall time instead of instructions, as the Rust harness's default host
# (`PluginHost::new`): a 2 s deadline counted in 5 ms epoch ticks.
EPOCH_TICK_SECONDS = 0.005
DEADLINE_TICKS = 400

DEFAULT_COMPONENT = Path(__file__).resolve().parents[2] / "target" / "whatsapp_plugin.component.wasm"

Json = Any


class DoorError(ValueError):
    """The door refused the call before the function ran (`json-error`): `kind` is the case
    (`unknown-interface`, `unknown-function`, `bad-arguments`, `not-json`); for `bad-arguments`,
    `field` is the JSON path of the offending value and `reason` what is wrong with it."""

    def __init__(self, kind: str, detail: Any) -> None:
        self.kind = kind
        if isinstance(detail, Mapping):
            self.field, self.reason = detail.get("field"), detail.get("reason")
            message = f"{kind}: {self.field}: {self.reason}"
        else:
            self.field, self.reason = None, detail
            message = f"{kind}: {detail}"
        super().__init__(message)


def epoch_ms(rfc3339: str) -> int:
    """`2026-11-20T09:59:56Z` (or with an offset) -> milliseconds since the Unix epoch."""
    text = rfc3339.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{rfc3339!r}: an RFC 3339 time needs an offset or Z")
    # Whole milliseconds without float rounding.
    delta = moment - datetime.fromisoformat("1970-01-01T00:00:00+00:00")
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _body(body: Union[bytes, bytearray, str]) -> Union[str, list]:
    """A `list<u8>` as the door reads it cheaply: text as a str, other bytes as a list of ints."""
    if isinstance(body, str):
        return body
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return list(body)


def _json(value: Json) -> str:
    """`json.dumps(value)`, with str, bool, int and None written without its per-call setup (about
    3 us for a webhook's dict): a str by the same C escaper json.dumps uses."""
    if value is None:
        return "null"
    kind = type(value)
    if kind is str:
        return _quote(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    return json.dumps(value)


def _webhook_json(
    provider: str,
    url: str,
    headers: Union[Mapping[str, str], Iterable[tuple]],
    body: Union[bytes, str],
    received_at: Union[int, str],
) -> str:
    """`json.dumps(WhatsAppPlugin.webhook(...))` in a few concatenations, without the dicts."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    listed = ",".join(['{"name":' + _json(name) + ',"value":' + _json(value) + "}" for name, value in pairs])
    return (
        '{"provider":' + _json(provider) + ',"url":' + _json(url) + ',"headers":[' + listed
        + '],"body":' + _json(_body(body)) + ',"received_at":' + _json(received_at) + "}"
    )


def _object_json(fields: Mapping[str, Json]) -> str:
    """A JSON object of `fields` without the absent ones (`None`: an absent `option` is `none`)."""
    return "{" + ",".join([_quote(k) + ":" + _json(v) for k, v in fields.items() if v is not None]) + "}"


class WhatsAppPlugin:
    """The plugin component, compiled once, called through its JSON door."""

    def __init__(
        self,
        path: Union[str, os.PathLike, None] = None,
        fuel: bool = True,
        reuse: bool = True,
        budget: str = "deadline",
    ) -> None:
        """`budget="deadline"` (the default): a wall-time deadline per call (epoch interruption, a
        ticker thread), as the Rust harness's default host; `budget="fuel"`: an instruction budget per
        call, deterministic, about 1.1x the time here. `fuel=False` with the fuel budget: no budget."""
        if budget not in ("fuel", "deadline"):
            raise ValueError(f"budget must be 'fuel' or 'deadline', not {budget!r}")
        path = path or os.environ.get("WHATSAPP_PLUGIN_WASM") or DEFAULT_COMPONENT
        config = Config()
        self._fuel = fuel and budget == "fuel"
        self._deadline = budget == "deadline"
        config.consume_fuel = self._fuel
        config.epoch_interruption = self._deadline
        self.base_fuel = BASE_FUEL
        self.deadline_ticks = DEADLINE_TICKS
        self.reuse = reuse
        self.engine = Engine(config)
        if self._deadline:
            _start_ticker(self.engine)
        self.component = Component.from_file(self.engine, str(path))
        imports = self.component.type.imports(self.engine)
        if imports:
            raise RuntimeError(f"expected a component with no imports, found {sorted(imports)}")
        self.linker = Linker(self.engine)  # empty: nothing to provide
        door = self.component.get_export_index(f"{PACKAGE}/json@{CONTRACT_VERSION}")
        if door is None:
            raise LookupError(f"the component exports no {PACKAGE}/json@{CONTRACT_VERSION}: older than 0.2.0?")
        self._door = self.component.get_export_index("call", door)
        # The reused (store, func), None until the first call and after a trap; a Store is not shared
        # between threads, so calls on one plugin take turns.
        self._instance: Optional[tuple] = None
        self._lock = threading.Lock()
        self._doors: dict = {}  # `_Door`s by (interface, function)
        self.instantiations = 0

    def _new_instance(self) -> tuple:
        store = Store(self.engine)
        instance = self.linker.instantiate(store, self.component)
        self.instantiations += 1
        return store, instance.get_func(store, self._door)

    def call_text(self, interface: str, function: str, arguments: str) -> str:
        """`json.call` with the arguments as JSON text; the answer as JSON text. Raises `DoorError`
        when the door refuses, `wasmtime.WasmtimeError` on a trap or an exhausted budget."""
        with self._lock:
            store, func = self._instance if self._instance is not None else self._new_instance()
            if self._fuel:
                store.set_fuel(self.base_fuel + FUEL_PER_BYTE * len(arguments))
            elif self._deadline:
                store.set_epoch_deadline(self.deadline_ticks)
            # Dropped first, kept again only after a clean answer: a trap or an exhausted budget
            # leaves this instance out.
            self._instance = None
            answer = _call_door(self, store, func, interface, function, arguments)
            if self.reuse:
                self._instance = (store, func)
        if isinstance(answer, str):
            return answer
        # wasmtime-py gives `result<string, json-error>`'s error as a bare Variant of `json-error`.
        raise DoorError(answer.tag, _record(answer.payload))

    def call(self, interface: str, function: str, **arguments: Json) -> Json:
        """Call any export with keyword arguments named like its parameters (snake_case), in the JSON
        mapping; returns the function's result in the mapping."""
        return json.loads(self.call_text(interface, function, json.dumps(arguments)))

    # -- the functions of the example -----------------------------------------------------------

    def info(self) -> Json:
        """info.info: contract version, plugin version, providers, features."""
        return self.call("info", "info")

    @staticmethod
    def webhook(
        provider: str,
        url: str,
        headers: Union[Mapping[str, str], Iterable[tuple]],
        body: Union[bytes, str],
        received_at: Union[int, str],
    ) -> dict:
        """The `webhook` record: headers as given, the body as text when it is UTF-8."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return {
            "provider": provider,
            "url": url,
            "headers": [{"name": name, "value": value} for name, value in pairs],
            "body": _body(body),
            "received_at": received_at,
        }

    def normalize(
        self,
        provider: str,
        url: str,
        headers: Union[Mapping[str, str], Iterable[tuple]],
        body: Union[bytes, str],
        received_at: Union[int, str],
        secret: Optional[str] = None,
        redact_card_numbers: Optional[bool] = None,
        max_attachment_bytes: Optional[int] = None,
    ) -> Json:
        """inbound.normalize: {"ok": [events]} or {"error": {case: payload}}."""
        options = _object_json(
            {"secret": secret, "redact_card_numbers": redact_card_numbers, "max_attachment_bytes": max_attachment_bytes}
        )
        webhook = _webhook_json(provider, url, headers, body, received_at)
        arguments = '{"webhook":' + webhook + ',"options":' + options + "}"
        return json.loads(self.call_text("inbound", "normalize", arguments))

    def verify_signature(
        self,
        provider: str,
        url: str,
        headers: Union[Mapping[str, str], Iterable[tuple]],
        body: Union[bytes, str],
        received_at: Union[int, str],
        secret: str,
    ) -> Json:
        """inbound.verify-signature: {"ok": signature-ok} or {"error": {case: payload}}."""
        webhook = _webhook_json(provider, url, headers, body, received_at)
        arguments = '{"webhook":' + webhook + ',"secret":' + _json(secret) + "}"
        return json.loads(self.call_text("inbound", "verify-signature", arguments))

    def check_window(self, request: Json) -> Json:
        """window.check: {"ok": window-answer} or {"error": {case: payload}}. Instants are epoch ms."""
        return self.call("window", "check", request=request)

    def compose(self, request: Json) -> Json:
        """outbound.compose: {"ok": {"request", "problems", ...}} or {"error": {case: payload}}."""
        return self.call("outbound", "compose", request=request)

    def render(self, template: Json, values: Json, target: str) -> Json:
        """templates.render: {"ok": {"provider", "payload" (JSON text), "text"}} or {"error": [problems]}."""
        return self.call("templates", "render", template=template, values=values, target=target)


def _start_ticker(engine: Engine) -> None:
    """A daemon thread that advances `engine`'s epoch every `EPOCH_TICK_SECONDS`, for as long as the
    process runs (the wasm call releases the GIL, so it ticks during a call)."""

    def tick() -> None:
        while True:
            time.sleep(EPOCH_TICK_SECONDS)
            engine.increment_epoch()

    threading.Thread(target=tick, name="wasm-epoch", daemon=True).start()


class _Door:
    """One function's door call as C values, kept by its plugin and reused call after call.

    wasmtime-py's generic `Func.__call__` rebuilds the function's type from the C API and walks the
    result type's cases on every call (to decide how to present `result<string, json-error>`): about
    100 us per call, ten times the call itself. The door's types never change, so this makes the C
    call `Func.__call__` makes itself (`wasmtime._ffi`, wasmtime-py 50, pinned in requirements.txt)
    and reads the ok case's string straight from the C value; a refusal, which is rare, goes through
    wasmtime-py's own lifting. Each ctypes attribute step costs about 0.1-0.2 us, so everything that
    does not change is set up once here: the names, converted to C strings; the arguments' slot, which
    the C API borrows, lends the UTF-8 bytes Python already holds (no copy into a C buffer); the
    result slot and views at the fixed places of its answer."""

    __slots__ = ("params", "_text", "_result", "_kind", "_is_ok", "_boxed")

    def __init__(self, interface: str, function: str) -> None:
        self.params = (_ffi.wasmtime_component_val_t * 3)()
        for i, name in enumerate((interface, function)):
            self.params[i].kind = _STRING
            self.params[i].of.string = _ffi.str_to_capi(name)  # freed by __del__
        self.params[2].kind = _STRING
        self._text = _LentText.from_address(addressof(self.params[2].of.string))
        self._result = _ffi.wasmtime_component_val_t()
        base = addressof(self._result)
        answer = _ffi.wasmtime_component_val_t.of.offset
        self._kind = c_uint8.from_address(base)
        self._is_ok = c_bool.from_address(base + answer + _ffi.wasmtime_component_valresult.is_ok.offset)
        self._boxed = c_void_p.from_address(base + answer + _ffi.wasmtime_component_valresult.val.offset)

    def __del__(self) -> None:
        if _ffi is not None:  # None only while the interpreter shuts down
            for i in (0, 1):
                _ffi.wasmtime_component_val_delete(byref(self.params[i]))

    def call(self, store: Store, func: Any, arguments: str) -> Any:
        """`func(store, interface, function, arguments)`: the ok string, or wasmtime-py's lifting of
        the `json-error`. Raises what `Func.__call__` raises on a trap."""
        text = arguments.encode("utf-8")  # lent to the call: alive until it returns
        self._text.size = len(text)
        self._text.data = text
        result = self._result
        error = _ffi.wasmtime_component_func_call(
            byref(func._func), store._context(), self.params, 3, byref(result), 1
        )
        self._text.data = None
        if error:
            _enter_wasm(lambda: error)  # raises as `Func.__call__` does, the host's own exception first
        if self._kind.value != _RESULT:
            raise RuntimeError(f"json.call answered a value of kind {self._kind.value}, not a result")
        try:
            if self._is_ok.value:
                answer = _LentText.from_address(self._boxed.value + _STRING_AT)
                return _string_at(answer.data, answer.size).decode("utf-8")
            return func.type(store).result.convert_from_c(result)
        finally:
            # Frees the answer's boxed value; the slot goes back to an empty `bool`, as the C API
            # overwrites (and first drops) whatever the slot holds.
            _ffi.wasmtime_component_val_delete(byref(result))
            self._kind.value = 0


def _call_door(plugin: "WhatsAppPlugin", store: Store, func: Any, interface: str, function: str, arguments: str) -> Any:
    """`json.call` through `plugin`'s kept `_Door` for the function (a new one for each of the first
    64 functions called, a throwaway after); without wasmtime-py's internals, the generic call."""
    if _ffi is None:
        return func(store, interface, function, arguments)
    door = plugin._doors.get((interface, function))
    if door is None:
        door = _Door(interface, function)
        if len(plugin._doors) < 64:
            plugin._doors[(interface, function)] = door
    return door.call(store, func, arguments)


def _record(value: Any) -> Any:
    """`invalid-input` as wasmtime-py returns it (a Record with kebab-case attributes) as a dict."""
    if hasattr(value, "field") and hasattr(value, "reason"):
        return {"field": value.field, "reason": value.reason}
    return value
