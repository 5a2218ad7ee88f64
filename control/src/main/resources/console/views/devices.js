import {api} from '../api.js';
import {h, message, table, when} from '../dom.js';
import {productPicker} from './products.js';

/** Device lookup: what a device last reported and every task it was offered. */
export function render(view) {
  let product = '';
  const result = h('div', {id: 'device-result'});
  const id = h('input', {id: 'device-id', required: true});
  const form = h('form', {id: 'device-lookup', class: 'inline', onsubmit: async e => {
    e.preventDefault();
    try {
      const d = await api('GET', `/products/${encodeURIComponent(product)}/devices/${encodeURIComponent(id.value)}`);
      const known = ['productId', 'deviceId', 'tasks'];
      result.replaceChildren(h('h3', {}, 'Device ', h('code', {text: d.deviceId})),
        h('dl', {class: 'facts', id: 'device-facts'}, Object.entries(d).filter(([k]) => !known.includes(k)).map(([k, v]) => [
          h('dt', {text: k}), h('dd', {'data-field': k, text: k.endsWith('At') ? when(v) : typeof v === 'object' ? JSON.stringify(v) : v})])),
        d.tasks.length === 0 ? h('p', {text: 'Never offered a task.'}) : table('device-tasks', [
          {label: 'Task', cell: t => h('a', {href: `#/tasks/${encodeURIComponent(t.taskId)}`, text: t.taskId})},
          {label: 'State', cell: t => t.state},
          {label: 'Target', cell: t => t.targetVersion},
          {label: 'Details', cell: t => Object.entries(t).filter(([k]) => !['taskId', 'state', 'targetVersion'].includes(k))
            .map(([k, v]) => `${k}: ${k.endsWith('At') ? when(v) : v}`).join(', ')},
        ], d.tasks, t => ({'data-task': t.taskId, 'data-state': t.state})));
    } catch (err) {
      result.replaceChildren(message(err.status === 404 ? `No device '${id.value}' in ${product}.` : err.message));
    }
  }},
  h('label', {for: 'device-id', text: 'Device id'}), id, h('button', {type: 'submit', text: 'Look up'}));
  view.append(h('h2', {text: 'Devices'}), productPicker(p => { product = p; result.replaceChildren(); }), form, result);
}
