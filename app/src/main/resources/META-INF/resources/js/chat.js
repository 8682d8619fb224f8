// The chat page: sign in, threads, a live timeline per run, notifications, the connection state.
// Everything the server sends is rendered with textContent, never as HTML.
import { SwitchboardClient, STATES, tokenClaims, tokenSubject } from './switchboard-client.js';
import { $, element } from './dom.js';

const SESSION_KEY = 'switchboard.session';
const MAX_STORED_EVENTS = 2000;

let session = readJson(sessionStorage, SESSION_KEY);
let client = null;
let currentThread = null;
const runs = new Map(); // run id -> {element, steps, status, threadId}
const prompts = new Map(); // request id -> what the user typed

function readJson(storage, key) {
  try {
    return JSON.parse(storage.getItem(key));
  } catch (e) {
    return null;
  }
}

function writeJson(storage, key, value) {
  try {
    storage.setItem(key, JSON.stringify(value));
  } catch (e) {
    // storage full or disabled: the page still works, it just forgets on reload
  }
}

const eventsKey = () => 'switchboard.events.' + session.user;
const promptsKey = () => 'switchboard.prompts.' + session.user;
const threadsKey = () => 'switchboard.threads.' + session.user;

// --- signing in ------------------------------------------------------------------------------

function expiresSoon(token) {
  const claims = tokenClaims(token);
  return !claims || !claims.exp || claims.exp * 1000 < Date.now() + 5000;
}

async function devToken(user) {
  const response = await fetch('/dev/token?user=' + encodeURIComponent(user), { headers: { Accept: 'application/json' } });
  if (response.status === 404) {
    return null;
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || 'the dev server refused: ' + response.status);
  }
  return (await response.json()).token;
}

async function tokenFor({ expired }) {
  if (!expired && session.token && !expiresSoon(session.token)) {
    return session.token;
  }
  if (session.source === 'dev') {
    session.token = await devToken(session.user);
    writeJson(sessionStorage, SESSION_KEY, session);
    return session.token;
  }
  showSignIn('Your token has expired: paste a new one to continue where you left off.', true);
  return null;
}

function showSignIn(message, tokenOnly) {
  $('sign-in').hidden = false;
  $('chat').hidden = !session;
  $('sign-in-error').textContent = message || '';
  if (tokenOnly) {
    $('dev-sign-in').hidden = true;
    $('token-sign-in').hidden = false;
    $('user-name').required = false;
  }
}

async function signIn(event) {
  event.preventDefault();
  $('sign-in-error').textContent = '';
  try {
    if (!$('token-sign-in').hidden) {
      const token = $('token').value.trim();
      const user = tokenSubject(token);
      if (!user) {
        $('sign-in-error').textContent = 'That is not a JWT (three base64url parts with a sub or upn claim).';
        return;
      }
      if (session && session.user !== user) {
        signOut();
      }
      session = { user, token, source: 'pasted' };
    } else {
      const user = $('user-name').value.trim();
      const token = await devToken(user);
      if (token === null) {
        showSignIn('This server gives no dev tokens. Paste a bearer token instead.', true);
        return;
      }
      session = { user, token, source: 'dev' };
    }
  } catch (e) {
    $('sign-in-error').textContent = e.message;
    return;
  }
  writeJson(sessionStorage, SESSION_KEY, session);
  start();
}

function signOut() {
  if (client) client.close();
  client = null;
  if (session) {
    for (const key of [eventsKey(), promptsKey(), 'switchboard.cursor.' + session.user]) {
      sessionStorage.removeItem(key);
    }
  }
  session = null;
  sessionStorage.removeItem(SESSION_KEY);
  location.reload();
}

// --- threads ---------------------------------------------------------------------------------

function threads() {
  return readJson(localStorage, threadsKey()) || [];
}

function addThread(threadId) {
  const list = threads();
  if (!list.includes(threadId)) {
    list.push(threadId);
    writeJson(localStorage, threadsKey(), list);
  }
  renderThreads();
}

function newThread() {
  const id = 'thread-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 6);
  addThread(id);
  selectThread(id);
}

function renderThreads() {
  const list = $('threads');
  list.replaceChildren();
  threads().forEach((threadId, index) => {
    const button = element('button', '', 'Thread ' + (index + 1));
    button.type = 'button';
    button.dataset.threadId = threadId;
    button.title = threadId;
    if (threadId === currentThread) button.setAttribute('aria-current', 'true');
    button.addEventListener('click', () => selectThread(threadId));
    const item = element('li');
    item.append(button);
    list.append(item);
  });
}

function selectThread(threadId) {
  currentThread = threadId;
  for (const run of runs.values()) {
    run.element.hidden = run.threadId !== threadId;
  }
  const position = threads().indexOf(threadId) + 1;
  $('thread-title').textContent = 'Thread ' + position;
  renderThreads();
  $('message').focus();
}

// --- rendering events ------------------------------------------------------------------------

function runFor(event) {
  let run = runs.get(event.run_id);
  if (!run) {
    addThread(event.thread_id);
    const item = element('li', 'run');
    item.dataset.runId = event.run_id;
    item.dataset.threadId = event.thread_id;
    item.dataset.status = 'running';
    const header = element('header');
    const prompt = element('span', 'prompt', prompts.get(event.request_id) || '(a message sent from another tab)');
    const status = element('span', 'status', 'running');
    const cancel = element('button', 'secondary cancel', 'Cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', () => client && client.cancelRun(event.run_id));
    header.append(prompt, status, cancel);
    const steps = element('ol', 'steps');
    item.append(header, steps);
    item.hidden = event.thread_id !== currentThread;
    $('timeline').append(item);
    run = { element: item, steps, status, cancel, threadId: event.thread_id };
    runs.set(event.run_id, run);
  }
  return run;
}

function step(run, event, kind, text, detail) {
  const item = element('li', 'step');
  item.dataset.type = event.type;
  item.dataset.eventId = String(event.event_id);
  item.append(element('span', 'kind', kind), element('span', 'text', text));
  if (detail !== undefined) {
    item.append(element('pre', '', JSON.stringify(detail, null, 2)));
  }
  run.steps.append(item);
  if (run.element.hidden === false) item.scrollIntoView({ block: 'nearest' });
  return item;
}

function render(event) {
  if (event.type === 'notification') {
    const item = element('li', 'notification');
    item.dataset.eventId = String(event.event_id);
    item.dataset.level = event.level;
    const time = element('time', '', new Date(event.timestamp).toLocaleTimeString());
    time.dateTime = event.timestamp;
    item.append(element('span', 'title', event.title), element('p', 'body', event.body), time);
    $('notification-list').prepend(item);
    return;
  }
  const run = runFor(event);
  switch (event.type) {
    case 'agent_started':
      step(run, event, 'started', event.agent_name + ' is on it');
      break;
    case 'agent_thinking':
      step(run, event, 'thinking', event.reasoning);
      break;
    case 'agent_text_delta':
      // the answer grows in place; a tool call in between starts a new piece after it
      if (!run.writing) {
        run.writing = step(run, event, 'answer', '');
        run.writing.classList.add('streaming');
        run.streamed = true;
      }
      run.writing.querySelector('.text').append(event.text);
      run.writing.dataset.lastEventId = String(event.event_id);
      break;
    case 'tool_executing':
      run.writing = null;
      step(run, event, 'tool call', event.tool_name, event.parameters);
      break;
    case 'tool_completed': {
      const text = event.tool_name + ': ' + event.status + ' in ' + event.duration_ms + ' ms';
      const item = step(run, event, 'tool result', text, event.status === 'success' ? event.results : event.error);
      if (event.status !== 'success') item.classList.add('failed');
      break;
    }
    case 'agent_completed': {
      run.writing = null;
      run.steps.querySelectorAll('.streaming').forEach((piece) => piece.classList.remove('streaming'));
      const text = event.status === 'completed' ? event.final_response
        : event.status === 'cancelled' ? 'Cancelled.' : 'Failed: ' + (event.error || 'unknown error');
      // a streamed answer is on the page already: the end only says how the run ended
      if (!(run.streamed && event.status === 'completed')) {
        const item = step(run, event, event.status === 'completed' ? 'answer' : event.status, text);
        if (event.status !== 'completed') item.classList.add('failed');
      }
      run.element.dataset.status = event.status;
      run.status.textContent = event.status;
      run.cancel.remove();
      break;
    }
    default:
      break;
  }
  if (event.thread_id !== currentThread) {
    const button = document.querySelector('[data-thread-id="' + CSS.escape(event.thread_id) + '"]');
    if (button) button.classList.add('unread');
  }
}

function remember(event) {
  const stored = readJson(sessionStorage, eventsKey()) || [];
  stored.push(event);
  writeJson(sessionStorage, eventsKey(), stored.slice(-MAX_STORED_EVENTS));
}

function clearTimeline() {
  runs.clear();
  $('timeline').replaceChildren();
  $('notification-list').replaceChildren();
  sessionStorage.removeItem(eventsKey());
}

// --- connection ------------------------------------------------------------------------------

const STATE_TEXT = {
  [STATES.IDLE]: 'Not connected',
  [STATES.CONNECTING]: 'Connecting…',
  [STATES.OPEN]: 'Connected',
  [STATES.RECONNECTING]: 'Reconnecting…',
  [STATES.TOKEN_REQUIRED]: 'Signed out: the token expired',
  [STATES.CLOSED]: 'Disconnected',
};

function showState(state, detail) {
  const badge = $('connection');
  badge.dataset.state = state;
  badge.dataset.connections = String(client ? client.connections : 0);
  let text = STATE_TEXT[state] || state;
  if (state === STATES.RECONNECTING && detail && detail.delayMs !== undefined) {
    text = 'Reconnecting in ' + (detail.delayMs / 1000).toFixed(1) + ' s…';
  }
  badge.textContent = text;
  $('send').disabled = state !== STATES.OPEN;
}

function start() {
  $('sign-in').hidden = true;
  $('chat').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = 'Signed in as ' + session.user;
  for (const [requestId, content] of Object.entries(readJson(sessionStorage, promptsKey()) || {})) {
    prompts.set(requestId, content);
  }
  if (threads().length === 0) {
    addThread('thread-1');
  }
  selectThread(threads()[0]);
  if (client) {
    client.connect();
    return;
  }
  (readJson(sessionStorage, eventsKey()) || []).forEach(render);
  client = new SwitchboardClient({ token: tokenFor });
  client.onState(showState);
  client.onEvent((event) => {
    remember(event);
    render(event);
  });
  client.on('resync', () => {
    clearTimeline();
    const notice = $('notice');
    notice.textContent = 'You were away longer than the server keeps events, so earlier activity is no longer shown.';
    notice.hidden = false;
  });
  client.on('error', (frame) => {
    const prompt = frame.request_id && prompts.get(frame.request_id);
    $('composer-error').textContent = frame.code + ': ' + frame.message + (prompt ? ' (“' + prompt + '”)' : '');
  });
  client.on('problem', (message) => console.warn('switchboard:', message));
  client.connect();
}

function send(event) {
  event.preventDefault();
  const content = $('message').value.trim();
  if (!content || !client) return;
  $('composer-error').textContent = '';
  const requestId = client.sendMessage(currentThread, content);
  if (!requestId) {
    $('composer-error').textContent = 'Not connected: the message was not sent.';
    return;
  }
  prompts.set(requestId, content);
  writeJson(sessionStorage, promptsKey(), Object.fromEntries([...prompts].slice(-200)));
  $('message').value = '';
}

$('sign-in-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', signOut);
$('new-thread').addEventListener('click', newThread);
$('composer').addEventListener('submit', send);
$('message').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('composer').requestSubmit();
  }
});

if (session && session.user && session.token) {
  start();
} else {
  session = null;
  $('user-name').focus();
}
