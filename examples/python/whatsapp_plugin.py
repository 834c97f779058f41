"""A small Python host for the WhatsApp channel plugin (helpdesk:whatsapp@0.2.0).

It loads the component with wasmtime-py's component model API (`wasmtime.component`), instantiates it
with an empty linker (the component imports nothing) and converts values both ways with the JSON
mapping of the project's README, driven by the component's own types:

- record: dict with the WIT field names in snake_case (kebab-case accepted on input); a missing key
  is `None` for an `option` field, an error otherwise;
- enum: the case name as a string, e.g. "meta-cloud";
- variant: "case" without payload, {"case": payload} with one;
- option: None or the value; result: {"ok": value} or {"error": value};
- list<u8>: bytes (a str is encoded as UTF-8 on input); other lists: list;
- s64 instants: int epoch milliseconds (use `epoch_ms` to turn an RFC 3339 string into one).

Every call runs in a fresh Store and instance with a fuel budget, so a trap or an exhausted budget
raises `wasmtime.WasmtimeError` and the next call works as usual.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Union

from wasmtime import Config, Engine, Store
from wasmtime.component import (
    F32,
    F64,
    Component,
    EnumType,
    FlagsType,
    Linker,
    ListType,
    OptionType,
    Record,
    RecordType,
    ResultType,
    TupleType,
    U8,
    ValType,
    Variant,
    VariantType,
)

PACKAGE = "helpdesk:whatsapp"
CONTRACT_VERSION = "0.2.0"

# Same budget as the Rust harness: 30 M instructions plus 100 per input byte.
BASE_FUEL = 30_000_000
FUEL_PER_BYTE = 100

DEFAULT_COMPONENT = Path(__file__).resolve().parents[2] / "target" / "whatsapp_plugin.component.wasm"

Json = Any


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


# ---------------------------------------------------------------------------------------------
# Python <-> component values, following the README's JSON mapping.
#
# wasmtime-py's own convention: a record is any object with attributes named like the WIT fields
# (kebab-case, so set with setattr); an enum is a str; list<u8> is bytes. A variant, option or
# result is passed *untagged* (the bare payload, None for a case without one) when the Python
# classes of its cases do not overlap, and as `Variant(tag, payload)` when they do. So
# `result<list<event>, inbound-error>` comes back as a plain list or a plain Variant of the error,
# never tagged ok/err; the helpers below recover the case from the types.
# ---------------------------------------------------------------------------------------------


def _snake(name: str) -> str:
    return name.replace("-", "_")


def _cases(ty: ValType) -> list:
    if isinstance(ty, OptionType):
        return [("none", None), ("some", ty.payload)]
    if isinstance(ty, ResultType):
        return [("ok", ty.ok), ("err", ty.err)]
    return ty.cases


def _classes(ty: Optional[ValType]) -> set:
    found: set = set()
    if ty is None:
        found.add(object)
    else:
        ty.add_classes(found)
    return found


def _tagged(ty: ValType) -> bool:
    """Mirrors wasmtime-py: tagged when two cases share a Python class."""
    seen: set = set()
    for _, case_ty in _cases(ty):
        classes = _classes(case_ty)
        if classes & seen:
            return True
        seen |= classes
    return False


def to_wasm(ty: ValType, value: Json, path: str = "") -> Any:
    """A JSON-mapping value as wasmtime-py expects it for type `ty`."""
    where = path or "value"
    if isinstance(ty, RecordType):
        if not isinstance(value, Mapping):
            raise TypeError(f"{where}: expected an object, found {value!r}")
        fields = ty.fields
        known = {name for name, _ in fields} | {_snake(name) for name, _ in fields}
        unknown = [key for key in value if key not in known]
        if unknown:
            raise TypeError(f"{where}: unknown field(s) {unknown}")
        record = Record()
        for name, field_ty in fields:
            key = _snake(name) if _snake(name) in value else name
            if key in value:
                field_value = value[key]
            elif isinstance(field_ty, OptionType):
                field_value = None
            else:
                raise TypeError(f"{where}: missing field {_snake(name)!r}")
            setattr(record, name, to_wasm(field_ty, field_value, f"{path}.{_snake(name)}".lstrip(".")))
        return record
    if isinstance(ty, ListType):
        if isinstance(ty.element, U8):
            if isinstance(value, str):
                return value.encode("utf-8")
            return bytes(value)
        return [to_wasm(ty.element, item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(ty, TupleType):
        return tuple(to_wasm(t, v, f"{where}[{i}]") for i, (t, v) in enumerate(zip(ty.elements, value)))
    if isinstance(ty, FlagsType):
        return set(value)
    if isinstance(ty, (F32, F64)):
        return float(value)
    if isinstance(ty, (OptionType, ResultType, VariantType)):
        if isinstance(ty, OptionType):
            tag, payload = ("none", None) if value is None else ("some", value)
        elif isinstance(ty, ResultType):
            if not isinstance(value, Mapping) or len(value) != 1 or not ({"ok", "error"} & set(value)):
                raise TypeError(f'{where}: expected {{"ok": ...}} or {{"error": ...}}, found {value!r}')
            tag = "ok" if "ok" in value else "err"
            payload = value["ok" if tag == "ok" else "error"]
        elif isinstance(value, str):
            tag, payload = value, None
        elif isinstance(value, Mapping) and len(value) == 1:
            ((tag, payload),) = value.items()
        else:
            raise TypeError(f'{where}: expected "case" or {{"case": payload}}, found {value!r}')
        case_types = dict(_cases(ty))
        if tag not in case_types:
            raise TypeError(f"{where}: unknown case {tag!r}; cases are {list(case_types)}")
        case_ty = case_types[tag]
        lowered = None if case_ty is None else to_wasm(case_ty, payload, f"{path}.{tag}".lstrip("."))
        return Variant(tag, lowered) if _tagged(ty) else lowered
    # bool, integers, char, string, enum: as they are.
    return value


def from_wasm(ty: Optional[ValType], value: Any) -> Json:
    """A value returned by wasmtime-py, in the JSON mapping."""
    if ty is None:
        return None
    if isinstance(ty, RecordType):
        return {_snake(name): from_wasm(field_ty, getattr(value, name)) for name, field_ty in ty.fields}
    if isinstance(ty, ListType):
        if isinstance(ty.element, U8):
            return bytes(value)
        return [from_wasm(ty.element, item) for item in value]
    if isinstance(ty, TupleType):
        return [from_wasm(t, v) for t, v in zip(ty.elements, value)]
    if isinstance(ty, FlagsType):
        return sorted(value)
    if isinstance(ty, EnumType):
        return value
    if isinstance(ty, (OptionType, ResultType, VariantType)):
        cases = _cases(ty)
        if _tagged(ty):
            tag, payload = value.tag, value.payload
        else:
            # Untagged: the classes of the cases do not overlap, so the value's class says which.
            tag, payload = None, value
            for name, case_ty in cases:
                if case_ty is not None and isinstance(value, tuple(_classes(case_ty))):
                    tag = name
                    break
            if tag is None:
                tag = next(name for name, case_ty in cases if case_ty is None)
        case_ty = dict(cases)[tag]
        lifted = from_wasm(case_ty, payload)
        if isinstance(ty, OptionType):
            return lifted if tag == "some" else None
        if isinstance(ty, ResultType):
            return {"ok": lifted} if tag == "ok" else {"error": lifted}
        return tag if case_ty is None else {tag: lifted}
    return value


# ---------------------------------------------------------------------------------------------
# The host.
# ---------------------------------------------------------------------------------------------


class WhatsAppPlugin:
    """The plugin component, compiled once; each call gets a fresh instance."""

    def __init__(self, path: Union[str, os.PathLike, None] = None, fuel: bool = True) -> None:
        path = path or os.environ.get("WHATSAPP_PLUGIN_WASM") or DEFAULT_COMPONENT
        config = Config()
        config.consume_fuel = fuel
        self._fuel = fuel
        self.engine = Engine(config)
        self.component = Component.from_file(self.engine, str(path))
        imports = self.component.type.imports(self.engine)
        if imports:
            raise RuntimeError(f"expected a component with no imports, found {sorted(imports)}")
        self.linker = Linker(self.engine)  # empty: nothing to provide
        self._exports: dict = {}

    def _export(self, interface: str, function: str):
        key = (interface, function)
        if key not in self._exports:
            iface = self.component.get_export_index(f"{PACKAGE}/{interface}@{CONTRACT_VERSION}")
            if iface is None:
                raise LookupError(f"the component exports no {PACKAGE}/{interface}@{CONTRACT_VERSION}")
            func = self.component.get_export_index(function, iface)
            if func is None:
                raise LookupError(f"{interface} exports no function {function!r}")
            self._exports[key] = func
        return self._exports[key]

    def call(self, interface: str, function: str, *args: Json, input_bytes: int = 0) -> Json:
        """Call any export with JSON-mapping arguments; returns the JSON-mapping result."""
        store = Store(self.engine)
        if self._fuel:
            store.set_fuel(BASE_FUEL + FUEL_PER_BYTE * input_bytes)
        instance = self.linker.instantiate(store, self.component)
        func = instance.get_func(store, self._export(interface, function))
        func_type = func.type(store)
        params = func_type.params
        if len(args) != len(params):
            raise TypeError(f"{interface}.{function} takes {len(params)} argument(s), got {len(args)}")
        lowered = [to_wasm(ty, arg, _snake(name)) for (name, ty), arg in zip(params, args)]
        return from_wasm(func_type.result, func(store, *lowered))

    # -- the four functions of the example ------------------------------------------------------

    def info(self) -> Json:
        """info.info: contract version, plugin version, providers, features."""
        return self.call("info", "info")

    def normalize(
        self,
        provider: str,
        url: str,
        headers: Union[Mapping[str, str], Iterable[tuple]],
        body: Union[bytes, str],
        received_at: int,
        secret: Optional[str] = None,
        redact_card_numbers: Optional[bool] = None,
        max_attachment_bytes: Optional[int] = None,
    ) -> Json:
        """inbound.normalize: {"ok": [events]} or {"error": {case: payload}}."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        body_bytes = body.encode("utf-8") if isinstance(body, str) else bytes(body)
        webhook = {
            "provider": provider,
            "url": url,
            "headers": [{"name": name, "value": value} for name, value in pairs],
            "body": body_bytes,
            "received_at": received_at,
        }
        options = {
            "secret": secret,
            "redact_card_numbers": redact_card_numbers,
            "max_attachment_bytes": max_attachment_bytes,
        }
        return self.call("inbound", "normalize", webhook, options, input_bytes=len(body_bytes))

    def check_window(self, request: Json) -> Json:
        """window.check: {"ok": window-answer} or {"error": {case: payload}}. Instants are epoch ms."""
        return self.call("window", "check", request)

    def compose(self, request: Json) -> Json:
        """outbound.compose: {"ok": {"request", "problems", ...}} or {"error": {case: payload}}."""
        return self.call("outbound", "compose", request)

    def render(self, template: Json, values: Json, target: str) -> Json:
        """templates.render: {"ok": {"provider", "payload" (JSON text), "text"}} or {"error": [problems]}."""
        return self.call("templates", "render", template, values, target)
