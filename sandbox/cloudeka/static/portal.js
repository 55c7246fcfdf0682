// Shared by every signed-in page: JSON calls with the loading state, the notification, safe
// DOM building (text only: nothing from the API is parsed as HTML) and the profile menu.

let pending = 0;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function loading(delta) {
  pending += delta;
  const bar = document.getElementById('loading');
  if (bar) bar.hidden = pending === 0;
}

/** Calls the JSON API; resolves to the decoded body (null for 204), rejects with ApiError. */
export async function api(method, path, body) {
  loading(1);
  let response;
  try {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    loading(-1);
    throw new ApiError(0, 'The network request failed.');
  }
  if (response.status === 401) {
    // The session is gone: back to "Sign In Now!", which returns here afterwards. The
    // promise never settles; the page is being left.
    const next = window.location.pathname + window.location.search;
    window.location.assign(`/sign-in?next=${encodeURIComponent(next)}`);
    return new Promise(() => {});
  }
  try {
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.message) || response.statusText);
    }
    return data;
  } finally {
    loading(-1);
  }
}

/** Creates an element with attributes and text/element children. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Shows a message in an alert element. */
export function showError(alert, message) {
  alert.textContent = message;
  alert.hidden = false;
}

export function hideError(alert) {
  alert.hidden = true;
  alert.textContent = '';
}

let toastTimer = 0;

/** The notification (role="status"), on top of everything, for a few seconds. */
export function notify(message) {
  const toast = document.getElementById('toast');
  toast.textContent = message;
  // Shown again each time: the newest top-layer element is drawn above an open dialog.
  if (toast.matches(':popover-open')) toast.hidePopover();
  toast.showPopover();
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toast.hidePopover(), 10000);
}

/** "30 Jun 2027" for a YYYY-MM-DD date (a calendar day: no time zone involved). */
export function formatDay(day) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date).toLocaleDateString('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric',
  });
}

/** "14 Mar 2025, 09:12" in the reader's time zone. */
export function formatDateTime(iso) {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Tomorrow as YYYY-MM-DD in local time: the first Expired date the portal accepts. */
export function tomorrow() {
  const day = new Date();
  day.setDate(day.getDate() + 1);
  const pad = (n) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

// --- the profile menu (top-right corner) -----------------------------------------------

const profileButton = document.getElementById('profile-button');
const profileMenu = document.getElementById('profile-menu');

function setMenu(open) {
  profileMenu.hidden = !open;
  profileButton.setAttribute('aria-expanded', String(open));
  if (open) profileMenu.querySelector('[role="menuitem"]').focus();
}

profileButton.addEventListener('click', () => setMenu(profileMenu.hidden));
document.addEventListener('click', (event) => {
  if (!profileMenu.hidden && !event.target.closest('.profile')) setMenu(false);
});
profileMenu.addEventListener('keydown', (event) => {
  const items = [...profileMenu.querySelectorAll('[role="menuitem"]')];
  const index = items.indexOf(document.activeElement);
  if (event.key === 'Escape') {
    setMenu(false);
    profileButton.focus();
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const step = event.key === 'ArrowDown' ? 1 : -1;
    items[(index + step + items.length) % items.length].focus();
  }
});

/** Enables the controls rendered disabled until their script has attached its handlers. */
export function ready(root = document) {
  for (const control of root.querySelectorAll('[data-needs-script]')) control.disabled = false;
}

ready(document.querySelector('.topbar'));

// Documented controls whose flows the sandbox does not implement say so when used.
for (const control of document.querySelectorAll('[data-inert]')) {
  control.addEventListener('click', (event) => {
    event.preventDefault();
    setMenu(false);
    notify(control.dataset.inert);
  });
}
