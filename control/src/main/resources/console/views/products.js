import {api, listOf, session} from '../api.js';
import {h, message, table, when} from '../dom.js';

export function render(view) {
  const list = h('div', {id: 'product-list'});
  const status = h('div');
  const id = h('input', {id: 'product-id', required: true, pattern: '[A-Za-z0-9_.\\-]{1,64}'});
  const name = h('input', {id: 'product-name', required: true, maxlength: 256});
  const form = h('form', {id: 'product-create', class: 'inline', onsubmit: async e => {
    e.preventDefault();
    try {
      const p = await api('POST', '/products', {productId: id.value, name: name.value});
      session.setProduct(p.productId);
      status.replaceChildren(message(`Product ${p.productId} created.`, 'ok'));
      form.reset();
      await load();
    } catch (err) {
      status.replaceChildren(message(err.message));
    }
  }},
  h('label', {for: 'product-id', text: 'Product id'}), id,
  h('label', {for: 'product-name', text: 'Name'}), name,
  h('button', {type: 'submit', text: 'Create product'}));

  // Archive and delete ask first, in the page (a confirmation strip under the list), then call the API.
  const confirmBox = h('div', {id: 'product-confirm'});
  function ask(question, label, act) {
    confirmBox.replaceChildren(h('p', {class: 'message ok', role: 'status', text: question}),
      h('button', {type: 'button', id: 'product-confirm-yes', text: label, onclick: async () => {
        confirmBox.replaceChildren();
        try {
          status.replaceChildren(message(await act(), 'ok', 'product-action'));
        } catch (err) {
          status.replaceChildren(message(err.message, 'error', 'product-action'));
        }
        await load();
      }}),
      h('button', {type: 'button', id: 'product-confirm-no', text: 'Cancel', onclick: () => confirmBox.replaceChildren()}));
  }
  const setStatus = (p, to) => ask(to === 'archived'
    ? `Archive ${p.productId}? Its tasks are stopped, its devices get no upgrade, its data is kept.`
    : `Make ${p.productId} active again? Its stopped tasks stay stopped.`, to === 'archived' ? 'Archive' : 'Unarchive',
    async () => { await api('PATCH', `/products/${encodeURIComponent(p.productId)}`, {status: to}); return `Product ${p.productId} is ${to}.`; });
  const remove = p => ask(`Delete ${p.productId}? Only a product with no firmware, task or device can be deleted.`, 'Delete',
    async () => { await api('DELETE', `/products/${encodeURIComponent(p.productId)}`); return `Product ${p.productId} deleted.`; });

  async function load() {
    try {
      const rows = listOf(await api('GET', '/products?status=all&limit=1000'), 'products');
      list.replaceChildren(rows.length === 0 ? h('p', {text: 'No products yet.'}) : table('products', [
        {label: 'Product', cell: p => p.productId},
        {label: 'Name', cell: p => p.name},
        {label: 'Created', cell: p => when(p.createdAt)},
        {label: 'Status', cell: p => p.status},
        {label: '', cell: p => [h('button', {type: 'button', text: 'Use', onclick: () => {
          session.setProduct(p.productId);
          location.hash = '#/firmware';
        }}), ' ', h('button', {type: 'button', class: 'product-archive', text: p.status === 'archived' ? 'Unarchive' : 'Archive',
          onclick: () => setStatus(p, p.status === 'archived' ? 'active' : 'archived')}), ' ',
        h('button', {type: 'button', class: 'product-delete', text: 'Delete', onclick: () => remove(p)})]},
      ], rows, p => ({'data-product': p.productId, 'data-status': p.status})), confirmBox);
    } catch (err) {
      list.replaceChildren(message(err.message));
    }
  }

  view.append(h('h2', {text: 'Products'}), list, h('h3', {text: 'New product'}), form, status);
  load();
}

/**
 * The product the firmware, task and device screens work on: a select over every product, remembered for the
 * session. onChange(productId) runs now (when there is one) and on every change.
 */
export function productPicker(onChange) {
  const select = h('select', {id: 'product'});
  const box = h('div', {class: 'picker'}, h('label', {for: 'product', text: 'Product'}), select);
  select.addEventListener('change', () => { session.setProduct(select.value); onChange(select.value); });
  api('GET', '/products').then(body => {
    const rows = listOf(body, 'products');
    if (rows.length === 0) {
      box.replaceChildren(message('Create a product first.', 'ok'));
      return;
    }
    const current = rows.some(p => p.productId === session.product()) ? session.product() : rows[0].productId;
    select.replaceChildren(...rows.map(p => h('option', {value: p.productId, text: `${p.productId} (${p.name})`,
      selected: p.productId === current})));
    session.setProduct(current);
    onChange(current);
  }).catch(err => box.append(message(err.message)));
  return box;
}
