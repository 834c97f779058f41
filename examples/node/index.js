// Node.js host for the helpdesk:whatsapp@0.2.0 component, through jco's transpiled bindings.
//
// `npm run build` turns ../../target/whatsapp_plugin.component.wasm into gen/whatsapp_plugin.js (ES module
// + core wasm). The component imports nothing, so nothing is passed in: importing the module instantiates it.
//
// jco's mapping (see README.md): record fields in camelCase, enums as their WIT strings, variants as
// {tag, val}, options as the value or undefined (null accepted on input), s64/u64 as BigInt, list<u8> as
// Uint8Array; a `result` returns the ok value and throws a ComponentError whose `.payload` is the error.
import { inbound, info, window, templates, masking, outbound } from './gen/whatsapp_plugin.js';

export { inbound, info, window, templates, masking, outbound };

/** An `instant` (epoch ms, BigInt) from an RFC 3339 string, a Date, a number or a BigInt. */
export function instant(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${value}`);
  return BigInt(ms);
}

/** Builds an `inbound.webhook` record; headers as an object or [{name, value}], body as string or bytes. */
export function webhook({ provider, url, headers = {}, body, receivedAt }) {
  const list = Array.isArray(headers)
    ? headers
    : Object.entries(headers).map(([name, value]) => ({ name, value: String(value) }));
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
  return { provider, url, headers: list, body: bytes, receivedAt: instant(receivedAt) };
}

/** Calls a function returning a WIT `result` and gives {ok} or {error} instead of a throw. */
export function attempt(fn, ...args) {
  try {
    return { ok: fn(...args) };
  } catch (e) {
    // ComponentError is not exported by the bindings: recognise it by its `payload`.
    if (e && Object.hasOwn(e, 'payload')) return { error: e.payload };
    throw e; // a trap or a host-side TypeError: not the plugin's typed error
  }
}

/** `inbound.normalize` as {ok: events} | {error: {tag, val}}. */
export const normalize = (hook, options = {}) => attempt(inbound.normalize, hook, options);

// Fields of type instant, duration or u64 in the contract (snake_case, as in the JSON mapping).
const BIG_FIELDS = new Set([
  'received_at', 'max_attachment_bytes', 'sent_at', 'last_business_message_at', 'entry_message_at',
  'first_business_reply_at', 'effective_from', 'now', 'warn_before', 'subscribed_at', 'since', 'at',
]);
const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/**
 * The README's JSON mapping (snake_case, null for none, instants as epoch ms or RFC 3339) to jco's shape,
 * for records, enums, options and lists (fixture requests, templates, values). Not for variants.
 */
export function fromJson(value, key) {
  if (value === null || value === undefined) return undefined;
  if (BIG_FIELDS.has(key)) return instant(value);
  if (Array.isArray(value)) return value.map((v) => fromJson(v));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), fromJson(v, k)]));
  }
  return value;
}
