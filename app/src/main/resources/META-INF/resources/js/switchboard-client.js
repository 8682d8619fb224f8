/**
 * Switchboard's browser client: an ES module, no build step, no dependencies.
 *
 * It makes the protocol's guarantees real on the page's side (docs/websocket/protocol.md):
 * - connects with a one-time ticket got with the page's bearer token (browsers cannot set headers
 *   on a WebSocket);
 * - keeps the epoch and the last applied event id per user in the tab's sessionStorage, so a
 *   reloaded tab resumes where it was, and drops any event it has already applied;
 * - on `resync_required` resets its cursor to what `connection_established` announced and tells the
 *   page to reload what it shows;
 * - reconnects with exponential backoff and full jitter, except after a 1008 for an expired
 *   credential, where it asks the page for a new token first;
 * - pings every heartbeat interval and reconnects when nothing has arrived for two intervals (the
 *   browser itself answers the server's WebSocket pings).
 *
 * @example
 *   const client = new SwitchboardClient({ token: () => fetchMyToken() });
 *   client.on('agent_completed', (event) => render(event));
 *   client.onState((state) => badge.textContent = state);
 *   client.connect();
 *   client.sendMessage('thread-1', 'what is 6*7?');
 */

/** Event types: frames that carry an `event_id` and come from the user's log. */
export const EVENT_TYPES = Object.freeze([
  'agent_started', 'agent_thinking', 'agent_text_delta', 'tool_executing', 'tool_completed', 'agent_completed', 'notification',
]);

/** Connection states reported to `onState` callbacks. */
export const STATES = Object.freeze({
  IDLE: 'idle',
  CONNECTING: 'connecting',
  OPEN: 'open',
  RECONNECTING: 'reconnecting',
  TOKEN_REQUIRED: 'token_required',
  CLOSED: 'closed',
});

const CREDENTIAL_EXPIRED = 'credential expired';
const POLICY_VIOLATION = 1008;

/** Default reconnect schedule: 0.5 s doubling up to 30 s, each delay drawn from [delay/2, delay]. */
export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 500, maxMs: 30000, factor: 2 });

/**
 * The delay before reconnect attempt `attempt` (0 for the first): exponential, capped, with jitter
 * so that a server restart does not bring every client back in the same millisecond.
 */
export function backoffDelay(attempt, backoff = DEFAULT_BACKOFF, random = Math.random) {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * Math.pow(backoff.factor, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The claims of a JWT, read without verifying it (the server verifies), or null when it is not one. */
export function tokenClaims(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return null;
  }
}

/** The user id a JWT names (`sub`, else `upn`): only to key the cursor. */
export function tokenSubject(token) {
  const claims = tokenClaims(token);
  return (claims && (claims.sub || claims.upn)) || null;
}

/**
 * Where a user's cursor (`{epoch, lastEventId}`) lives between page loads. Backed by a Web Storage
 * object (sessionStorage by default: one cursor per tab, kept across reloads of that tab), or by
 * memory when there is none.
 */
export class CursorStore {
  constructor(storage) {
    this.storage = storage || null;
    this.memory = new Map();
  }

  static key(userId) {
    return 'switchboard.cursor.' + userId;
  }

  load(userId) {
    const raw = this.storage ? this.storage.getItem(CursorStore.key(userId)) : this.memory.get(userId);
    if (!raw) {
      return null;
    }
    try {
      const cursor = JSON.parse(raw);
      if (typeof cursor.epoch === 'string' && cursor.epoch && Number.isSafeInteger(cursor.lastEventId)
          && cursor.lastEventId >= 0) {
        return { epoch: cursor.epoch, lastEventId: cursor.lastEventId };
      }
    } catch (e) {
      // an unreadable cursor is the same as none
    }
    return null;
  }

  save(userId, cursor) {
    const raw = JSON.stringify({ epoch: cursor.epoch, lastEventId: cursor.lastEventId });
    if (this.storage) {
      this.storage.setItem(CursorStore.key(userId), raw);
    } else {
      this.memory.set(userId, raw);
    }
  }

  clear(userId) {
    if (this.storage) {
      this.storage.removeItem(CursorStore.key(userId));
    } else {
      this.memory.delete(userId);
    }
  }
}

function defaultStorage() {
  try {
    return typeof sessionStorage !== 'undefined' ? sessionStorage : null;
  } catch (e) {
    return null; // storage disabled by the browser
  }
}

function defaultUrl() {
  if (typeof location === 'undefined') {
    return null;
  }
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
}

let requestCounter = 0;

/** A connection to Switchboard's `/ws` for one user. */
export class SwitchboardClient {
  /**
   * @param {object} options
   * @param {string|function(object):(string|Promise<string>)} options.token the bearer token, or a
   *   function giving one; called again with `{expired: true}` after the server closed with 1008
   *   `credential expired` or refused the ticket request with 401
   * @param {string} [options.url] the WebSocket URL, default `ws(s)://<this host>/ws`
   * @param {string} [options.ticketUrl] default: `/api/ws/tickets` on the same host
   * @param {Storage} [options.storage] where cursors live, default sessionStorage
   * @param {object} [options.backoff] `{initialMs, maxMs, factor}`, default {@link DEFAULT_BACKOFF}
   */
  constructor(options) {
    if (!options || !options.token) {
      throw new TypeError('SwitchboardClient needs a token or a function that gives one');
    }
    this.tokenSource = typeof options.token === 'function' ? options.token : () => options.token;
    this.url = options.url || defaultUrl();
    this.ticketUrl = options.ticketUrl || (this.url
      ? this.url.replace(/^ws/, 'http').replace(/\/ws(\?.*)?$/, '/api/ws/tickets') : '/api/ws/tickets');
    this.cursors = new CursorStore(options.storage === undefined ? defaultStorage() : options.storage);
    this.backoff = Object.assign({}, DEFAULT_BACKOFF, options.backoff || {});
    this.WebSocketImpl = options.WebSocket || globalThis.WebSocket;
    this.fetchImpl = options.fetch || ((...args) => globalThis.fetch(...args));
    this.random = options.random || Math.random;
    this.setTimer = options.setTimeout || ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimeout || ((id) => clearTimeout(id));
    this.now = options.now || (() => Date.now());

    this.listeners = new Map();
    this.state = STATES.IDLE;
    this.socket = null;
    this.token = null;
    this.refusedToken = null;
    this.userId = null;
    this.cursor = null;
    this.announced = null;
    this.attempt = 0;
    this.attempts = 0;
    this.resuming = false;
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    this.heartbeatMs = 0;
    this.lastFrameAt = 0;
    this.stopped = false;
    this.connectionId = null;
    this.connections = 0;
  }

  // --- callbacks -------------------------------------------------------------------------------

  /**
   * Registers a callback. Names: any event type (`agent_started`, ..., `notification`), `event`
   * (every event), `state` (connection state), `connected` (the `connection_established` frame),
   * `resync` (the page must reload its state), `error` (an `error` frame from the server),
   * `problem` (anything else that went wrong, with a readable message). Returns a function that
   * removes the callback.
   */
  on(name, callback) {
    if (!this.listeners.has(name)) {
      this.listeners.set(name, new Set());
    }
    this.listeners.get(name).add(callback);
    return () => this.listeners.get(name).delete(callback);
  }

  onState(callback) {
    return this.on('state', callback);
  }

  onEvent(callback) {
    return this.on('event', callback);
  }

  emit(name, ...args) {
    const callbacks = this.listeners.get(name);
    if (!callbacks) {
      return;
    }
    for (const callback of [...callbacks]) {
      try {
        callback(...args);
      } catch (e) {
        // one page callback failing must not stop delivery to the others
        if (name !== 'problem') {
          this.emit('problem', 'a "' + name + '" callback failed: ' + (e && e.message), e);
        }
      }
    }
  }

  setState(state, detail) {
    if (this.state !== state) {
      this.state = state;
      this.emit('state', state, detail || {});
    }
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /** Connects (again). Resolves once the attempt started; the state callback tells how it goes. */
  async connect() {
    this.stopped = false;
    this.cancelReconnect();
    await this.open(false);
  }

  /** Closes the connection for good (code 1000); no reconnect follows. */
  close() {
    this.stopped = true;
    this.cancelReconnect();
    this.stopHeartbeat();
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close(1000, 'closed by the page');
    }
    this.setState(STATES.CLOSED);
  }

  /** The cursor the client resumes from: `{epoch, lastEventId}`, or null before the first connection. */
  position() {
    return this.cursor ? { epoch: this.cursor.epoch, lastEventId: this.cursor.lastEventId } : null;
  }

  async open(expired) {
    // only the newest attempt may dial: an older one still waiting for a token or ticket gives up
    const attempt = ++this.attempts;
    const superseded = () => this.stopped || attempt !== this.attempts;
    this.setState(this.connections === 0 && !expired ? STATES.CONNECTING : STATES.RECONNECTING);
    let token;
    try {
      token = await this.tokenSource({ expired: Boolean(expired) });
    } catch (e) {
      this.emit('problem', 'no token: ' + (e && e.message), e);
      this.setState(STATES.TOKEN_REQUIRED);
      return;
    }
    if (superseded()) {
      return;
    }
    if (!token || token === this.refusedToken) {
      // the page has no (new) token: wait until it calls connect() again
      this.setState(STATES.TOKEN_REQUIRED);
      return;
    }
    this.token = token;
    this.refusedToken = null;
    const userId = tokenSubject(token);
    if (userId !== this.userId) {
      this.userId = userId;
      this.cursor = userId ? this.cursors.load(userId) : null;
    }
    let ticket;
    try {
      ticket = await this.requestTicket(token);
    } catch (e) {
      if (e && e.status === 401 && !superseded()) {
        this.emit('problem', 'the token was refused; asking for a new one', e);
        this.refusedToken = token;
        this.setState(STATES.TOKEN_REQUIRED);
        if (!this.stopped) {
          this.open(true);
        }
        return;
      }
      if (!superseded()) {
        this.emit('problem', 'could not get a ticket: ' + (e && e.message), e);
        this.scheduleReconnect();
      }
      return;
    }
    if (superseded()) {
      return;
    }
    this.dial(ticket);
  }

  async requestTicket(token) {
    const response = await this.fetchImpl(this.ticketUrl, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' },
    });
    if (response.status !== 201) {
      let detail = '';
      try {
        detail = (await response.json()).detail || '';
      } catch (e) {
        // no problem body
      }
      const error = new Error('ticket request answered ' + response.status + (detail ? ': ' + detail : ''));
      error.status = response.status;
      throw error;
    }
    return (await response.json()).ticket;
  }

  dial(ticket) {
    if (this.socket) {
      const previous = this.socket;
      this.socket = null;
      previous.close(1000, 'replaced by a new connection');
    }
    const params = ['ticket=' + encodeURIComponent(ticket)];
    if (this.cursor) {
      params.push('epoch=' + encodeURIComponent(this.cursor.epoch));
      params.push('last_event_id=' + this.cursor.lastEventId);
    }
    const socket = new this.WebSocketImpl(this.url + (this.url.includes('?') ? '&' : '?') + params.join('&'));
    this.socket = socket;
    this.resuming = this.cursor !== null;
    socket.onmessage = (message) => {
      if (socket === this.socket) {
        this.receive(message.data);
      }
    };
    socket.onclose = (close) => {
      if (socket === this.socket) {
        this.closed(close.code, close.reason);
      }
    };
    socket.onerror = () => {
      // a close event always follows; it decides what to do
    };
  }

  closed(code, reason) {
    this.socket = null;
    this.stopHeartbeat();
    if (this.stopped) {
      this.setState(STATES.CLOSED);
      return;
    }
    this.emit('disconnected', { code, reason });
    if (code === POLICY_VIOLATION && reason === CREDENTIAL_EXPIRED) {
      this.refusedToken = this.token;
      this.setState(STATES.TOKEN_REQUIRED, { code, reason });
      this.open(true);
      return;
    }
    this.scheduleReconnect({ code, reason });
  }

  scheduleReconnect(detail) {
    this.cancelReconnect();
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.setState(STATES.RECONNECTING, Object.assign({ delayMs: delay, attempt: this.attempt }, detail || {}));
    this.reconnectTimer = this.setTimer(() => {
      this.reconnectTimer = null;
      if (!this.stopped) {
        this.open(false);
      }
    }, delay);
  }

  cancelReconnect() {
    if (this.reconnectTimer !== null) {
      this.clearTimer(this.reconnectTimer);
      this.reconnectTimer = null;
    }
  }

  /** Drops the connection and reconnects at once, resuming (for a page's "reconnect" button). */
  reconnect() {
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      this.stopHeartbeat();
      socket.close(1000, 'reconnecting');
    }
    this.attempt = 0;
    this.cancelReconnect();
    this.open(false);
  }

  // --- heartbeat -------------------------------------------------------------------------------

  startHeartbeat(intervalMs) {
    this.stopHeartbeat();
    this.heartbeatMs = intervalMs > 0 ? intervalMs : 25000;
    const tick = () => {
      this.heartbeatTimer = null;
      if (!this.socket) {
        return;
      }
      if (this.now() - this.lastFrameAt >= 2 * this.heartbeatMs) {
        this.emit('problem', 'nothing received for ' + (2 * this.heartbeatMs) + ' ms; reconnecting');
        const socket = this.socket;
        this.socket = null;
        socket.close(4000, 'no heartbeat');
        this.closed(1006, 'no heartbeat');
        return;
      }
      this.send({ type: 'ping' });
      this.heartbeatTimer = this.setTimer(tick, this.heartbeatMs);
    };
    this.heartbeatTimer = this.setTimer(tick, this.heartbeatMs);
  }

  stopHeartbeat() {
    if (this.heartbeatTimer !== null) {
      this.clearTimer(this.heartbeatTimer);
      this.heartbeatTimer = null;
    }
  }

  // --- frames ----------------------------------------------------------------------------------

  receive(data) {
    this.lastFrameAt = this.now();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      this.emit('problem', 'the server sent a frame that is not JSON', e);
      return;
    }
    switch (frame.type) {
      case 'connection_established':
        this.established(frame);
        break;
      case 'resync_required':
        this.resync(frame);
        break;
      case 'pong':
        break;
      case 'error':
        this.emit('error', frame);
        break;
      default:
        if (typeof frame.event_id === 'number') {
          this.apply(frame);
        } else {
          this.emit('problem', 'unknown frame type ' + JSON.stringify(frame.type));
        }
    }
  }

  established(frame) {
    this.connectionId = frame.connection_id;
    this.connections += 1;
    this.attempt = 0;
    this.announced = { epoch: frame.epoch, lastEventId: frame.last_event_id };
    if (this.userId !== frame.user_id) {
      // the token named someone else (or could not be read): the stored cursor is not theirs
      this.userId = frame.user_id;
      this.cursor = this.cursors.load(frame.user_id);
      if (this.resuming) {
        this.resuming = false;
        this.resetCursor('the connection is for another user than the cursor');
      }
    }
    if (!this.cursor) {
      this.cursor = Object.assign({}, this.announced);
      this.cursors.save(this.userId, this.cursor);
    }
    this.startHeartbeat(frame.heartbeat_interval_ms);
    this.setState(STATES.OPEN, { connectionId: frame.connection_id, resumed: this.resuming });
    this.emit('connected', frame);
  }

  resync(frame) {
    this.resetCursor('the server no longer has every event after ' + frame.last_event_id
      + ' of epoch ' + (this.cursor ? this.cursor.epoch : '?'));
  }

  resetCursor(why) {
    this.cursor = Object.assign({}, this.announced);
    this.cursors.save(this.userId, this.cursor);
    this.emit('resync', { epoch: this.cursor.epoch, lastEventId: this.cursor.lastEventId, reason: why });
  }

  apply(event) {
    const expected = this.cursor.lastEventId + 1;
    if (event.event_id < expected) {
      return; // already applied (a replay overlapping what this tab saw)
    }
    if (event.event_id > expected) {
      // never happens with a conforming server; resuming from the cursor fills the gap
      this.emit('problem', 'event ' + event.event_id + ' arrived after ' + this.cursor.lastEventId + '; resuming');
      this.reconnect();
      return;
    }
    this.cursor.lastEventId = event.event_id;
    this.cursors.save(this.userId, this.cursor);
    this.emit(event.type, event);
    this.emit('event', event);
  }

  send(frame) {
    if (!this.socket || this.state !== STATES.OPEN) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Starts an agent run on a thread. Returns the frame's `request_id` (echoed by the run's
   * `agent_started`, or by an `error`), or null when not connected.
   */
  sendMessage(threadId, content, requestId) {
    const id = requestId || 'req-' + this.now().toString(36) + '-' + (++requestCounter);
    return this.send({ type: 'user_message', thread_id: threadId, content, request_id: id }) ? id : null;
  }

  /** Asks the server to cancel a run; false when not connected. */
  cancelRun(runId) {
    return this.send({ type: 'cancel_run', run_id: runId });
  }
}
