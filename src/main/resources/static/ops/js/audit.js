// The last 10 replays, pauses and resumes.
import { $, el } from './dom.js';
import { fmtTime, isNum } from './format.js';

const ACTIONS = {
  REPLAY: 'b-info', REPLAY_ORDER: 'b-info', REPLAY_BULK: 'b-info', REPLAY_DRY_RUN: 'b-grey', PAUSE: 'b-warn', RESUME: 'b-ok',
};

export function renderAudit(entries) {
  entries = Array.isArray(entries) ? entries.slice(0, 10) : [];
  let items = entries.map((e) => el('li', null, [
    el('span', { class: 't', title: e.at || '', text: fmtTime(e.at) }),
    el('span', { class: 'who', title: e.actor || '', text: e.actor || '—' }),
    el('span', null, [el('span', { class: `badge ${ACTIONS[e.action] || 'b-grey'}`, text: e.action || '?' })]),
    el('span', { class: 'target', title: e.target || '', text: e.target || '' }),
    el('span', { class: 'cnt', text: isNum(e.count) ? `${e.count}${e.count === 1 ? ' item' : ' items'}` : '' }),
  ]));
  if (!items.length) items = [el('li', null, [el('span', { class: 'none', text: 'No actions yet.' })])];
  const ul = $('audit');
  ul.textContent = '';
  ul.append(...items);
}
