// A form built from a JSON schema of the API description (TaskRequest): a field added to the API shows up here
// without a console change. Only fields the operator changed from their documented default are sent. Objects are
// nested field groups and lists of objects are rows (add, remove), both built from their schemas the same way.
import {h} from './dom.js';

/** Resolves a local $ref ('#/components/schemas/X') against the whole description. */
export function resolve(spec, schema) {
  let s = schema;
  while (s && s.$ref) s = s.$ref.replace(/^#\//, '').split('/').reduce((node, part) => node[part], spec);
  return s;
}

/**
 * schemaForm(spec, schema, prefix, special) → {element, value(), showError(message), clearErrors()}: value() gives
 * the request body or throws an Error whose message starts with the field's path (as the API's own messages do,
 * e.g. 'maintenanceWindows[0].zone …'); showError(message) puts such a message next to the field it names.
 * special[path](id) may supply a field's own control ({element, read()}); path is the name, or 'parent.name' inside
 * an object.
 */
export function schemaForm(spec, schema, prefix, special = {}) {
  const fields = fieldsOf(spec, schema, prefix, special, '', true);
  const element = h('div', {class: 'grid'}, fields.map(f => f.nodes));
  return {
    element,
    value: () => readFields(fields, '', false),
    clearErrors() {
      element.querySelectorAll('.field-error').forEach(e => { e.textContent = ''; e.hidden = true; });
      element.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
    },
    /** Shows the message next to the deepest field its leading path names; false when it names none. */
    showError(message) {
      const m = /^([A-Za-z_]\w*)((?:\[\d+\]|\.[A-Za-z_]\w*)*)/.exec(message || '');
      let at = m && fields.find(f => f.name === m[1]);
      if (!at) return false;
      for (const token of m[2].match(/\[\d+\]|\.[A-Za-z_]\w*/g) || []) {
        const next = at.control.child && at.control.child(token);
        if (!next) break;
        at = next;
      }
      at.show(message);
      return true;
    },
  };
}

/** An error thrown by a control: path names the field, for showError. */
function fieldError(path, message) {
  const e = new Error(message);
  e.path = path;
  return e;
}

function errorSlot(id) {
  return h('small', {class: 'field-error message error', id: `${id}-error`, role: 'alert', hidden: true});
}

function showIn(slot, target, message) {
  slot.textContent = message;
  slot.hidden = false;
  target.setAttribute('aria-invalid', 'true');
}

/** The fields of an object schema: [{name, prop, control, required, nodes, show(message)}]. */
function fieldsOf(spec, schema, idPrefix, special, keyPrefix, hints) {
  const required = new Set(schema.required || []);
  return Object.entries(schema.properties || {}).map(([name, raw]) => {
    const prop = resolve(spec, raw);
    const id = `${idPrefix}-${name}`;
    const key = keyPrefix + name;
    const control = special[key] ? special[key](id) : controlFor(spec, prop, id, required.has(name), special, key);
    const label = h('label', {for: id, title: prop.description || '', text: name + (required.has(name) ? ' *' : '')});
    const hint = hints && prop.description ? h('small', {class: 'hint', text: prop.description}) : null;
    const error = errorSlot(id);
    return {name, prop, control, required: required.has(name), nodes: [label, h('div', {}, control.element, error, hint)],
      show: message => showIn(error, control.element, message)};
  });
}

/**
 * The object the fields hold. Optional (a nested object): undefined when nothing in it was filled in. A field's
 * error names its path (prefix + name).
 */
function readFields(fields, prefix, optional) {
  const out = {};
  let missing = null;
  for (const f of fields) {
    const path = prefix + f.name;
    let v;
    try {
      v = f.control.read(path);
    } catch (e) {
      throw e.path ? e : fieldError(path, `${path}: ${e.message}`);
    }
    if (v === undefined) {
      if (f.required && missing === null) missing = path;
      continue;
    }
    if (f.prop.default !== undefined && JSON.stringify(v) === JSON.stringify(f.prop.default)) continue;
    out[f.name] = v;
  }
  if (optional && Object.keys(out).length === 0) return undefined;
  if (missing !== null) throw fieldError(missing, `${missing} is required`);
  return out;
}

function typeOf(prop) {
  return Array.isArray(prop.type) ? prop.type.find(t => t !== 'null') : prop.type;
}

/** A nested object: its fields in a group, read as one value (undefined when left empty). */
function objectControl(spec, prop, id, special, key) {
  const fields = fieldsOf(spec, prop, id, special, key + '.', false);
  return {
    element: h('fieldset', {id, class: 'object grid'}, fields.map(f => f.nodes)),
    read: path => readFields(fields, path + '.', true),
    child: token => fields.find(f => `.${f.name}` === token) || null,
  };
}

/** A list of objects: one row per item, each built from the item schema, with add and remove buttons. */
function rowsControl(spec, prop, id, special, key) {
  const item = resolve(spec, prop.items);
  const rows = [];
  const list = h('div', {class: 'rows', id: `${id}-rows`});
  let made = 0;
  const add = h('button', {type: 'button', class: 'add', id: `${id}-add`, text: '+ add', onclick: () => addRow()});
  function update() {
    add.disabled = prop.maxItems !== undefined && rows.length >= prop.maxItems;
  }
  function addRow() {
    const rowId = `${id}-${made++}`;
    const control = objectControl(spec, item, rowId, special, key);
    const error = errorSlot(rowId);
    const row = {control, show: message => showIn(error, control.element, message)};
    const remove = h('button', {type: 'button', class: 'remove', id: `${rowId}-remove`, text: 'remove', onclick: () => {
      rows.splice(rows.indexOf(row), 1);
      row.element.remove();
      update();
    }});
    row.element = h('div', {class: 'row'}, control.element, remove, error);
    rows.push(row);
    list.append(row.element);
    update();
  }
  return {
    element: h('div', {id, class: 'rows-control'}, list, add),
    read(path) {
      if (rows.length === 0) return undefined;
      return rows.map((r, i) => {
        const v = r.control.read(`${path}[${i}]`);
        if (v === undefined) throw fieldError(`${path}[${i}]`, `${path}[${i}] is empty: fill it in or remove it`);
        return v;
      });
    },
    child(token) {
      const m = /^\[(\d+)\]$/.exec(token);
      return (m && rows[Number(m[1])]) || null;
    },
  };
}

function controlFor(spec, prop, id, required, special, key) {
  const type = typeOf(prop);
  if (prop.enum) {
    // A required choice of one (an abort criterion's action CANCEL) is made already.
    const fixed = required && prop.enum.length === 1;
    const select = h('select', {id}, prop.default === undefined && !fixed ? h('option', {value: '', text: '(none)'}) : null,
      prop.enum.map(v => h('option', {value: JSON.stringify(v), text: String(v), selected: v === prop.default})));
    return {element: select, read: () => (select.value === '' ? undefined : JSON.parse(select.value))};
  }
  if (type === 'boolean') {
    const box = h('input', {id, type: 'checkbox', checked: prop.default === true});
    return {element: box, read: () => box.checked};
  }
  if (type === 'integer' || type === 'number') {
    const input = h('input', {id, type: 'number', step: type === 'integer' ? 1 : 'any', min: prop.minimum,
      max: prop.maximum, placeholder: prop.default === undefined ? '' : `default ${prop.default}`});
    return {element: input, read: () => (input.value === '' ? undefined : Number(input.value))};
  }
  if (type === 'string' && prop.format === 'date-time') {
    const input = h('input', {id, type: 'datetime-local'});
    return {element: input, read: () => (input.value === '' ? undefined : new Date(input.value).toISOString())};
  }
  if (type === 'array' && ['string', 'number', 'integer'].includes(typeOf(prop.items || {}))) {
    const numeric = typeOf(prop.items) !== 'string';
    const input = h('input', {id, placeholder: numeric ? 'comma-separated numbers' : 'comma-separated'});
    return {element: input, read: () => {
      if (input.value.trim() === '') return undefined;
      const parts = input.value.split(',').map(s => s.trim()).filter(s => s !== '');
      if (!numeric) return parts;
      return parts.map(s => {
        const n = Number(s);
        if (Number.isNaN(n)) throw new Error(`'${s}' is not a number`);
        return n;
      });
    }};
  }
  if (type === 'array' && resolve(spec, prop.items || {}).properties) {
    return rowsControl(spec, prop, id, special, key);
  }
  if (type === 'object' && prop.properties) {
    return objectControl(spec, prop, id, special, key);
  }
  if (type === 'string') {
    const input = h('input', {id, maxlength: prop.maxLength, placeholder: prop.example === undefined ? '' : `e.g. ${prop.example}`});
    return {element: input, read: () => (input.value === '' ? undefined : input.value)};
  }
  // Anything else: JSON as the API takes it.
  const area = h('textarea', {id, rows: 2, placeholder: 'JSON'});
  return {element: area, read: () => {
    if (area.value.trim() === '') return undefined;
    try {
      return JSON.parse(area.value);
    } catch {
      throw new Error('is not valid JSON');
    }
  }};
}
