// The console's shell: sign-in gate, navigation by URL hash, one screen at a time.
import {session} from './api.js';
import {renderSignIn} from './views/signin.js';
import * as products from './views/products.js';
import * as firmware from './views/firmware.js';
import * as tasks from './views/tasks.js';
import * as task from './views/task.js';
import * as devices from './views/devices.js';
import * as edges from './views/edges.js';
import * as audit from './views/audit.js';

const screens = [
  [/^#\/products$/, products],
  [/^#\/firmware$/, firmware],
  [/^#\/tasks$/, tasks],
  [/^#\/tasks\/([^/]+)$/, task],
  [/^#\/devices$/, devices],
  [/^#\/edges$/, edges],
  [/^#\/audit$/, audit],
];

const view = document.getElementById('view');
const nav = document.getElementById('nav');
let leave = () => {};
let note = '';

function show() {
  leave();
  leave = () => {};
  view.replaceChildren();
  if (!session.key()) {
    nav.hidden = true;
    renderSignIn(view, note, () => { note = ''; location.hash = '#/products'; show(); });
    return;
  }
  nav.hidden = false;
  const hash = location.hash || '#/products';
  for (const a of nav.querySelectorAll('a')) a.classList.toggle('current', hash.startsWith(a.getAttribute('href')));
  for (const [pattern, screen] of screens) {
    const m = hash.match(pattern);
    if (m) {
      // A screen may return a function that stops what it started (polling).
      leave = screen.render(view, ...m.slice(1).map(decodeURIComponent)) || (() => {});
      return;
    }
  }
  location.hash = '#/products';
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  note = 'Signed out.';
  show();
});
// A key revoked (or mistyped in another tab) while signed in: back to the sign-in screen, saying why.
window.addEventListener('ota-unauthorized', () => {
  if (!session.key()) return;
  session.signOut();
  note = 'The server refused the key; sign in again.';
  show();
});
window.addEventListener('hashchange', show);
show();
