// The admin dashboard: polls the admin API, health, metrics and the nodes' activity once a second.
import { $, element } from './dom.js';
import { drawActivity } from './activity-plots.js';

const TOKEN_KEY = 'switchboard.admin.token';
const POLL_MS = 1000;

let token = sessionStorage.getItem(TOKEN_KEY);
let timer = null;
let lastTotal = null;

async function api(path, init = {}) {
  const used = token;
  if (!used) {
    throw new Error('signed out');
  }
  const response = await fetch(path, Object.assign({}, init, {
    headers: Object.assign({ Authorization: 'Bearer ' + used, Accept: 'application/json' }, init.headers || {}),
  }));
  if (response.status === 401 || response.status === 403) {
    // only the first refusal of this token signs out: requests still in flight say nothing new
    if (token === used) {
      stop(response.status === 401 ? 'The token is not valid (any more): sign in again.'
        : 'This token does not have the admin role.');
    }
    throw new Error('HTTP ' + response.status);
  }
  return response;
}

async function problem(response) {
  const body = await response.json().catch(() => ({}));
  return body.detail || body.title || 'HTTP ' + response.status;
}

// --- panels ----------------------------------------------------------------------------------

async function refreshUsers() {
  const response = await api('/api/admin/connections');
  if (!response.ok) {
    $('users-error').textContent = await problem(response);
    return;
  }
  const overview = await response.json();
  $('users-error').textContent = '';
  $('user-count').textContent = String(overview.users);
  $('connection-count').textContent = String(overview.connections);
  const rows = overview.per_user.map((user) => {
    const row = element('tr');
    row.dataset.userId = user.user_id;
    const action = element('td');
    if (user.internal) {
      // Switchboard's own connection (the delivery canary): nothing for an administrator to do
      action.append(element('span', 'internal', 'internal'));
    } else {
      const disconnect = element('button', 'secondary', 'Disconnect');
      disconnect.type = 'button';
      disconnect.setAttribute('aria-label', 'Disconnect ' + user.user_id);
      disconnect.addEventListener('click', () => disconnectUser(user.user_id));
      action.append(disconnect);
    }
    const nodes = user.nodes.map((share) => share.node_id + ': ' + share.connections).join(', ');
    row.append(element('td', '', user.user_id), element('td', '', String(user.connections)),
      element('td', '', String(user.last_event_id)), action, element('td', 'node-shares', nodes));
    return row;
  });
  $('users').replaceChildren(...rows);
  $('nodes').replaceChildren(...overview.nodes.map((node) => {
    const row = element('tr');
    row.dataset.nodeId = node.node_id;
    row.append(element('td', '', node.node_id + (node.self ? ' (this one)' : '')), element('td', '', node.version),
      element('td', node.ready ? 'up' : 'down', node.ready ? 'UP' : 'DOWN'), element('td', '', String(node.connections)));
    return row;
  }));
  $('user-ids').replaceChildren(...overview.per_user.filter((user) => !user.internal).map((user) => {
    const option = element('option');
    option.value = user.user_id;
    return option;
  }));
}

async function disconnectUser(userId) {
  const response = await api('/api/admin/users/' + encodeURIComponent(userId) + '/connections', { method: 'DELETE' });
  $('users-error').textContent = response.status === 204 ? '' : await problem(response);
  await refreshUsers();
}

const HEALTH_KINDS = ['ready', 'live', 'well'];

async function refreshHealth() {
  const [ready, ...others] = await Promise.all(HEALTH_KINDS.map((kind) =>
    fetch('/q/health/' + kind, { headers: { Accept: 'application/json' } }).then((r) => r.json())));
  const readiness = $('readiness');
  readiness.textContent = ready.status;
  readiness.className = ready.status === 'UP' ? 'up' : 'down';
  const all = [ready, ...others].flatMap((health, i) => health.checks.map((check) => [HEALTH_KINDS[i], check]));
  $('checks').replaceChildren(...all.map(([kind, check]) => {
    const row = element('tr');
    row.dataset.check = check.name;
    const details = Object.entries(check.data || {}).map(([k, v]) => k + ': ' + v).join(' · ');
    row.append(element('td', '', check.name + ' (' + kind + ')'),
      element('td', check.status === 'UP' ? 'up' : 'down', check.status), element('td', 'details', details));
    return row;
  }));

  const compliance = await api('/api/admin/compliance');
  if (compliance.ok) {
    const report = await compliance.json();
    const status = $('compliance');
    status.textContent = report.compliant ? 'compliant' : 'NOT compliant';
    status.className = report.compliant ? 'up' : 'down';
    $('violations').replaceChildren(...report.violations.map((v) => element('li', 'down', v)));
    $('compliance-detail').textContent = 'implementations: ' + report.implementations.join(', ')
      + ' · factories: ' + report.factories + ' · managers: ' + report.managers
      + ' · uses of retired managers: ' + report.retired_manager_uses;
  }
}

async function refreshRate() {
  const response = await fetch('/q/metrics', { headers: { Accept: 'text/plain' } });
  if (!response.ok) return;
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('switchboard_events_emitted_total{')) {
      total += Number(line.slice(line.lastIndexOf(' ') + 1)) || 0;
    }
  }
  const now = performance.now();
  if (lastTotal) {
    const rate = (total - lastTotal.total) / ((now - lastTotal.at) / 1000);
    $('event-rate').textContent = Math.max(0, rate).toFixed(1);
  }
  lastTotal = { total, at: now };
  $('event-total').textContent = String(total);
}

async function refreshActivity() {
  const response = await api('/api/admin/activity');
  if (!response.ok) {
    $('activity-error').textContent = await problem(response);
    return;
  }
  $('activity-error').textContent = '';
  drawActivity(await response.json());
}

async function refresh() {
  timer = null;
  const state = $('refresh-state');
  try {
    await Promise.all([refreshUsers(), refreshHealth(), refreshRate(), refreshActivity()]);
    state.dataset.state = 'open';
    state.textContent = 'Live';
  } catch (e) {
    if (!token) return;
    state.dataset.state = 'reconnecting';
    state.textContent = 'Cannot reach the server: retrying';
  }
  if (token) timer = setTimeout(refresh, POLL_MS);
}

// --- notifications ---------------------------------------------------------------------------

async function notify(event) {
  event.preventDefault();
  const broadcast = $('notify-broadcast').checked;
  const body = { level: $('notify-level').value, title: $('notify-title').value, body: $('notify-body').value };
  if (broadcast) body.broadcast = true; else body.user_id = $('notify-user').value.trim();
  const response = await api('/api/notifications', {
    method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' },
  });
  const result = $('notify-result');
  if (response.status === 202) {
    const users = (await response.json()).users;
    result.textContent = 'Sent to ' + users + (users === 1 ? ' user.' : ' users.');
    result.className = 'up';
  } else {
    result.textContent = 'Not sent: ' + await problem(response);
    result.className = 'down';
  }
}

// --- signing in ------------------------------------------------------------------------------

function start() {
  sessionStorage.setItem(TOKEN_KEY, token);
  $('sign-in').hidden = true;
  $('dashboard').hidden = false;
  $('who').textContent = 'admin token';
  refresh();
}

function stop(message) {
  token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  if (timer) clearTimeout(timer);
  $('dashboard').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  $('refresh-state').dataset.state = 'closed';
  $('refresh-state').textContent = 'Not signed in';
}

$('dev-admin').addEventListener('click', async () => {
  const response = await fetch('/dev/token?user=admin&roles=admin', { headers: { Accept: 'application/json' } });
  if (response.status === 404) {
    $('sign-in-error').textContent = 'This server gives no dev tokens: paste an admin token.';
    $('dev-sign-in').hidden = true;
    return;
  }
  token = (await response.json()).token;
  start();
});
$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  if (token) start();
});
$('notify-form').addEventListener('submit', notify);
$('notify-broadcast').addEventListener('change', () => { $('notify-user').disabled = $('notify-broadcast').checked; });

if (token) start();
