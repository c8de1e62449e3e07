// The refresh loop: every 2 s one set of requests, never two at a time; each panel is drawn as its answer
// arrives, and the header's pill says whether all of them came.
import { api } from './api.js';
import { setText, $ } from './dom.js';
import { hhmmss } from './format.js';
import { renderPipeline } from './pipeline.js';
import { renderDeadLetters } from './dead-letters.js';
import { renderAudit } from './audit.js';
import { renderConsumers, renderInstances, setConsumers, setInstances } from './cluster.js';
import { renderPoison } from './poison.js';
import { renderAcknowledgements } from './acknowledgements.js';
import { setTimeline, timelineDue, timelineSoon } from './chart.js';
import { notificationPath, openEventId, renderDrawer } from './drawer.js';
import { currentSearch, renderSearch, searchPath } from './search.js';

const REFRESH_MS = 2000;

let lastGood = null, timer = null, inFlight = false, again = false;

function renderRefreshState(errors) {
  const pill = $('refresh-status');
  if (errors.length) {
    pill.className = 'pill fail';
    pill.setAttribute('data-state', 'failed');
    const status = /HTTP (\d+)/.exec(errors[0]);
    setText('refresh-text', `Refresh failed${status ? ` (HTTP ${status[1]})` : ''}`);
    pill.title = errors.join('\n');
    document.body.classList.add('stale');
  } else {
    pill.className = 'pill ok';
    pill.setAttribute('data-state', 'ok');
    setText('refresh-text', 'Live');
    pill.title = `refreshing every ${REFRESH_MS / 1000} s`;
    document.body.classList.remove('stale');
    lastGood = new Date();
  }
  setText('last-refresh', lastGood ? `${errors.length ? 'Last good refresh ' : 'Updated '}${hhmmss(lastGood)}` : 'Not refreshed yet');
}

export function refresh() {
  if (inFlight) { again = true; return; }
  clearTimeout(timer);
  inFlight = true;
  again = false;
  const errors = [];
  const part = (path, render) => api('GET', path).then(render, (e) => { errors.push(e && e.message ? e.message : String(e)); });
  const parts = [
    part('/api/ops/pipeline', renderPipeline),
    part('/api/ops/notifications?status=DEAD&limit=50', renderDeadLetters),
    part('/api/ops/audit?limit=10', renderAudit),
    part('/api/ops/instances', setInstances),
    part('/api/ops/consumers', setConsumers),
    part('/api/ops/poison?limit=50', renderPoison),
    part('/api/ops/acknowledgements?limit=50', renderAcknowledgements),
  ];
  if (timelineDue()) parts.push(part('/api/ops/delivery/timeline?minutes=60', setTimeline));
  const eventId = openEventId();
  if (eventId) parts.push(part(notificationPath(eventId), renderDrawer));
  const searched = currentSearch();
  if (searched) parts.push(part(searchPath(searched), (list) => renderSearch(searched, list)));
  Promise.all(parts).then(() => {
    renderInstances();
    renderConsumers();
    renderRefreshState(errors);
  }, (e) => {
    renderRefreshState([String(e)]);
  }).then(() => {
    inFlight = false;
    if (again) refresh();
    else timer = setTimeout(refresh, REFRESH_MS);
  });
}

// After an action: refresh now, the chart included.
export function soon() {
  timelineSoon();
  refresh();
}
