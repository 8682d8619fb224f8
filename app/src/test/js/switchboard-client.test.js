// Unit tests of the browser client's logic under Node's test runner (`node --test`), with a fake
// WebSocket, fetch and timers: resume, dedupe, resync, backoff, expiry and heartbeat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SwitchboardClient, CursorStore, STATES, backoffDelay, tokenSubject,
} from '../../main/resources/META-INF/resources/js/switchboard-client.js';

function jwt(claims) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return part({ alg: 'RS256' }) + '.' + part(claims) + '.signature';
}

class MemoryStorage {
  constructor() { this.items = new Map(); }
  getItem(k) { return this.items.has(k) ? this.items.get(k) : null; }
  setItem(k, v) { this.items.set(k, String(v)); }
  removeItem(k) { this.items.delete(k); }
}

/** Timers that run only when the test says so. */
class Clock {
  constructor() { this.nowMs = 0; this.timers = new Map(); this.nextId = 1; }
  setTimeout = (fn, ms) => { const id = this.nextId++; this.timers.set(id, { fn, at: this.nowMs + ms, ms }); return id; };
  clearTimeout = (id) => { this.timers.delete(id); };
  now = () => this.nowMs;
  pending() { return [...this.timers.values()].sort((a, b) => a.at - b.at); }
  async advance(ms) {
    const until = this.nowMs + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.nowMs = due[1].at;
      due[1].fn();
      await settle();
    }
    this.nowMs = until;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A server side for the fake sockets: records what the client opened and sent. */
function harness({ token = jwt({ sub: 'alice' }), storage = new MemoryStorage(), ticketStatus = () => 201, backoff } = {}) {
  const clock = new Clock();
  const sockets = [];
  const ticketRequests = [];
  class FakeWebSocket {
    constructor(url) { this.url = url; this.sent = []; this.closedWith = null; sockets.push(this); }
    send(data) { this.sent.push(JSON.parse(data)); }
    close(code, reason) { this.closedWith = { code, reason }; }
    frame(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
    serverClose(code, reason = '') { this.onclose({ code, reason }); }
    params() { return new URL(this.url).searchParams; }
  }
  const tokens = Array.isArray(token) ? [...token] : null;
  const tokenCalls = [];
  const client = new SwitchboardClient({
    token: (info) => { tokenCalls.push(info); return tokens ? tokens.shift() : token; },
    url: 'ws://127.0.0.1:9/ws',
    storage,
    backoff,
    WebSocket: FakeWebSocket,
    fetch: async (url, init) => {
      ticketRequests.push({ url, init });
      const status = ticketStatus(ticketRequests.length);
      return {
        status,
        json: async () => (status === 201 ? { ticket: 'ticket-' + ticketRequests.length } : { detail: 'a valid bearer token is required' }),
      };
    },
    random: () => 1,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    now: clock.now,
  });
  const states = [];
  client.onState((s, detail) => states.push({ s, detail }));
  const events = [];
  client.onEvent((e) => events.push(e.event_id));
  const resyncs = [];
  client.on('resync', (r) => resyncs.push(r));
  return { client, clock, sockets, ticketRequests, tokenCalls, states, events, resyncs, storage, last: () => sockets[sockets.length - 1] };
}

const established = (overrides = {}) => Object.assign({
  type: 'connection_established', connection_id: 'c1', user_id: 'alice', protocol_version: 1,
  epoch: 'e1', last_event_id: 0, heartbeat_interval_ms: 25000,
}, overrides);

const event = (id, type = 'notification') => ({ type, event_id: id, user_id: 'alice', timestamp: '2026-11-25T00:00:00.000Z' });

test('gets a ticket with the bearer token and connects with it, without a cursor the first time', async () => {
  const h = harness();
  await h.client.connect();
  assert.equal(h.ticketRequests.length, 1);
  assert.equal(h.ticketRequests[0].url, 'http://127.0.0.1:9/api/ws/tickets');
  assert.equal(h.ticketRequests[0].init.method, 'POST');
  assert.match(h.ticketRequests[0].init.headers.Authorization, /^Bearer ey/);
  assert.equal(h.last().params().get('ticket'), 'ticket-1');
  assert.equal(h.last().params().get('last_event_id'), null);
  h.last().frame(established({ last_event_id: 7 }));
  assert.equal(h.client.state, STATES.OPEN);
  assert.deepEqual(h.client.position(), { epoch: 'e1', lastEventId: 7 });
});

test('applies events in order, drops duplicates, and keeps the cursor per user across a page reload', async () => {
  const storage = new MemoryStorage();
  const h = harness({ storage });
  await h.client.connect();
  h.last().frame(established());
  [1, 2, 2, 3, 1].forEach((id) => h.last().frame(event(id)));
  assert.deepEqual(h.events, [1, 2, 3]);
  assert.deepEqual(JSON.parse(storage.getItem('switchboard.cursor.alice')), { epoch: 'e1', lastEventId: 3 });

  const reloaded = harness({ storage });
  await reloaded.client.connect();
  assert.equal(reloaded.last().params().get('epoch'), 'e1');
  assert.equal(reloaded.last().params().get('last_event_id'), '3');
  reloaded.last().frame(established({ last_event_id: 5 }));
  [3, 4, 5].forEach((id) => reloaded.last().frame(event(id)));
  assert.deepEqual(reloaded.events, [4, 5]);

  const bob = harness({ storage, token: jwt({ upn: 'bob' }) });
  await bob.client.connect();
  assert.equal(bob.last().params().get('last_event_id'), null, 'a cursor belongs to one user only');
});

test('resumes after the server drops the connection, with backoff that grows and is reset by success', async () => {
  const h = harness();
  await h.client.connect();
  h.last().frame(established());
  h.last().frame(event(1));
  h.last().serverClose(1001, 'server shutting down');
  assert.equal(h.client.state, STATES.RECONNECTING);
  assert.equal(h.clock.pending()[0].ms, 500, 'first retry after initialMs');
  await h.clock.advance(500);
  assert.equal(h.sockets.length, 2);
  assert.equal(h.last().params().get('last_event_id'), '1');
  assert.equal(h.last().params().get('epoch'), 'e1');
  h.last().serverClose(1006, '');
  assert.equal(h.clock.pending()[0].ms, 1000, 'second retry doubles');
  await h.clock.advance(1000);
  h.last().frame(established({ connection_id: 'c3', last_event_id: 3 }));
  h.last().frame(event(2));
  h.last().frame(event(3));
  assert.deepEqual(h.events, [1, 2, 3]);
  h.last().serverClose(1008, 'disconnected by an administrator');
  assert.equal(h.clock.pending()[0].ms, 500, 'a successful connection resets the backoff');
  assert.equal(h.tokenCalls.every((c) => c.expired === false), true, 'an administrator disconnect is not an expiry');
});

test('backoff is exponential, capped and jittered', () => {
  const b = { initialMs: 100, maxMs: 1000, factor: 2 };
  assert.equal(backoffDelay(0, b, () => 1), 100);
  assert.equal(backoffDelay(0, b, () => 0), 50);
  assert.equal(backoffDelay(3, b, () => 1), 800);
  assert.equal(backoffDelay(10, b, () => 1), 1000);
  assert.equal(backoffDelay(10, b, () => 0), 500);
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, b)));
  assert.ok(delays.size > 10, 'jitter spreads the delays');
  assert.ok([...delays].every((d) => d >= 500 && d <= 1000));
});

test('resync_required resets the cursor to what connection_established announced and tells the page', async () => {
  const storage = new MemoryStorage();
  storage.setItem('switchboard.cursor.alice', JSON.stringify({ epoch: 'old', lastEventId: 40 }));
  const h = harness({ storage });
  await h.client.connect();
  assert.equal(h.last().params().get('epoch'), 'old');
  h.last().frame(established({ epoch: 'e2', last_event_id: 3 }));
  h.last().frame({ type: 'resync_required', epoch: 'e2', last_event_id: 40, oldest_event_id: 1 });
  assert.equal(h.resyncs.length, 1);
  assert.deepEqual(h.client.position(), { epoch: 'e2', lastEventId: 3 });
  h.last().frame(event(4));
  assert.deepEqual(h.events, [4]);
  assert.deepEqual(JSON.parse(storage.getItem('switchboard.cursor.alice')), { epoch: 'e2', lastEventId: 4 });
});

test('a 1008 for an expired credential asks the page for a new token instead of retrying blindly', async () => {
  const first = jwt({ sub: 'alice', n: 1 });
  const second = jwt({ sub: 'alice', n: 2 });
  const h = harness({ token: [first, second, second] });
  await h.client.connect();
  h.last().frame(established());
  h.last().frame(event(1));
  h.last().serverClose(1008, 'credential expired');
  await settle();
  assert.deepEqual(h.tokenCalls.map((c) => c.expired), [false, true]);
  assert.equal(h.clock.pending().length, 0, 'no backoff timer: the new token connects at once');
  assert.equal(h.ticketRequests.length, 2);
  assert.equal(h.ticketRequests[1].init.headers.Authorization, 'Bearer ' + second);
  assert.equal(h.last().params().get('last_event_id'), '1');
});

test('when the page has no new token the client waits in token_required', async () => {
  const only = jwt({ sub: 'alice' });
  const h = harness({ token: only });
  await h.client.connect();
  h.last().frame(established());
  h.last().serverClose(1008, 'credential expired');
  await settle();
  assert.equal(h.client.state, STATES.TOKEN_REQUIRED);
  assert.equal(h.sockets.length, 1);
  assert.equal(h.clock.pending().length, 0);
});

test('a ticket request refused with 401 asks for a new token; other failures back off', async () => {
  const h = harness({ token: [jwt({ sub: 'alice', n: 1 }), jwt({ sub: 'alice', n: 2 })], ticketStatus: (n) => (n === 1 ? 401 : 201) });
  await h.client.connect();
  await settle();
  assert.deepEqual(h.tokenCalls.map((c) => c.expired), [false, true]);
  assert.equal(h.sockets.length, 1);

  const down = harness({ ticketStatus: (n) => (n === 1 ? 503 : 201) });
  await down.client.connect();
  assert.equal(down.sockets.length, 0);
  assert.equal(down.client.state, STATES.RECONNECTING);
  await down.clock.advance(500);
  assert.equal(down.sockets.length, 1);
});

test('pings every heartbeat interval and reconnects when nothing arrives for two intervals', async () => {
  const h = harness();
  await h.client.connect();
  h.last().frame(established({ heartbeat_interval_ms: 1000 }));
  await h.clock.advance(1000);
  assert.deepEqual(h.last().sent, [{ type: 'ping' }]);
  h.last().frame({ type: 'pong' });
  await h.clock.advance(1000);
  assert.equal(h.last().sent.length, 2);
  await h.clock.advance(1000);
  assert.deepEqual(h.sockets[0].closedWith, { code: 4000, reason: 'no heartbeat' });
  assert.equal(h.client.state, STATES.RECONNECTING);
  await h.clock.advance(500);
  assert.equal(h.sockets.length, 2);
});

test('a gap in event ids makes the client resume from its cursor instead of skipping', async () => {
  const h = harness();
  await h.client.connect();
  h.last().frame(established());
  h.last().frame(event(1));
  h.last().frame(event(3));
  await settle();
  assert.deepEqual(h.events, [1]);
  assert.equal(h.sockets.length, 2);
  assert.equal(h.last().params().get('last_event_id'), '1');
});

test('typed callbacks get their event type only, and a failing callback does not stop the others', async () => {
  const h = harness();
  const started = [];
  const problems = [];
  h.client.on('agent_started', (e) => started.push(e.run_id));
  h.client.on('agent_started', () => { throw new Error('page bug'); });
  h.client.on('problem', (message) => problems.push(message));
  await h.client.connect();
  h.last().frame(established());
  h.last().frame(Object.assign(event(1, 'agent_started'), { thread_id: 't', run_id: 'run_1', agent_name: 'assistant' }));
  h.last().frame(event(2, 'notification'));
  assert.deepEqual(started, ['run_1']);
  assert.deepEqual(h.events, [1, 2]);
  assert.match(problems[0], /page bug/);
});

test('sends user messages and cancellations only while open, and close() stops for good', async () => {
  const h = harness();
  assert.equal(h.client.sendMessage('t1', 'hi'), null);
  await h.client.connect();
  h.last().frame(established());
  const requestId = h.client.sendMessage('t1', 'what is 6*7?');
  assert.ok(requestId);
  assert.ok(h.client.cancelRun('run_1'));
  assert.deepEqual(h.last().sent, [
    { type: 'user_message', thread_id: 't1', content: 'what is 6*7?', request_id: requestId },
    { type: 'cancel_run', run_id: 'run_1' },
  ]);
  h.client.close();
  assert.deepEqual(h.last().closedWith, { code: 1000, reason: 'closed by the page' });
  assert.equal(h.client.state, STATES.CLOSED);
  assert.equal(h.clock.pending().length, 0);
});

test('the cursor store ignores what it cannot read, and token subjects come from sub or upn', () => {
  const storage = new MemoryStorage();
  const store = new CursorStore(storage);
  storage.setItem('switchboard.cursor.x', '{not json');
  assert.equal(store.load('x'), null);
  storage.setItem('switchboard.cursor.x', JSON.stringify({ epoch: '', lastEventId: 1 }));
  assert.equal(store.load('x'), null);
  storage.setItem('switchboard.cursor.x', JSON.stringify({ epoch: 'e', lastEventId: -1 }));
  assert.equal(store.load('x'), null);
  const memory = new CursorStore(null);
  memory.save('u', { epoch: 'e', lastEventId: 2 });
  assert.deepEqual(memory.load('u'), { epoch: 'e', lastEventId: 2 });
  assert.equal(tokenSubject(jwt({ sub: 'ünïcode' })), 'ünïcode');
  assert.equal(tokenSubject(jwt({ upn: 'bob' })), 'bob');
  assert.equal(tokenSubject('not-a-token'), null);
  assert.throws(() => new SwitchboardClient({}), /needs a token/);
});

test('connecting again while an attempt waits for its ticket dials once, and closes nothing twice', async () => {
  const h = harness();
  const first = h.client.connect();
  const second = h.client.connect();
  await Promise.all([first, second]);
  await settle();
  assert.equal(h.ticketRequests.length, 1, 'the older attempt gave up before asking for a ticket');
  assert.equal(h.sockets.length, 1, 'only the newest attempt dialled');
  h.last().frame(established());
  assert.equal(h.client.state, STATES.OPEN);
  h.client.reconnect();
  await settle();
  assert.equal(h.sockets.length, 2);
  assert.deepEqual(h.sockets[0].closedWith, { code: 1000, reason: 'reconnecting' });
  assert.equal(h.sockets[1].closedWith, null);
});
