// The component through jco, on fixtures shared with the Rust integration tests (../../tests/fixtures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

import { info, inbound, outbound, templates, window, attempt, normalize, webhook, instant, fromJson } from '../index.js';

const fixture = (path) =>
  JSON.parse(readFileSync(new URL(`../../../tests/fixtures/${path}`, import.meta.url), 'utf8'));

test('normalize a Meta Cloud text webhook (meta-cloud/01-text.json)', () => {
  const fx = fixture('meta-cloud/01-text.json');
  const hook = {
    provider: 'meta-cloud',
    url: fx.webhook.url,
    headers: Object.entries(fx.webhook.headers).map(([name, value]) => ({ name, value })),
    body: new TextEncoder().encode(fx.webhook.body),
    receivedAt: BigInt(Date.parse(fx.received_at)),
  };

  const events = inbound.normalize(hook, { secret: fx.secret }); // ok value returned directly
  const [expected] = fx.expect.ok;
  assert.equal(events.length, 1);
  assert.equal(events[0].tag, 'message');
  const message = events[0].val;
  assert.equal(message.id, expected.message.id);
  assert.equal(message.customer.phone, expected.message.customer.phone);
  assert.equal(message.customer.waId, expected.message.customer.wa_id);
  assert.equal(message.text, expected.message.text);
  assert.equal(typeof message.sentAt, 'bigint');
  assert.equal(message.sentAt, instant(expected.message.sent_at));
  assert.equal(message.kind, expected.message.kind);
  assert.equal(message.location, undefined); // option none is undefined, not null
});

test('a wrong secret is the bad-signature error case', () => {
  const fx = fixture('meta-cloud/01-text.json');
  const hook = webhook({ provider: 'meta-cloud', ...fx.webhook, receivedAt: fx.received_at });

  // The raw binding throws a ComponentError carrying the variant as `payload`...
  assert.throws(
    () => inbound.normalize(hook, { secret: 'not-the-app-secret' }),
    (e) => e.payload?.tag === 'bad-signature' && typeof e.payload.val === 'string',
  );
  // ...which the helper turns back into a value.
  const result = normalize(hook, { secret: 'not-the-app-secret' });
  assert.equal(result.ok, undefined);
  assert.equal(result.error.tag, 'bad-signature');

  // The fixture signed with another secret gives the same case.
  const other = fixture('meta-cloud/39-bad-signature-wrong-secret.json');
  const hook39 = webhook({ provider: 'meta-cloud', ...other.webhook, receivedAt: other.received_at });
  assert.deepEqual(Object.keys(other.expect.error), [normalize(hook39, { secret: other.secret }).error.tag]);
});

test('exactly 24 hours after the customer wrote, the window is closed (window/03)', () => {
  const fx = fixture('window/03-exactly-24-hours-is-closed.json');
  const { conversation, now } = fx.request;
  const request = {
    conversation: {
      origin: conversation.origin,
      lastCustomerMessage: {
        sentAt: BigInt(Date.parse(conversation.last_customer_message.sent_at)),
        clock: conversation.last_customer_message.clock,
      },
    },
    now: BigInt(Date.parse(now)),
  };
  assert.deepEqual(fromJson(fx.request), request); // the helper builds the same record

  const answer = window.check(request);
  assert.equal(answer.state, 'closed');
  assert.equal(answer.freeFormAllowed, false);
  assert.equal(answer.templatesAllowed, true);
  assert.equal(answer.timeLeft, 0n);
  assert.equal(answer.closesAt, instant(fx.expect.ok.closes_at));
  for (const words of fx.hint_contains) assert.ok(answer.hint.includes(words), answer.hint);
});

test('render templates/01 case 0 for meta-cloud', () => {
  const [file] = readdirFixture('templates').filter((f) => f.startsWith('01-'));
  const fx = fixture(`templates/${file}`);
  const c = fx.cases[0];
  assert.equal(c.target, 'meta-cloud');

  const rendered = templates.render(fromJson(fx.template), fromJson(c.values), c.target);
  assert.equal(rendered.provider, 'meta-cloud');
  assert.deepEqual(JSON.parse(rendered.payload), c.expect.ok.payload);
  assert.equal(rendered.text, c.expect.ok.text);

  // Case 3 is refused: the error is the list of problems.
  const bad = attempt(templates.render, fromJson(fx.template), fromJson(fx.cases[3].values), 'meta-cloud');
  assert.deepEqual(
    bad.error.map((p) => [p.variable, p.kind, p.preventsMetaError]),
    fx.cases[3].expect.error.map((p) => [p.variable, p.kind, p.prevents_meta_error]),
  );
});

test('info reports contract 0.2.0', () => {
  const about = info.info();
  assert.equal(about.contractVersion, '0.2.0');
  assert.ok(about.providers.includes('meta-cloud'));
});

function readdirFixture(dir) {
  return readdirSync(new URL(`../../../tests/fixtures/${dir}/`, import.meta.url));
}

test('compose a Twilio reply into its send request (outbound/20-twilio-text-with-status-callback.json)', () => {
  const fx = fixture('outbound/20-twilio-text-with-status-callback.json');
  const r = fx.request;
  const tw = r.account.twilio;
  const answer = outbound.compose({
    account: { tag: 'twilio', val: { accountSid: tw.account_sid, sender: { tag: 'from', val: tw.sender.from }, statusCallback: tw.status_callback } },
    recipient: { tag: 'phone', val: r.recipient.phone },
    content: { tag: 'text', val: r.content.text },
    previewUrl: r.preview_url,
    window: { tag: 'conversation', val: fromJson(r.window.conversation) },
    now: instant(r.now),
  });
  assert.deepEqual(answer.problems, []);
  assert.equal(answer.request.method, fx.expect.request.method);
  assert.equal(answer.request.path, fx.expect.request.path);
  assert.equal(answer.request.credentials, 'basic-auth');
  const fields = [...new URLSearchParams(answer.request.body)];
  assert.deepEqual(fields, fx.expect.form_body);
});
