// Number, duration, size and time formatting shared by every panel.

export const isNum = (v) => typeof v === 'number' && isFinite(v);

export const fmtInt = (v) => (isNum(v) ? Math.round(v).toLocaleString('en-US') : '—');

// Ages and lags: "0.12 s" below a second, "12 s", "3 min", "2 h", "3 d".
export function fmtDuration(s) {
  if (!isNum(s)) return '—';
  if (s < 0) s = 0;
  if (s < 1) return `${s === 0 ? '0' : s.toFixed(2)} s`;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    return `${h} h${m ? ` ${m} min` : ''}`;
  }
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

// Chart delays: milliseconds below a second.
export function fmtDelay(s) {
  if (!isNum(s)) return '—';
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  return fmtDuration(s);
}

export function fmtBytes(b) {
  if (!isNum(b)) return '—';
  if (b < 0) return 'no slot';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
  return `${i === 0 ? String(Math.round(b)) : b.toFixed(b < 10 ? 2 : 1)} ${units[i]}`;
}

export const pad = (n) => (n < 10 ? `0${n}` : String(n));

export function parseTime(iso) {
  if (!iso) return null;
  const d = new Date(iso);
  return isNaN(d.getTime()) ? null : d;
}

export const hhmm = (d) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
export const hhmmss = (d) => `${hhmm(d)}:${pad(d.getSeconds())}`;
export const ymd = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

// Local time; date only when not today.
export function fmtTime(iso) {
  const d = parseTime(iso);
  if (!d) return '—';
  const time = hhmmss(d);
  if (d.toDateString() === new Date().toDateString()) return time;
  return `${ymd(d)} ${time}`;
}

export function fmtAgo(iso) {
  const d = parseTime(iso);
  if (!d) return '';
  const s = (Date.now() - d.getTime()) / 1000;
  if (s < 5) return 'just now';
  if (s < 60) return `${Math.round(s)} s ago`;
  return `${fmtDuration(s).replace(/ \d+ (min|h)$/, '')} ago`;
}

export const shortId = (id) => (typeof id === 'string' ? id.slice(0, 8) : '—');

// Badge classes by the API's enum values.
export const RELAY_STATES = {
  RUNNING: 'b-ok', STARTING: 'b-warn', STANDBY: 'b-info', FAILED: 'b-bad', STOPPED: 'b-grey', DISABLED: 'b-grey',
};
export const STATUS = { PENDING: 'b-grey', RETRYING: 'b-warn', DELIVERED: 'b-ok', DEAD: 'b-bad' };
