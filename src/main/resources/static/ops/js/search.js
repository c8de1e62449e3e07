// Find a notification by order id (or event id); a row opens the side panel.
import { api } from './api.js';
import { $, el, fillTable, text } from './dom.js';
import { fmtTime, isNum, STATUS } from './format.js';
import { notificationPath, opensDrawer } from './drawer.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let searchedOrder = null;

// The order whose results the refresh keeps current, or null.
export const currentSearch = () => searchedOrder;

export const searchPath = (orderId) => `/api/ops/notifications?limit=50&orderId=${encodeURIComponent(orderId)}`;

function searchMessage(message, cls, strong) {
  const note = $('search-message');
  note.className = `note${cls ? ` ${cls}` : ''}`;
  note.textContent = '';
  if (strong) note.appendChild(el('strong', { text: strong }));
  note.appendChild(text(message));
}

export function renderSearch(orderId, list) {
  list = Array.isArray(list) ? list : [];
  fillTable('search-rows', list.map((n) => {
    const tr = el('tr', { class: 'search-result clickable', 'data-event-id': n.eventId, 'data-order-id': n.orderId, tabindex: '0',
      title: 'Show its attempt history' }, [
      el('td', { class: 'mono', title: `${n.orderId} (event ${n.eventId})`, text: n.orderId }),
      el('td', null, [el('span', { class: `badge ${STATUS[n.status] || 'b-grey'}`, text: n.status })]),
      el('td', { class: 'num', text: isNum(n.attempts) ? String(n.attempts) : '—' }),
      el('td', { class: 'when', title: n.createdAt || '', text: fmtTime(n.createdAt) }),
    ]);
    opensDrawer(tr, n.eventId);
    return tr;
  }));
  $('search-results').hidden = list.length === 0;
  if (list.length) {
    searchMessage(` for order ${orderId} — click one for its history.`, '',
      list.length === 1 ? '1 notification' : `${list.length} notifications`);
  }
}

async function search(query) {
  query = query.trim();
  searchedOrder = null;
  $('search-results').hidden = true;
  if (!UUID_RE.test(query)) {
    searchMessage('Enter a whole order id or event id (a UUID).', 'bad');
    return;
  }
  searchMessage('Searching…');
  let list;
  try {
    list = await api('GET', searchPath(query));
  } catch (e) {
    searchMessage(e.message, 'bad');
    return;
  }
  if (Array.isArray(list) && list.length) {
    searchedOrder = query;
    renderSearch(query, list);
    return;
  }
  // Not an order with a notification: perhaps an event id.
  let n;
  try {
    n = await api('GET', notificationPath(query));
  } catch {
    searchMessage(` for ${query}: no such order or event in the ledger (an order placed a moment ago may not have reached it yet).`,
      'bad', 'No notification');
    return;
  }
  renderSearch(query, [n]);
  searchMessage(` with event id ${query}.`, '', '1 notification');
}

export function initSearch() {
  $('search-form').addEventListener('submit', (ev) => { ev.preventDefault(); search($('search-input').value); });
}
