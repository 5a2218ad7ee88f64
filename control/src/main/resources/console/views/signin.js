import {api, session} from '../api.js';
import {h, message} from '../dom.js';

/** The key is checked against the API before it is kept; a wrong one is said so and never stored. */
export function renderSignIn(view, note, signedIn) {
  const key = h('input', {id: 'key', type: 'password', autocomplete: 'off', required: true, size: 40});
  const status = h('div', {id: 'signin-status'}, note ? message(note, 'ok') : null);
  const form = h('form', {id: 'signin', onsubmit: async e => {
    e.preventDefault();
    status.replaceChildren(message('Checking…', 'ok'));
    try {
      await api('GET', '/products', undefined, key.value);
      session.signIn(key.value);
      signedIn();
    } catch (err) {
      const text = err.status === 401 ? 'That key was refused: check it and try again.'
        : err.status === 429 ? `Too many wrong keys from this address: ${err.message}.`
          : `Cannot sign in: ${err.message}.`;
      status.replaceChildren(message(text, 'error', 'signin-error'));
    }
  }},
  h('h2', {text: 'Sign in'}),
  h('label', {for: 'key', text: 'Admin API key'}), key,
  h('button', {type: 'submit', id: 'signin-submit', text: 'Sign in'}),
  status);
  view.append(form);
  key.focus();
}
