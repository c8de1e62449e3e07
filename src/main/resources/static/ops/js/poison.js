// Stream entries the notifier refused (kept with the reason, never sent).
import { $, countText, el, fillTable, setText, text } from './dom.js';
import { fmtAgo, fmtTime } from './format.js';

export function renderPoison(list) {
  list = Array.isArray(list) ? list : [];
  setText('poison-count', countText(list), `badge ${list.length ? 'b-warn' : 'b-grey'}`);
  fillTable('poison', list.map((e) => el('tr', { class: 'poison', 'data-entry': e.streamEntryId }, [
    el('td', { class: 'mono', title: e.streamEntryId, text: e.streamEntryId }),
    el('td', { title: e.reason, text: e.reason }),
    el('td', { class: 'err', title: e.fields, text: e.fields }),
    el('td', { class: 'when', title: e.at || '' }, [text(fmtTime(e.at)), el('small', { text: fmtAgo(e.at) })]),
  ])));
  $('poison-table').hidden = list.length === 0;
  $('no-poison').hidden = list.length !== 0;
}
