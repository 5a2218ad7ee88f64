import {api, listOf} from '../api.js';
import {bytes, h, message, table, when} from '../dom.js';

const EVERY_MS = 3000;

/** The live edges and their load, as their heartbeats report it; refreshed while shown. */
export function render(view) {
  const list = h('div', {id: 'edge-list'});
  let timer = null;
  let stopped = false;

  async function load() {
    try {
      const rows = listOf(await api('GET', '/edges'), 'edges');
      if (stopped) return;
      list.replaceChildren(rows.length === 0 ? h('p', {id: 'edges-none', text: 'No edge is sending heartbeats: devices go to the configured address.'})
        : table('edges', [
          {label: 'Edge', cell: e => e.id},
          {label: 'Address', cell: e => e.address},
          {label: 'Connections', cell: e => `${e.connections} of ${e.maxConnections}`},
          {label: 'Load', cell: e => h('progress', {max: 1, value: Math.min(1, e.load)})},
          {label: 'Serving', cell: e => `${bytes(e.bytesPerSecond)}/s`},
          {label: 'Heartbeat', cell: e => when(e.heartbeatAt)},
        ], rows, e => ({'data-edge': e.id})));
      timer = setTimeout(load, EVERY_MS);
    } catch (err) {
      if (stopped) return;
      list.replaceChildren(err.status === 404 ? message('This server has no edge list (GET /admin/v1/edges).', 'ok', 'edges-unavailable')
        : message(err.message));
    }
  }

  view.append(h('h2', {text: 'Edges'}), list);
  load();
  return () => { stopped = true; clearTimeout(timer); };
}
