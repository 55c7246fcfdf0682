// Shared helpers of the console pages: JSON calls with the loading state, toasts, dates and
// safe DOM building (text only: nothing from the API is ever parsed as HTML).

const loading = document.getElementById('loading');
let pending = 0;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function settle() {
  pending -= 1;
  if (pending === 0 && loading) loading.hidden = true;
}

/**
 * Calls the JSON API with an optional JSON body; resolves to the decoded reply (null for 204),
 * rejects with ApiError.
 */
export async function api(method, path, body) {
  pending += 1;
  if (loading) loading.hidden = false;
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    settle();
    throw new ApiError(0, 'The network request failed.');
  }
  if (response.status === 401) {
    // The session is gone. Loading this page again goes through sign-in and comes back
    // here; the loading state stays on and the promise never settles until then.
    window.location.assign(window.location.href);
    return new Promise(() => {});
  }
  try {
    const reply = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, (reply && reply.message) || response.statusText);
    }
    return reply;
  } finally {
    settle();
  }
}

/** Creates an element with attributes and text/element children. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A table row with one cell spanning the table: the empty state. */
export function messageRow(text, columns) {
  return el('tr', { class: 'empty-row' }, el('td', { colspan: String(columns) }, text));
}

/** Status badge, e.g. "Connected" in green. */
export function statusBadge(status) {
  const tone = status === 'Connected' ? 'ok' : status.startsWith('Never') ? 'idle' : 'warn';
  return el('span', { class: `badge badge-${tone}` }, status);
}

/** Date and time in the reader's time zone, e.g. "Nov 23, 2026, 2:33:07 PM". */
export function formatDateTime(iso) {
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Shows an error in an alert element, with an optional Retry button. */
export function showError(alert, message, retry) {
  alert.replaceChildren(el('span', {}, message));
  if (retry) {
    const button = el('button', { type: 'button', class: 'btn btn-link' }, 'Retry');
    button.addEventListener('click', () => {
      hideError(alert);
      retry();
    });
    alert.append(' ', button);
  }
  alert.hidden = false;
}

export function hideError(alert) {
  alert.hidden = true;
  alert.replaceChildren();
}

let toastTimer = 0;

/** A short confirmation in the status region (role="status"). */
export function toast(message) {
  const region = document.getElementById('toast');
  region.textContent = message;
  region.classList.add('visible');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    region.classList.remove('visible');
    region.textContent = '';
  }, 8000);
}

// Documented controls whose flows the sandbox does not implement explain that when used.
for (const button of document.querySelectorAll('button[data-inert]')) {
  button.addEventListener('click', () => toast(button.dataset.inert));
}
