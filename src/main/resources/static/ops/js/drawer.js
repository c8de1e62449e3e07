// The side panel: one notification, its attempt history, and a Replay button.
import { api } from './api.js';
import { $, el, setText } from './dom.js';
import { fmtAgo, fmtTime, isNum, STATUS } from './format.js';

const OUTCOMES = {
  DELIVERED: 'ok', REPLAYED: 'info', PERMANENT: 'bad', UNREADABLE: 'bad', TRANSIENT: 'warn', OUTAGE: 'warn',
  RATE_LIMITED: 'warn', REFUSED: 'warn', CHAT_MIGRATED: 'info',
};

let drawerEventId = null, drawerOpener = null;

// The event the open panel shows (the refresh reads it again), or null.
export const openEventId = () => drawerEventId;

export const notificationPath = (eventId) => `/api/ops/notifications/${encodeURIComponent(eventId)}`;

// A row that opens the panel on click, Enter or Space (but not from a button inside it).
export function opensDrawer(tr, eventId) {
  tr.addEventListener('click', (ev) => {
    if (ev.target.closest('button')) return;
    openDrawer(eventId, tr);
  });
  tr.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); openDrawer(eventId, tr); }
  });
}

function openDrawer(eventId, opener) {
  drawerEventId = String(eventId);
  drawerOpener = opener || null;
  setText('drawer-note', '');
  $('drawer-history').textContent = '';
  setText('drawer-event', drawerEventId);
  const drawer = $('drawer');
  drawer.classList.add('open');
  drawer.setAttribute('aria-hidden', 'false');
  drawer.setAttribute('data-event-id', drawerEventId);
  $('drawer-backdrop').hidden = false;
  $('drawer-close').focus();
  api('GET', notificationPath(drawerEventId)).then(renderDrawer, (e) => setText('drawer-note', e.message, 'note bad'));
}

function closeDrawer() {
  if (!drawerEventId) return;
  drawerEventId = null;
  const drawer = $('drawer');
  drawer.classList.remove('open');
  drawer.setAttribute('aria-hidden', 'true');
  $('drawer-backdrop').hidden = true;
  if (drawerOpener && document.body.contains(drawerOpener)) drawerOpener.focus();
}

export function renderDrawer(n) {
  if (!n || String(n.eventId) !== drawerEventId) return;
  setText('drawer-status', n.status || '?', `badge ${STATUS[n.status] || 'b-grey'}`);
  setText('drawer-order', n.orderId);
  setText('drawer-event', n.eventId);
  setText('drawer-attempts', isNum(n.attempts) ? String(n.attempts) : '—');
  setText('drawer-created', n.createdAt ? `${fmtTime(n.createdAt)} (${fmtAgo(n.createdAt)})` : '—');
  setText('drawer-delivered', n.deliveredAt ? `${fmtTime(n.deliveredAt)} (${fmtAgo(n.deliveredAt)})` : '—');
  setText('drawer-next', n.nextAttemptAt ? fmtTime(n.nextAttemptAt) : '—');
  setText('drawer-error', n.lastError || '—', n.lastError ? 'err' : '');
  // Shown when the API carries one (a trace of the order's request through the pipeline).
  const trace = typeof n.traceId === 'string' && n.traceId ? n.traceId : null;
  $('drawer-trace-label').hidden = !trace;
  $('drawer-trace').hidden = !trace;
  setText('drawer-trace', trace || '');
  const history = Array.isArray(n.history) ? n.history : [];
  const ol = $('drawer-history');
  ol.textContent = '';
  for (const a of history.slice().reverse()) {
    const level = OUTCOMES[a.outcome];
    const li = el('li', { class: `attempt o-${level || 'grey'}`, 'data-outcome': a.outcome }, [
      el('span', { class: `badge b-${level || 'grey'}`, text: a.outcome }),
      el('span', { class: 'when', title: a.at || '', text: `${fmtTime(a.at)} · ${fmtAgo(a.at)}` }),
    ]);
    if (a.error) li.appendChild(el('span', { class: 'err', text: a.error }));
    if (typeof a.traceId === 'string' && a.traceId) li.appendChild(el('span', { class: 'when mono', text: `trace ${a.traceId}` }));
    ol.appendChild(li);
  }
  if (!history.length) ol.appendChild(el('li', { class: 'c-muted', text: 'No attempt yet.' }));
}

// afterAction: what to do once a replay has answered (the refresh, chart included).
export function initDrawer({ afterAction }) {
  $('drawer-close').addEventListener('click', closeDrawer);
  $('drawer-backdrop').addEventListener('click', closeDrawer);
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeDrawer(); });
  $('drawer-replay').addEventListener('click', async () => {
    const eventId = drawerEventId, button = $('drawer-replay');
    if (!eventId) return;
    button.disabled = true;
    try {
      const r = await api('POST', `${notificationPath(eventId)}/replay`);
      setText('drawer-note', r && r.replayed ? 'Replayed: it is on its way again.' : 'Not replayed: it is being sent right now.', 'note');
    } catch (e) {
      setText('drawer-note', e.message, 'note bad');
    }
    button.disabled = false;
    afterAction();
  });
}
