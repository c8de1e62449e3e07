// Instances (heartbeats) and the stream's consumers; both are drawn once a refresh has every answer,
// since a consumer's owner comes from the instances and the leader tag from the pipeline.
import { $, el, emptyRow, fillTable, setText } from './dom.js';
import { fmtAgo, fmtDuration, fmtInt, parseTime, RELAY_STATES } from './format.js';

const PRESENCE = { ALIVE: 'b-ok', SILENT: 'b-bad', STOPPED: 'b-grey' };

let instances = null, consumers = null, leaderInstance = null;

export const setInstances = (r) => { instances = r; };
export const setConsumers = (r) => { consumers = r; };
export const setLeader = (id) => { leaderInstance = id; };

export function renderInstances() {
  if (!instances) return;
  const list = Array.isArray(instances.instances) ? instances.instances : [];
  const alive = list.filter((i) => i.presence === 'ALIVE').length;
  setText('instances-count', alive + (alive === list.length ? '' : ` / ${list.length}`),
    `badge ${list.some((i) => i.presence === 'SILENT') ? 'b-warn' : alive ? 'b-ok' : 'b-grey'}`);
  fillTable('instances', list.length ? list.map((i) => {
    const about = el('span', { class: 'sub', text: `${i.host} · pid ${i.pid}` });
    if (i.id === instances.answeredBy) about.appendChild(el('span', { class: 'tag you', text: 'answered' }));
    if (i.id === leaderInstance) about.appendChild(el('span', { class: 'tag lead', text: 'leader' }));
    const name = el('td', { class: 'two-lines', title: `${i.id} — host ${i.host}, pid ${i.pid}` },
      [el('span', { class: 'mono', text: i.id }), about]);
    const up = parseTime(i.startedAt);
    return el('tr', { class: 'instance', 'data-instance': i.id, 'data-presence': i.presence }, [
      name,
      el('td', null, [el('span', { class: `badge ${RELAY_STATES[i.relayState] || 'b-grey'}`, text: i.relayState || '?' })]),
      el('td', { title: i.startedAt || '', text: up && i.presence !== 'STOPPED' ? fmtDuration((Date.now() - up.getTime()) / 1000) : '—' }),
      el('td', { title: i.lastSeen || '', text: fmtAgo(i.lastSeen) }),
      el('td', null, [el('span', { class: `badge ${PRESENCE[i.presence] || 'b-grey'}`, text: i.presence || '?' })]),
    ]);
  }) : [emptyRow(5, 'No instance has reported yet.')]);
}

export function renderConsumers() {
  if (!consumers) return;
  const list = Array.isArray(consumers.consumers) ? consumers.consumers : [];
  const owners = {};
  for (const i of (instances && instances.instances) || []) owners[i.consumer] = i;
  setText('consumers-count', String(list.length));
  setText('consumers-group', `group ${consumers.group || '?'} on stream ${consumers.stream || '?'}`);
  fillTable('consumers', list.length ? list.map((c) => {
    const owner = owners[c.name];
    const stuck = c.pending > 0 && c.idleSeconds > 60;
    return el('tr', { class: 'consumer', 'data-consumer': c.name }, [
      el('td', { class: 'mono', title: c.name, text: c.name }),
      el('td', { class: `mono${owner ? '' : ' c-muted'}`, title: owner ? owner.id : 'no instance with this consumer reported in the last hour',
        text: owner ? owner.id : 'unknown' }),
      el('td', { class: `num${c.pending > 0 ? (stuck ? ' c-bad' : ' c-warn') : ''}`, text: fmtInt(c.pending) }),
      el('td', { class: `num${stuck ? ' c-bad' : ''}`, text: fmtDuration(c.idleSeconds) }),
    ]);
  }) : [emptyRow(4, 'No consumer in the group (Redis has no stream or group yet).')]);
}
