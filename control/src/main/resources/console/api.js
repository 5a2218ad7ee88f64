// The admin API as the signed-in operator: every call carries the key kept in sessionStorage (gone when the tab is).
const KEY = 'otaedge.key';
const PRODUCT = 'otaedge.product';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: key => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.clear(),
  product: () => sessionStorage.getItem(PRODUCT) || '',
  setProduct: id => sessionStorage.setItem(PRODUCT, id),
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function failure(status, text) {
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON: a proxy's page */ }
  const code = body && body.error ? body.error : `http_${status}`;
  const msg = body && body.message ? body.message : `the server answered ${status}`;
  if (status === 401) window.dispatchEvent(new CustomEvent('ota-unauthorized'));
  return new ApiError(status, code, msg);
}

/** Calls the admin API; resolves to the parsed JSON (null for an empty answer), rejects with ApiError. */
export async function api(method, path, body, key = session.key()) {
  const headers = {Authorization: `Bearer ${key}`};
  const init = {method, headers};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`/admin/v1${path}`, init);
  } catch (e) {
    throw new ApiError(0, 'network', 'the server cannot be reached');
  }
  const text = await response.text();
  if (!response.ok) throw await failure(response.status, text);
  return text ? JSON.parse(text) : null;
}

/** Uploads raw bytes with XHR, the one browser API that reports upload progress: onProgress(sent, total). */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/admin/v1${path}`);
    xhr.setRequestHeader('Authorization', `Bearer ${session.key()}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = e => { if (e.lengthComputable) onProgress(e.loaded, e.total); };
    xhr.onload = async () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
      else reject(await failure(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload was cut off'));
    xhr.send(file);
  });
}

/** A list answer's rows, whether paginated ({items, nextCursor}) or the older named array ({products: [...]}). */
export function listOf(body, name) {
  if (!body) return [];
  if (Array.isArray(body.items)) return body.items;
  if (Array.isArray(body[name])) return body[name];
  return Array.isArray(body) ? body : [];
}

/** The API description served beside the console (docs/openapi.yaml as JSON), fetched once. */
let spec;
export function openApi() {
  if (!spec) {
    spec = fetch('openapi.json').then(r => {
      if (!r.ok) throw new ApiError(r.status, 'no_spec', 'the API description could not be loaded');
      return r.json();
    });
  }
  return spec;
}
