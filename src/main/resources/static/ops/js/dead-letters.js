// Dead letters, each with a Replay button. Rows are updated in place (keeps selections and buttons).
import { api } from './api.js';
import { $, countText, el, setText, showActionError, text } from './dom.js';
import { fmtAgo, fmtTime, isNum, shortId } from './format.js';
import { notificationPath, opensDrawer } from './drawer.js';

// eventId -> 'sending' while its replay is in flight, 'sent' until its row leaves the list
const replaying = {};
let afterReplay = () => {};

// Cell values of a dead letter row: [text, title, class].
const deadRowValues = (n) => [
  [n.orderId, n.orderId, 'mono'],
  [shortId(n.eventId), n.eventId, 'mono'],
  [isNum(n.attempts) ? String(n.attempts) : '—', '', 'num'],
  [n.lastError || '—', n.lastError || '', 'err'],
  [fmtTime(n.createdAt), n.createdAt || '', 'when'],
];

function updateDeadRow(tr, n) {
  deadRowValues(n).forEach(([value, tip], i) => {
    const td = tr.children[i];
    const content = value == null ? '' : String(value), title = tip == null ? '' : String(tip);
    if (i === 4) {
      // created: time plus a muted "5 min ago"
      const ago = fmtAgo(n.createdAt);
      if (td.firstChild.nodeValue !== content) td.firstChild.nodeValue = content;
      if (td.lastChild.textContent !== ago) td.lastChild.textContent = ago;
    } else if (td.textContent !== content) {
      td.textContent = content;
    }
    if (td.title !== title) td.title = title;
  });
}

function newDeadRow(n, id) {
  const tr = el('tr', { class: 'dead-letter clickable', 'data-event-id': id, 'data-order-id': n.orderId, tabindex: '0',
    title: 'Show its attempt history' });
  opensDrawer(tr, id);
  deadRowValues(n).forEach(([, , cls], i) => {
    const td = el('td', { class: cls });
    if (i === 4) td.append(text(''), el('small'));
    tr.appendChild(td);
  });
  tr.appendChild(el('td', { class: 'act' }, [replayButton(id)]));
  updateDeadRow(tr, n);
  return tr;
}

function replayButton(eventId) {
  const button = el('button', { type: 'button', class: 'replay', 'data-event-id': eventId, text: 'Replay' });
  button.addEventListener('click', () => replay(eventId, button));
  return button;
}

async function replay(eventId, button) {
  if (replaying[eventId]) return;
  replaying[eventId] = 'sending';
  button.disabled = true;
  button.textContent = 'Replaying…';
  const tr = button.closest('tr');
  if (tr) tr.classList.add('replaying');
  try {
    await api('POST', `${notificationPath(eventId)}/replay`);
    replaying[eventId] = 'sent';
  } catch (e) {
    delete replaying[eventId];
    button.disabled = false;
    button.textContent = 'Replay';
    if (tr) tr.classList.remove('replaying');
    showActionError(`Replay of event ${shortId(eventId)} failed: ${e.message}`);
  }
  afterReplay();
}

export function renderDeadLetters(list) {
  list = Array.isArray(list) ? list : [];
  const body = $('dead-letters');
  const existing = {};
  for (const tr of body.querySelectorAll('tr.dead-letter')) existing[tr.getAttribute('data-event-id')] = tr;
  const seen = {};
  list.forEach((n, i) => {
    const id = String(n.eventId);
    seen[id] = true;
    let tr = existing[id];
    if (!tr) tr = newDeadRow(n, id);
    else updateDeadRow(tr, n);
    tr.classList.toggle('replaying', !!replaying[id]);
    const button = tr.querySelector('button.replay');
    if (replaying[id]) { button.disabled = true; button.textContent = 'Replaying…'; }
    if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null);
  });
  for (const id of Object.keys(existing)) if (!seen[id]) body.removeChild(existing[id]);
  for (const id of Object.keys(replaying)) if (!seen[id] && replaying[id] === 'sent') delete replaying[id];

  setText('dead-letters-count', countText(list));
  $('dead-letters-table').hidden = list.length === 0;
  $('no-dead-letters').hidden = list.length !== 0;
}

// afterAction: what to do once a replay has answered (the refresh, chart included).
export function initDeadLetters({ afterAction }) {
  afterReplay = afterAction;
}
