// Orders not yet taken in Telegram (the longest waiting first), and who took the latest.
import { $, countText, el, emptyRow, fillTable, setText, text } from './dom.js';
import { fmtDuration, fmtTime } from './format.js';

export function renderAcknowledgements(r) {
  const waiting = r && Array.isArray(r.waiting) ? r.waiting : [];
  const taken = r && Array.isArray(r.taken) ? r.taken : [];
  setText('waiting-count', countText(waiting),
    `badge ${waiting.some((w) => w.stage === 'ESCALATED') ? 'b-bad' : waiting.length ? 'b-warn' : 'b-grey'}`);
  fillTable('waiting', waiting.map((w) => el('tr', { class: 'waiting', 'data-order': w.orderId }, [
    el('td', { class: 'mono', title: w.orderId, text: w.orderId }),
    el('td', { text: w.stage }),
    el('td', { class: 'when', title: w.deliveredAt || '' }, [text(fmtTime(w.deliveredAt))]),
    el('td', { class: `num${w.stage === 'ESCALATED' ? ' c-bad' : ''}`, text: fmtDuration(w.ageSeconds) }),
  ])));
  $('waiting-table').hidden = waiting.length === 0;
  $('no-waiting').hidden = waiting.length !== 0;
  fillTable('taken', taken.length ? taken.map((t) => {
    const by = t.takenBy ? `${t.takenBy.name} (${t.takenBy.id})` : '';
    return el('tr', { class: 'taken', 'data-order': t.orderId }, [
      el('td', { class: 'mono', title: t.orderId, text: t.orderId }),
      el('td', { title: by, text: by }),
      el('td', { class: 'when', title: t.takenAt || '' }, [text(fmtTime(t.takenAt))]),
      el('td', { class: 'num', text: fmtDuration(t.secondsToTake) }),
    ]);
  }) : [emptyRow(4, 'No order taken yet.')]);
}
