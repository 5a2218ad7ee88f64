import {api, listOf, openApi} from '../api.js';
import {h, message, table, when} from '../dom.js';
import {resolve, schemaForm} from '../schema-form.js';
import {productPicker} from './products.js';

/** What an operator can do to a task in each status (the server still decides: a refusal is shown). */
export const ACTIONS = {
  CREATED: ['start', 'stop'],
  RUNNING: ['pause', 'advance', 'stop'],
  PAUSED: ['resume', 'advance', 'stop'],
  STOPPED: [],
};

/** Buttons that steer a task; done(task) runs with the task as the server answered. */
export function actionButtons(t, done, fail) {
  return h('span', {class: 'actions'}, (ACTIONS[t.status] || []).map(action => h('button', {
    type: 'button', class: `action-${action}`, 'data-action': action, text: action,
    onclick: async () => {
      try {
        done(await api('POST', `/tasks/${encodeURIComponent(t.id)}/${action}`));
      } catch (err) {
        fail(err);
      }
    },
  })));
}

export function render(view) {
  let product = '';
  const list = h('div', {id: 'task-list'});
  const status = h('div', {id: 'task-status-line'});
  const create = h('div', {id: 'task-create-box'});

  async function load() {
    try {
      const rows = listOf(await api('GET', `/products/${encodeURIComponent(product)}/tasks`), 'tasks');
      list.replaceChildren(rows.length === 0 ? h('p', {text: 'No tasks yet.'}) : table('tasks', [
        {label: 'Task', cell: t => h('a', {href: `#/tasks/${encodeURIComponent(t.id)}`, text: t.id})},
        {label: 'Target', cell: t => (t.firmware ? t.firmware.version : t.firmwareId)},
        {label: 'Status', cell: t => h('span', {class: `status status-${t.status}`, text: t.status})},
        {label: 'Stage', cell: t => (t.stages && t.stages.length ? `${t.stage + 1} of ${t.stages.length}` : '')},
        {label: 'Created', cell: t => when(t.createdAt)},
        {label: '', cell: t => actionButtons(t, done => {
          status.replaceChildren(message(`Task ${done.id} is ${done.status}.`, 'ok'));
          load();
        }, err => status.replaceChildren(message(err.message)))},
      ], rows, t => ({'data-task': t.id, 'data-status': t.status})));
    } catch (err) {
      list.replaceChildren(message(err.message));
    }
  }

  async function buildForm() {
    try {
      const [spec, firmwares] = await Promise.all([openApi(),
        api('GET', `/products/${encodeURIComponent(product)}/firmwares`)]);
      const schema = resolve(spec, spec.components.schemas.TaskRequest);
      const packages = listOf(firmwares, 'firmwares');
      const packagePicker = none => id => {
        const select = h('select', {id}, none ? h('option', {value: '', text: '(none)'}) : null,
          packages.map(f => h('option', {value: f.id, text: `${f.version} · ${f.module} · ${f.status} · ${f.fileName}`})));
        return {element: select, read: () => select.value || undefined};
      };
      const fields = schemaForm(spec, schema, 'task', {firmwareId: packagePicker(false),
        'autoRollback.firmwareId': packagePicker(true)});
      const note = h('div');
      const form = h('form', {id: 'task-create', onsubmit: async e => {
        e.preventDefault();
        fields.clearErrors();
        let body;
        try {
          body = fields.value();
        } catch (err) {
          fields.showError(err.message);
          note.replaceChildren(message(err.message));
          return;
        }
        try {
          const t = await api('POST', `/products/${encodeURIComponent(product)}/tasks`, body);
          note.replaceChildren(message(`Task ${t.id} created (${t.status}).`, 'ok'));
          await load();
        } catch (err) {
          // The API's message names the field (e.g. maintenanceWindows[0].zone): shown next to it too.
          fields.showError(err.message);
          note.replaceChildren(message(err.message));
        }
      }}, fields.element, h('button', {type: 'submit', id: 'task-create-submit', text: 'Create task'}), note);
      create.replaceChildren(packages.length === 0 ? message('Upload a package first.', 'ok') : form);
    } catch (err) {
      create.replaceChildren(message(err.message));
    }
  }

  view.append(h('h2', {text: 'Tasks'}), productPicker(p => { product = p; load(); buildForm(); }), list, status,
    h('h3', {text: 'New task'}), create);
}
