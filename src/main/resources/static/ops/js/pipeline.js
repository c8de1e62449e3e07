// The four stages (outbox → relay → stream → delivery), the dry-run banner, and pause / resume.
import { api } from './api.js';
import { $, el, setText, showActionError, text } from './dom.js';
import { fmtAgo, fmtBytes, fmtDuration, fmtInt, fmtTime, isNum, RELAY_STATES } from './format.js';
import { setLeader } from './cluster.js';

let controlBusy = false; // a pause or resume is in flight: the buttons are the action's, not the refresh's

function setHealth(stageId, level) {
  const node = $(stageId);
  node.classList.remove('h-ok', 'h-warn', 'h-bad', 'h-none');
  node.classList.add(`h-${level}`);
}

const LEVELS = { none: 0, ok: 1, warn: 2, bad: 3 };
const worst = (...levels) => levels.reduce((a, b) => (LEVELS[b] > LEVELS[a] ? b : a), 'none');

export function renderPipeline(p) {
  const outbox = p.outbox || {}, relay = p.relay || {}, stream = p.stream || {},
      counts = p.notifications || {}, delivery = p.delivery || {}, telegram = p.telegram || {};

  // Outbox
  const age = outbox.oldestUndeliveredAgeSeconds;
  const undelivered = outbox.undelivered;
  const ageLevel = !isNum(age) || !undelivered ? 'ok' : age > 300 ? 'bad' : age > 60 ? 'warn' : 'ok';
  setText('outbox-undelivered', fmtInt(undelivered));
  setText('outbox-oldest', undelivered ? fmtDuration(age) : '—', `c-${ageLevel}`);
  setHealth('stage-outbox', ageLevel);

  setText('answered-by', p.answeredBy || '—');
  $('answered-by').title = p.answeredBy || '';
  setLeader(relay.leader ? relay.leaderInstance : null);

  // Relay: the leader's last report in PostgreSQL, the same whichever instance answered
  const stale = !!relay.stale;
  const state = !relay.leader ? 'NO LEADER' : typeof relay.state === 'string' ? relay.state : 'UNKNOWN';
  setText('relay-state', state, `badge relay-state ${!relay.leader ? 'b-bad' : RELAY_STATES[state] || 'b-grey'}`);
  $('relay-state').setAttribute('data-state', state.replace(' ', '_'));
  $('relay-stale').hidden = !stale;
  setText('relay-leader', relay.leader ? relay.leaderInstance || '?' : 'none', relay.leader ? 'mono' : 'mono c-bad');
  $('relay-leader').title = relay.leader ? `holds the relay lease: ${relay.leaderInstance}`
    : relay.reportedBy ? `no instance holds the relay lease; the last report came from ${relay.reportedBy}`
      : 'no instance holds the relay lease';
  const lagLevel = !isNum(relay.lagSeconds) ? 'none' : relay.lagSeconds > 60 ? 'bad' : relay.lagSeconds > 5 ? 'warn' : 'ok';
  // the lag is that of the last batch published: only meaningful while RUNNING
  setText('relay-lag', fmtDuration(relay.lagSeconds),
    state !== 'RUNNING' || stale ? 'c-muted' : lagLevel === 'none' ? '' : `c-${lagLevel}`);
  $('relay-lag').title = 'commit-to-publish delay of the last batch the leader published';
  setText('relay-reported', isNum(relay.reportAgeSeconds) ? `${fmtDuration(relay.reportAgeSeconds)} ago` : 'never',
    stale ? 'c-warn' : '');
  $('relay-reported').title = relay.reportedAt ? `by ${relay.reportedBy || '?'} at ${relay.reportedAt}`
    : 'the leader has not reported yet';
  const wal = relay.retainedWalBytes;
  const walLevel = !isNum(wal) ? 'none' : wal < 0 ? 'warn' : wal > 1073741824 ? 'bad' : wal > 268435456 ? 'warn' : 'ok';
  setText('relay-wal', fmtBytes(wal), stale ? 'c-muted' : walLevel === 'none' ? '' : `c-${walLevel}`);
  $('relay-wal').title = isNum(wal) && wal >= 0 ? `${fmtInt(wal)} bytes` : 'the replication slot is missing';
  const errBox = $('relay-error');
  if (relay.lastError) {
    errBox.textContent = String(relay.lastError);
    errBox.title = String(relay.lastError);
    errBox.hidden = false;
  } else {
    errBox.textContent = '';
    errBox.hidden = true;
  }
  const stateLevel = state === 'RUNNING' ? 'ok' : state === 'FAILED' || state === 'NO LEADER' ? 'bad'
    : state === 'STARTING' ? 'warn' : 'none';
  setHealth('stage-relay', worst(stateLevel, state === 'RUNNING' ? lagLevel : 'none', walLevel, stale ? 'warn' : 'none',
    relay.lastError ? 'warn' : 'none'));

  // Stream
  setText('stream-length', fmtInt(stream.length));
  const sp = stream.pending;
  const spLevel = !isNum(sp) ? 'none' : sp > 100 ? 'warn' : 'ok';
  setText('stream-pending', fmtInt(sp), sp > 100 ? 'c-warn' : '');
  const streamError = $('stream-error');
  streamError.textContent = stream.error ? `Redis could not be read: ${stream.error}` : '';
  streamError.title = streamError.textContent;
  streamError.hidden = !stream.error;
  setHealth('stage-stream', stream.error ? 'bad' : spLevel);

  // Delivery counters: plain numbers (tests read them with Number(textContent))
  const counter = (name, value, level) => {
    setText(`count-${name}`, isNum(value) ? String(value) : '—');
    $(`counter-${name}`).className = `counter${level ? ` ${level}` : ''}`;
  };
  counter('pending', counts.pending, '');
  counter('retrying', counts.retrying, counts.retrying > 0 ? 'warn' : '');
  counter('delivered', counts.delivered, counts.delivered > 0 ? 'good' : '');
  counter('dead', counts.dead, counts.dead > 0 ? 'bad' : '');
  $('dead-letters-count').className = `badge ${counts.dead > 0 ? 'b-bad' : 'b-grey'}`;

  $('dry-run-banner').classList.toggle('show', !!telegram.dryRun);

  const paused = !!delivery.paused;
  setText('delivery-state', paused ? 'Paused' : 'Running', `badge ${paused ? 'b-warn' : 'b-ok'}`);
  const info = $('pause-info');
  info.textContent = '';
  if (paused) {
    info.append(text('Paused by '), el('strong', { text: delivery.pausedBy || 'unknown' }),
      text(` at ${fmtTime(delivery.pausedAt)}${delivery.pausedAt ? ` (${fmtAgo(delivery.pausedAt)})` : ''}`));
    if (delivery.reason) info.append(text(': '), el('span', { text: String(delivery.reason), id: 'pause-reason' }));
    info.title = delivery.pausedAt ? String(delivery.pausedAt) : '';
  } else {
    const circuit = telegram.circuit || 'CLOSED';
    info.append(text(telegram.dryRun ? 'Dry run: messages go to the log'
      : circuit === 'CLOSED' ? 'Sending to Telegram' : `Telegram failing: circuit ${circuit}`));
    info.title = delivery.pausedBy ? `last switched by ${delivery.pausedBy} at ${delivery.pausedAt || '?'}` : '';
  }
  if (!controlBusy) {
    $('pause').hidden = paused;
    $('resume').hidden = !paused;
  }
  setHealth('stage-delivery', worst(counts.dead > 0 ? 'bad' : 'ok',
    paused || counts.retrying > 0 || (telegram.circuit && telegram.circuit !== 'CLOSED') ? 'warn' : 'ok'));
}

async function setPaused(pause, afterAction) {
  const button = $(pause ? 'pause' : 'resume');
  controlBusy = true;
  button.disabled = true;
  button.textContent = pause ? 'Pausing…' : 'Resuming…';
  try {
    const state = await api('POST', pause ? '/api/ops/delivery/pause' : '/api/ops/delivery/resume');
    const paused = state && typeof state.paused === 'boolean' ? state.paused : pause;
    $('pause').hidden = paused;
    $('resume').hidden = !paused;
  } catch (e) {
    showActionError(`${pause ? 'Pause' : 'Resume'} failed: ${e.message}`);
  }
  controlBusy = false;
  button.disabled = false;
  button.textContent = pause ? 'Pause delivery' : 'Resume delivery';
  afterAction();
}

// afterAction: what to do once a pause or resume has answered (the refresh).
export function initPipeline({ afterAction }) {
  $('pause').addEventListener('click', () => {
    if (!window.confirm('Pause delivery on every instance?\n\nNew orders are still registered, but nothing is sent to '
        + 'Telegram until someone resumes. The pause is audited under your name.')) return;
    setPaused(true, afterAction);
  });
  $('resume').addEventListener('click', () => setPaused(false, afterAction));
}
