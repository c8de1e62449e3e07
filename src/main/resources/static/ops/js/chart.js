// Deliveries per minute (bars) and delay p50 / p99 (lines) over the last hour, as inline SVG.
import { $, setText } from './dom.js';
import { fmtDelay, fmtInt, hhmm, isNum, parseTime } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const TIMELINE_MS = 10000; // the chart is read every 10 s, not at every refresh

let timeline = null, timelineAt = 0;

export const timelineDue = () => Date.now() - timelineAt >= TIMELINE_MS;
// After an action the chart is read again at the next refresh, not at its next 10 s turn.
export const timelineSoon = () => { timelineAt = 0; };

export function setTimeline(list) {
  timelineAt = Date.now();
  timeline = list;
  renderTimeline();
}

function svg(tag, attrs, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

// 1, 2, 2.5, 5 × 10^n at or above v.
function niceCeil(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * p >= v - 1e-12) return step * p;
  return 10 * p;
}

export function renderTimeline() {
  const list = Array.isArray(timeline) ? timeline : [];
  const box = $('chart');
  const W = Math.max(320, box.clientWidth || 900), H = 230;
  const m = { l: 40, r: 58, t: 12, b: 26 };
  const pw = W - m.l - m.r, ph = H - m.t - m.b;
  let total = 0, peak = 0, maxDelay = 0;
  for (const d of list) {
    total += d.delivered || 0;
    peak = Math.max(peak, d.delivered || 0);
    if (isNum(d.delayP99Seconds)) maxDelay = Math.max(maxDelay, d.delayP99Seconds);
    if (isNum(d.delayP50Seconds)) maxDelay = Math.max(maxDelay, d.delayP50Seconds);
  }
  const yMax = niceCeil(Math.max(peak, 4)), dMax = niceCeil(Math.max(maxDelay, 0.1));
  const n = Math.max(list.length, 1), slot = pw / n;
  const x = (i) => m.l + slot * i;
  const yd = (v) => m.t + ph - (Math.min(v, dMax) / dMax) * ph;

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, 'data-total': total, 'data-minutes': list.length });
  const grid = svg('g', { class: 'grid' }, root), axis = svg('g', { class: 'axis' }, root);
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const y = m.t + ph - f * ph;
    svg('line', { x1: m.l, x2: m.l + pw, y1: y, y2: y }, grid);
    svg('text', { x: m.l - 8, y: y + 4, 'text-anchor': 'end' }, axis).textContent = fmtInt(f * yMax);
    svg('text', { x: m.l + pw + 8, y: y + 4, 'text-anchor': 'start' }, axis).textContent = f === 0 ? '0' : fmtDelay(f * dMax);
  }
  list.forEach((d, i) => {
    const t = parseTime(d.minute);
    if (t && t.getMinutes() % 10 === 0) {
      svg('text', { x: x(i) + slot / 2, y: H - 6, 'text-anchor': 'middle' }, axis).textContent = hhmm(t);
    }
  });
  const bars = svg('g', null, root);
  list.forEach((d, i) => {
    const t = parseTime(d.minute);
    const label = `${t ? hhmm(t) : '?'} — ${fmtInt(d.delivered)} delivered`
        + (d.delivered ? ` · delay p50 ${fmtDelay(d.delayP50Seconds)} · p99 ${fmtDelay(d.delayP99Seconds)}` : '');
    const hit = svg('rect', { class: 'hit', x: x(i), y: m.t, width: slot, height: ph }, bars);
    svg('title', null, hit).textContent = label;
    const h = (d.delivered || 0) / yMax * ph;
    const bar = svg('rect', { class: 'bar', x: x(i) + slot * 0.15, y: m.t + ph - h, width: Math.max(1, slot * 0.7), height: h,
      rx: Math.min(2, slot * 0.2), 'data-minute': d.minute, 'data-count': d.delivered || 0 }, bars);
    svg('title', null, bar).textContent = label;
  });
  for (const key of ['delayP99Seconds', 'delayP50Seconds']) {
    const cls = key === 'delayP50Seconds' ? 'p50' : 'p99';
    let path = '', pen = false;
    const dots = svg('g', null, root);
    list.forEach((d, i) => {
      const v = d[key];
      if (!isNum(v)) { pen = false; return; }
      const px = (x(i) + slot / 2).toFixed(1), py = yd(v).toFixed(1);
      path += `${pen ? 'L' : 'M'}${px} ${py}`;
      // a minute with deliveries between two without makes no line: a dot shows it
      const alone = !pen && !(list[i + 1] && isNum(list[i + 1][key]));
      pen = true;
      if (alone) svg('circle', { class: `pt${cls.slice(1)}`, cx: px, cy: py, r: 2.5 }, dots);
    });
    if (path) svg('path', { class: cls, d: path }, root);
  }
  if (!total) {
    svg('text', { class: 'none', x: m.l + pw / 2, y: m.t + ph / 2, 'text-anchor': 'middle' }, root).textContent =
        timeline ? 'No deliveries in the last hour' : 'Loading…';
  }
  box.textContent = '';
  box.appendChild(root);

  // The stats: the last minute with deliveries, of the last two.
  let last = null;
  for (let i = list.length - 1; i >= 0 && i >= list.length - 2; i--) if (list[i].delivered) { last = list[i]; break; }
  setText('stat-hour', timeline ? fmtInt(total) : '—');
  setText('stat-peak', timeline ? fmtInt(peak) : '—');
  setText('stat-p50', last ? fmtDelay(last.delayP50Seconds) : '—');
  setText('stat-p99', last ? fmtDelay(last.delayP99Seconds) : '—');
}

export function initChart() {
  let resizeTimer = null;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(renderTimeline, 150); });
  renderTimeline();
}
