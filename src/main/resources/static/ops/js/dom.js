// DOM helpers. API strings only ever go through textContent / setAttribute, never innerHTML.

export const $ = (id) => document.getElementById(id);

export function el(tag, props, children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v == null ? '' : String(v);
    else if (v != null) node.setAttribute(k, String(v));
  }
  for (const c of children || []) if (c) node.appendChild(c);
  return node;
}

export const text = (value) => document.createTextNode(value);

export function setText(id, value, cls) {
  const node = $(id);
  node.textContent = value == null ? '' : String(value);
  if (cls !== undefined) node.className = cls;
}

export function fillTable(bodyId, rows) {
  const body = $(bodyId);
  body.textContent = '';
  for (const tr of rows) body.appendChild(tr);
}

export const emptyRow = (columns, message) =>
  el('tr', { class: 'none' }, [el('td', { colspan: columns, class: 'c-muted', text: message })]);

// "12+" for a list cut at the API's limit of 50.
export const countText = (list) => String(list.length) + (list.length >= 50 ? '+' : '');

// The banner for a failed action (replay, pause, resume).
export function showActionError(message) {
  $('action-error-text').textContent = message;
  $('action-error').classList.add('show');
}

export function initActionError() {
  $('action-error-close').addEventListener('click', () => $('action-error').classList.remove('show'));
}
