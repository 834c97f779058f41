// Peer benchmark in Node.js: what a helpdesk vendor with a Node back end would otherwise run, next to
// our component through jco, in one process, on the SAME fixture payloads the plugin's tests use.
//
// * twilio-node  `twilio.validateRequest(authToken, signature, url, params)`
// * whatsapp-api-js  `new WhatsAppAPI({ appSecret, ... }).post(JSON.parse(raw), raw, signature)` with an
//   `on.message` handler: its signature check (WebCrypto HMAC-SHA256) and its parse into handler arguments
// * ours  `inbound.normalize` through examples/node (jco's transpiled bindings, one instance per process,
//   the policy that example ships), the webhook record built from the raw body inside the timing
//
// Usage: node peers.mjs [TWILIO_FIXTURE] [META_FIXTURE]
// Prints exactly one JSON object on stdout; every log line goes to stderr.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webcrypto } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const FIXTURES = join(root, 'tests', 'fixtures');
const [twilioPath = join(FIXTURES, 'twilio', '01-text.json'), metaPath = join(FIXTURES, 'meta-cloud', '01-text.json')] =
  process.argv.slice(2);

// Same shape as bench/peers/peers.py: median over ROUNDS of the mean time per call.
const ROUNDS = 5;
const ITERATIONS = 20_000;
const WARMUP = 2_000;

const log = (...args) => console.error(...args);
const load = (path) => JSON.parse(readFileSync(path, 'utf8'));
const header = (headers, name) => {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key === undefined) throw new Error(`header ${name} not in fixture`);
  return headers[key];
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function report(name, perOp) {
  const m = median(perOp);
  log(`${name}: median ${Math.round(m).toLocaleString('en')} ns/op over ${ROUNDS}x${ITERATIONS.toLocaleString('en')} ` +
    `(rounds: ${perOp.map((v) => Math.round(v).toLocaleString('en')).join(', ')})`);
  return Math.round(m);
}

function bench(name, fn) {
  for (let i = 0; i < WARMUP; i++) fn();
  const perOp = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) fn();
    perOp.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  return report(name, perOp);
}

// whatsapp-api-js is async end to end (WebCrypto): awaited one call at a time, as a request handler does.
async function benchAsync(name, fn) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const perOp = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) await fn();
    perOp.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  return report(name, perOp);
}

function assert(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

const require = createRequire(import.meta.url);
const twilio = require('twilio');
const { WhatsAppAPI } = await import('whatsapp-api-js');

let ours;
try {
  ours = await import(join(root, 'examples', 'node', 'index.js'));
} catch (e) {
  log(`cannot load examples/node (build it first: cargo build -p host-harness, then cd examples/node && npm install && npm run build): ${e.message}`);
  process.exit(2);
}

const results = {};

// --- Twilio -------------------------------------------------------------------------------------------------
{
  const fx = load(twilioPath);
  const { url, body, headers } = fx.webhook;
  const signature = header(headers, 'X-Twilio-Signature');
  // What a web framework hands the app (express.urlencoded, fastify formbody): the form parsed once.
  const params = Object.fromEntries(new URLSearchParams(body));
  assert(twilio.validateRequest(fx.secret, signature, url, params) === true, 'twilio: the fixture validates');
  assert(twilio.validateRequest(fx.secret, signature, url, { ...params, Body: 'tampered' }) === false,
    'twilio: a tampered body does not validate');
  results.twilio_validate_ns = bench('twilio-node validateRequest', () => twilio.validateRequest(fx.secret, signature, url, params));

  const receivedAt = Date.parse(fx.received_at);
  const ourTwilio = () => ours.normalize(
    ours.webhook({ provider: 'twilio', url, headers, body, receivedAt }),
    { secret: fx.secret },
  );
  const first = ourTwilio();
  assert(first.ok && first.ok[0].tag === 'message' && first.ok[0].val.id === fx.expect.ok[0].message.id,
    'ours: the Twilio fixture gives its message');
  results.ours_twilio_normalize_ns = bench('ours normalize (twilio, verify + parse)', ourTwilio);

  // Like for like with validateRequest: our signature check alone (it also decodes the form body, which
  // the peer is handed already parsed).
  const hook = ours.webhook({ provider: 'twilio', url, headers, body, receivedAt });
  const ourVerify = () => ours.attempt(ours.inbound.verifySignature, hook, fx.secret);
  assert(ourVerify().ok, 'ours: the Twilio fixture verifies');
  const tampered = ours.webhook({ provider: 'twilio', url, headers, body: body.replace('Body=', 'Body=x'), receivedAt });
  assert(ours.attempt(ours.inbound.verifySignature, tampered, fx.secret).error?.tag === 'bad-signature',
    'ours: a tampered Twilio body is bad-signature');
  results.ours_twilio_verify_ns = bench('ours verify-signature (twilio)', ourVerify);
}

// --- Meta ---------------------------------------------------------------------------------------------------
{
  const fx = load(metaPath);
  const { url, body, headers } = fx.webhook;
  const signature = header(headers, 'X-Hub-Signature-256');
  const expect = fx.expect.ok[0].message;

  let seen = null;
  const api = new WhatsAppAPI({
    token: 'benchmark-token-unused',
    v: 'v24.0',
    appSecret: fx.secret,
    webhookVerifyToken: 'benchmark-verify-token-unused',
    ponyfill: { subtle: webcrypto.subtle, fetch: () => Promise.reject(new Error('no network in the benchmark')) },
  });
  api.on.message = (args) => {
    seen = args;
  };
  // The library's documented handler: parse the raw body, hand it with the raw body and the header to post().
  const peer = () => api.post(JSON.parse(body), body, signature);
  await peer();
  assert(seen && seen.message.id === expect.id && seen.message.text.body === expect.text, 'whatsapp-api-js: the message');
  assert(seen.phoneID === expect.business.number_id && seen.name === expect.customer.profile_name,
    'whatsapp-api-js: number id and profile name');
  let refused = false;
  await api.post(JSON.parse(body), body.replace('Hi', 'Ho'), signature).catch(() => {
    refused = true;
  });
  assert(refused, 'whatsapp-api-js: a tampered body is refused');
  results.whatsapp_api_js_post_ns = await benchAsync('whatsapp-api-js post (verify + parse)', peer);

  const receivedAt = Date.parse(fx.received_at);
  const ourMeta = () => ours.normalize(
    ours.webhook({ provider: 'meta-cloud', url, headers, body, receivedAt }),
    { secret: fx.secret },
  );
  const first = ourMeta();
  assert(first.ok && first.ok[0].val.id === expect.id && first.ok[0].val.text === expect.text, 'ours: the Meta fixture');
  assert(ours.normalize(ours.webhook({ provider: 'meta-cloud', url, headers, body: body.replace('Hi', 'Ho'), receivedAt }),
    { secret: fx.secret }).error?.tag === 'bad-signature', 'ours: a tampered body is bad-signature');
  results.ours_meta_normalize_ns = bench('ours normalize (meta-cloud, verify + parse)', ourMeta);
}

// --- The crossing alone ---------------------------------------------------------------------------------------
// Our cheapest export (two enum arguments, a bool back, almost no guest work): what jco's bindings cost per
// call before any of the guest's own work.
{
  assert(ours.inbound.mayReplaceStatus('sent', 'read') === true && ours.inbound.mayReplaceStatus('read', 'sent') === false,
    'ours: may-replace-status answers');
  results.ours_boundary_ns = bench('ours may-replace-status (the crossing alone)', () => ours.inbound.mayReplaceStatus('sent', 'read'));
}

const version = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
console.log(JSON.stringify({
  node: process.versions.node,
  twilio: version('twilio'),
  'whatsapp-api-js': version('whatsapp-api-js'),
  jco: JSON.parse(readFileSync(join(root, 'examples', 'node', 'node_modules', '@bytecodealliance', 'jco', 'package.json'), 'utf8'))
    .version,
  results,
}));
