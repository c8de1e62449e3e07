// Bulk replay: count first (a dry run), then confirm with the count on the button.
import { api } from './api.js';
import { $, el, setText, text } from './dom.js';
import { fmtInt, hhmmss, isNum, ymd } from './format.js';

let bulkPreview = null; // { filter, count } after a dry run, until confirmed, cancelled or the filter changes

// The value of a datetime-local input, in local time to the second.
const localInput = (d) => `${ymd(d)}T${hhmmss(d)}`;

function lastHour() {
  const now = Date.now();
  $('bulk-from').value = localInput(new Date(now - 3600 * 1000));
  $('bulk-to').value = localInput(new Date(now + 60 * 1000));
  resetBulk();
}

function resetBulk() {
  bulkPreview = null;
  $('bulk-confirm').hidden = true;
  $('bulk-cancel').hidden = true;
  $('bulk-count').disabled = false;
}

function bulkNote(parts, cls) {
  const note = $('bulk-result');
  note.className = `note${cls ? ` ${cls}` : ''}`;
  note.textContent = '';
  for (const p of parts) note.appendChild(typeof p === 'string' ? text(p) : p);
}

function bulkFilter() {
  const from = new Date($('bulk-from').value), to = new Date($('bulk-to').value);
  if (isNaN(from.getTime()) || isNaN(to.getTime())) throw new Error('Give both ends of the window.');
  if (from >= to) throw new Error('The window must start before it ends.');
  return { status: $('bulk-status').value, from: from.toISOString(), to: to.toISOString() };
}

async function count(ev) {
  ev.preventDefault();
  let filter;
  try { filter = bulkFilter(); } catch (e) { bulkNote([e.message], 'bad'); return; }
  resetBulk();
  $('bulk-count').disabled = true;
  bulkNote(['Counting…']);
  let r;
  try {
    r = await api('POST', '/api/ops/notifications/replay', { dryRun: true, ...filter });
  } catch (e) {
    $('bulk-count').disabled = false;
    bulkNote([e.message], 'bad');
    return;
  }
  const n = r && isNum(r.wouldReplay) ? r.wouldReplay : 0;
  $('bulk-count').disabled = false;
  if (!n) {
    bulkNote([`Nothing to replay: no ${filter.status} notification was created in that window.`]);
    return;
  }
  bulkPreview = { filter, count: n };
  bulkNote([el('strong', { id: 'bulk-would', text: fmtInt(n) }), ` ${filter.status} notification${n === 1 ? '' : 's'} would be replayed`
      + `${filter.status === 'DELIVERED' ? ' — the staff get each of them a second time' : ''}. Nothing has changed yet.`]);
  setText('bulk-confirm', `Replay ${fmtInt(n)}`);
  $('bulk-confirm').hidden = false;
  $('bulk-cancel').hidden = false;
}

async function confirm(afterAction) {
  if (!bulkPreview) return;
  const preview = bulkPreview;
  $('bulk-confirm').disabled = true;
  $('bulk-cancel').hidden = true;
  bulkNote(['Replaying…']);
  try {
    const r = await api('POST', '/api/ops/notifications/replay', preview.filter);
    const n = r && isNum(r.replayed) ? r.replayed : 0;
    bulkNote([el('strong', { id: 'bulk-replayed', text: `Replayed ${fmtInt(n)}` }), ` notification${n === 1 ? '' : 's'}`
        + (n === preview.count ? '.' : ` (the count said ${fmtInt(preview.count)}; some changed in between).`)], 'good');
  } catch (e) {
    bulkNote([e.message], 'bad');
  }
  $('bulk-confirm').disabled = false;
  resetBulk();
  afterAction();
}

// afterAction: what to do once a bulk replay has answered (the refresh, chart included).
export function initBulkReplay({ afterAction }) {
  $('bulk-form').addEventListener('submit', count);
  $('bulk-confirm').addEventListener('click', () => confirm(afterAction));
  $('bulk-cancel').addEventListener('click', () => { resetBulk(); bulkNote(['Cancelled; nothing was replayed.']); });
  $('bulk-last-hour').addEventListener('click', lastHour);
  for (const id of ['bulk-status', 'bulk-from', 'bulk-to']) {
    $(id).addEventListener('change', () => { if (bulkPreview) { resetBulk(); bulkNote(['The filter changed: count again.']); } });
  }
  lastHour();
}
