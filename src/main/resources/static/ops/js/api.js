// The one way the page talks to the ops API (same origin; the browser sends the Basic credential).
// State-changing calls send JSON or no body, from this origin: what the ops API's cross-site guard lets through.

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    const raw = await res.text();
    let detail = '';
    try {
      const j = JSON.parse(raw);
      detail = j.detail || j.message || j.error || '';
    } catch { /* not JSON */ }
    throw new Error(`${method} ${path} → HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
  }
  return res.status === 204 ? null : res.json();
}
