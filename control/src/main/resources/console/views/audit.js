import {api, listOf} from '../api.js';
import {h, message, table, when} from '../dom.js';

/** The audit trail, newest first, a page at a time; a server without the route says so instead of failing. */
export function render(view) {
  const pages = h('div', {id: 'audit-pages'});
  const more = h('button', {type: 'button', id: 'audit-more', text: 'Older entries', hidden: true});
  let cursor = null;

  async function load() {
    try {
      const query = new URLSearchParams({limit: '50'});
      if (cursor) query.set('cursor', cursor);
      const body = await api('GET', `/audit?${query}`);
      const rows = listOf(body, 'audit');
      cursor = body && body.nextCursor ? body.nextCursor : null;
      more.hidden = !cursor;
      if (rows.length === 0 && pages.childElementCount === 0) {
        pages.append(h('p', {id: 'audit-empty', text: 'Nothing recorded yet.'}));
        return;
      }
      // Columns: every field the entries carry, so a new field shows without a console change.
      const names = [...new Set(rows.flatMap(r => Object.keys(r)))];
      pages.append(table(pages.childElementCount === 0 ? 'audit' : undefined, names.map(n => ({label: n,
        cell: r => (r[n] === undefined || r[n] === null ? '' : n.endsWith('At') ? when(r[n])
          : typeof r[n] === 'object' ? JSON.stringify(r[n]) : String(r[n]))})), rows));
    } catch (err) {
      more.hidden = true;
      pages.append(err.status === 404
        ? message('The audit trail is not available on this server.', 'ok', 'audit-unavailable')
        : message(err.message));
    }
  }

  more.addEventListener('click', load);
  view.append(h('h2', {text: 'Audit trail'}), pages, more);
  load();
}
