import {api, listOf, upload} from '../api.js';
import {bytes, h, message, table, when} from '../dom.js';
import {productPicker} from './products.js';

export function render(view) {
  let product = '';
  const list = h('div', {id: 'firmware-list'});
  const status = h('div', {id: 'fw-status'});
  const result = h('div', {id: 'fw-result'});
  const file = h('input', {id: 'fw-file', type: 'file', required: true});
  const version = h('input', {id: 'fw-version', required: true, maxlength: 20, placeholder: '1.2.0'});
  const module = h('input', {id: 'fw-module', placeholder: 'default'});
  const source = h('input', {id: 'fw-source-version', placeholder: 'full package'});
  const release = h('select', {id: 'fw-status'}, h('option', {value: '', text: '(server default)'}),
    ['TEST', 'ONLINE', 'INVALID'].map(s => h('option', {value: s, text: s})));
  const progress = h('progress', {id: 'fw-progress', max: 1, value: 0, hidden: true});
  const percent = h('span', {id: 'fw-percent'});
  const submit = h('button', {type: 'submit', text: 'Upload'});

  const form = h('form', {id: 'firmware-upload', class: 'grid', onsubmit: async e => {
    e.preventDefault();
    const chosen = file.files[0];
    const query = new URLSearchParams({version: version.value, fileName: chosen.name});
    if (module.value) query.set('module', module.value);
    if (source.value) query.set('sourceVersion', source.value);
    if (release.value) query.set('status', release.value);
    submit.disabled = true;
    progress.hidden = false;
    status.replaceChildren();
    result.replaceChildren();
    try {
      const fw = await upload(`/products/${encodeURIComponent(product)}/firmwares?${query}`, chosen, (sent, total) => {
        progress.value = sent / total;
        percent.textContent = `${Math.floor(100 * sent / total)} %`;
      });
      progress.value = 1;
      percent.textContent = '100 %';
      status.replaceChildren(message(`Uploaded ${fw.fileName} as ${fw.version} (${fw.id}).`, 'ok'));
      result.replaceChildren(digests(fw));
      form.reset();
      await load();
    } catch (err) {
      status.replaceChildren(message(err.message));
    } finally {
      submit.disabled = false;
    }
  }},
  h('label', {for: 'fw-file', text: 'Package file'}), file,
  h('label', {for: 'fw-version', text: 'Version'}), version,
  h('label', {for: 'fw-module', text: 'Module'}), module,
  h('label', {for: 'fw-source-version', text: 'Differential from version'}), source,
  h('label', {for: 'fw-status', text: 'Release status'}), release,
  h('span'), h('div', {}, submit, ' ', progress, ' ', percent));

  async function load() {
    try {
      const rows = listOf(await api('GET', `/products/${encodeURIComponent(product)}/firmwares`), 'firmwares');
      list.replaceChildren(rows.length === 0 ? h('p', {text: 'No packages yet.'}) : table('firmwares', [
        {label: 'Version', cell: f => f.version},
        {label: 'Module', cell: f => f.module},
        {label: 'File', cell: f => f.fileName},
        {label: 'Size', cell: f => bytes(f.size)},
        {label: 'Type', cell: f => f.packageType + (f.sourceVersion ? ` from ${f.sourceVersion}` : '')},
        {label: 'Status', cell: f => f.status},
        {label: 'MD5', cell: f => h('code', {text: f.md5})},
        {label: 'SHA-256', cell: f => h('code', {class: 'digest', text: f.sha256})},
        {label: 'Uploaded', cell: f => when(f.createdAt)},
        {label: 'Id', cell: f => h('code', {text: f.id})},
      ], rows, f => ({'data-firmware': f.id, 'data-version': f.version})));
    } catch (err) {
      list.replaceChildren(message(err.message));
    }
  }

  view.append(h('h2', {text: 'Firmware'}), productPicker(p => { product = p; load(); }), list,
    h('h3', {text: 'Upload a package'}), form, status, result);
}

function digests(fw) {
  return h('dl', {class: 'digests'},
    h('dt', {text: 'Size'}), h('dd', {id: 'fw-size', text: `${fw.size} bytes`}),
    h('dt', {text: 'MD5'}), h('dd', {id: 'fw-md5', text: fw.md5}),
    h('dt', {text: 'SHA-256'}), h('dd', {id: 'fw-sha256', text: fw.sha256}),
    fw.sha1 ? [h('dt', {text: 'SHA-1'}), h('dd', {id: 'fw-sha1', text: fw.sha1})] : null);
}
