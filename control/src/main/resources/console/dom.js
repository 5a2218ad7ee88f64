// A tiny element builder: the console writes DOM nodes, never HTML strings, so API data can't inject markup.

/** h('tag', {id, class, text, onclick, ...attributes}, ...children): children may be nodes, strings, arrays or null. */
export function h(tag, attrs = {}, ...children) {
  const svg = ['svg', 'rect', 'text', 'g', 'line', 'title'].includes(tag);
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') el.textContent = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'value' && !svg) el.value = value;
    else if (name === 'checked' || name === 'selected') el[name] = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** A table from rows: columns are [{label, cell(row) → node|string}]. */
export function table(id, columns, rows, rowAttrs = () => ({})) {
  return h('table', {id},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {text: c.label})))),
    h('tbody', {}, rows.map(r => h('tr', rowAttrs(r), columns.map(c => h('td', {}, c.cell(r)))))));
}

/** A message line: kind is 'error' or 'ok'. */
export function message(text, kind = 'error', id = undefined) {
  return h('p', {class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status', id, text});
}

export function bytes(n) {
  if (n === undefined || n === null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  let v = Number(n);
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
