// A form built from a JSON schema of the API description (TaskRequest): a field added to the API shows up here
// without a console change. Only fields the operator changed from their documented default are sent.
import {h} from './dom.js';

/** Resolves a local $ref ('#/components/schemas/X') against the whole description. */
export function resolve(spec, schema) {
  let s = schema;
  while (s && s.$ref) s = s.$ref.replace(/^#\//, '').split('/').reduce((node, part) => node[part], spec);
  return s;
}

/**
 * fields(spec, schema, prefix, special) → {element, value()}: value() gives the request body or throws an Error
 * naming the field. special[name](id) may supply a field's own control ({element, read()}).
 */
export function schemaForm(spec, schema, prefix, special = {}) {
  const required = new Set(schema.required || []);
  const fields = Object.entries(schema.properties || {}).map(([name, raw]) => {
    const prop = resolve(spec, raw);
    const id = `${prefix}-${name}`;
    const control = special[name] ? special[name](id) : controlFor(prop, id);
    const label = h('label', {for: id, title: prop.description || '', text: name + (required.has(name) ? ' *' : '')});
    const hint = prop.description ? h('small', {class: 'hint', text: prop.description}) : h('small');
    return {name, prop, control, required: required.has(name), nodes: [label, h('div', {}, control.element, hint)]};
  });
  return {
    element: h('div', {class: 'grid'}, fields.map(f => f.nodes)),
    value() {
      const body = {};
      for (const f of fields) {
        let v;
        try {
          v = f.control.read();
        } catch (e) {
          throw new Error(`${f.name}: ${e.message}`);
        }
        if (v === undefined) {
          if (f.required) throw new Error(`${f.name} is required`);
          continue;
        }
        if (f.prop.default !== undefined && JSON.stringify(v) === JSON.stringify(f.prop.default)) continue;
        body[f.name] = v;
      }
      return body;
    },
  };
}

function typeOf(prop) {
  return Array.isArray(prop.type) ? prop.type.find(t => t !== 'null') : prop.type;
}

function controlFor(prop, id) {
  const type = typeOf(prop);
  if (prop.enum) {
    const select = h('select', {id}, prop.default === undefined ? h('option', {value: '', text: '(none)'}) : null,
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
  if (type === 'string') {
    const input = h('input', {id, maxlength: prop.maxLength});
    return {element: input, read: () => (input.value === '' ? undefined : input.value)};
  }
  // Objects, arrays of objects, anything else: JSON as the API takes it.
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
