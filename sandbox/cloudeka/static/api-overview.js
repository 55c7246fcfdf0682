// API Overview (screen K2) with the Token tab (K3), the "Create Token" form (K4), the
// notification (K5), the Secret API Key dialog (K6) and deleting a token.
import {
  api, el, formatDateTime, formatDay, hideError, notify, ready, showError, tomorrow,
} from './portal.js';

const CREATED = 'Token has been successfully created';
const TRASH_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 7h16M10 11v6M14 11v6' +
  'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" fill="none" stroke="currentColor" ' +
  'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>';

const table = document.getElementById('token-table');
const tokensError = document.getElementById('tokens-error');

const createDialog = document.getElementById('create-dialog');
const createForm = document.getElementById('create-form');
const nameInput = document.getElementById('token-name');
const dateInput = document.getElementById('expired-date');
const createError = document.getElementById('create-error');
const confirmButton = document.getElementById('create-confirm');

const secretDialog = document.getElementById('secret-dialog');
const secretField = document.getElementById('secret-key');
const copied = document.getElementById('secret-copied');
const secretError = document.getElementById('secret-error');

const deleteDialog = document.getElementById('delete-dialog');
const deleteError = document.getElementById('delete-error');
let deleteTarget = null;
let listRequest = 0;

// --- tabs ------------------------------------------------------------------------------

const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(tab) {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
  }
  if (tab.id === 'tab-token') loadTokens();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const step = event.key === 'ArrowRight' ? 1 : -1;
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    next.focus();
    selectTab(next);
  });
}

// --- the token list table --------------------------------------------------------------

function tokenRow(token) {
  const remove = el('button', {
    type: 'button', class: 'icon-button', 'aria-label': `Delete token ${token.name}`,
    title: 'Delete token',
  });
  remove.innerHTML = TRASH_ICON; // a constant: no API data goes through innerHTML
  remove.addEventListener('click', () => openDelete(token));
  const expires = token.expiredAt
    ? el('time', { datetime: token.expiredAt }, formatDay(token.expiredAt))
    : el('span', { class: 'never' }, 'Never');
  const created = el('time', { datetime: token.createdAt }, formatDateTime(token.createdAt));
  const badge = el('span', { class: `badge badge-${token.status.toLowerCase()}` }, token.status);
  return el('tr', {},
    el('td', {}, token.name), el('td', {}, expires), el('td', {}, created), el('td', {}, badge),
    el('td', { class: 'col-actions' }, remove));
}

async function loadTokens() {
  // Reloads can overlap (tab switch, then a new token); only the latest answer is drawn.
  const request = ++listRequest;
  table.setAttribute('aria-busy', 'true');
  try {
    const tokens = await api('GET', '/api/tokens');
    if (request !== listRequest) return;
    hideError(tokensError);
    const empty = el('tr', { class: 'empty-row' }, el('td', { colspan: '5' }, 'No data available'));
    table.tBodies[0].replaceChildren(...(tokens.length ? tokens.map(tokenRow) : [empty]));
  } catch (err) {
    if (request === listRequest) showError(tokensError, `Could not load the tokens (${err.message}).`);
  } finally {
    if (request === listRequest) table.removeAttribute('aria-busy');
  }
}

// --- Create Token ----------------------------------------------------------------------

document.getElementById('new-token').addEventListener('click', () => {
  createForm.reset();
  dateInput.min = tomorrow(); // future dates only
  hideError(createError);
  confirmButton.disabled = false;
  createDialog.showModal();
  nameInput.focus();
});

document.getElementById('create-cancel').addEventListener('click', () => createDialog.close());

createForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  const expiredAt = dateInput.value || null;
  if (!name) {
    showError(createError, 'Token Name is required.');
    nameInput.focus();
    return;
  }
  if (dateInput.validity.badInput || (expiredAt && expiredAt < tomorrow())) {
    showError(createError, 'Expired date must be a future date.');
    dateInput.focus();
    return;
  }
  hideError(createError);
  confirmButton.disabled = true;
  let token;
  try {
    token = await api('POST', '/api/tokens', { name, expiredAt });
  } catch (err) {
    showError(createError, err.message);
    confirmButton.disabled = false;
    return;
  }
  createDialog.close();
  // The read-only field is the only place the key lives in the page.
  secretField.value = token.secret;
  copied.textContent = '';
  hideError(secretError);
  secretDialog.showModal();
  notify(CREATED);
  document.getElementById('secret-copy').focus();
});

// --- the Secret API Key dialog -----------------------------------------------------------

document.getElementById('secret-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(secretField.value);
  } catch {
    showError(secretError, 'Could not copy the Secret API Key to the clipboard.');
    return;
  }
  copied.textContent = 'Copied to clipboard';
});

document.getElementById('secret-close').addEventListener('click', () => secretDialog.close());

// However the dialog closes (Close, or Escape), the key is gone for good.
secretDialog.addEventListener('close', () => {
  secretField.value = '';
  copied.textContent = '';
  loadTokens();
});

// --- Delete Token ----------------------------------------------------------------------

function openDelete(token) {
  deleteTarget = token;
  document.getElementById('delete-text').textContent =
    `Delete the token "${token.name}"? Anything using its Secret API Key stops working.`;
  hideError(deleteError);
  deleteDialog.showModal();
}

document.getElementById('delete-cancel').addEventListener('click', () => deleteDialog.close());

document.getElementById('delete-confirm').addEventListener('click', async () => {
  if (deleteTarget === null) return;
  try {
    await api('DELETE', `/api/tokens/${encodeURIComponent(deleteTarget.id)}`);
  } catch (err) {
    showError(deleteError, `Could not delete the token (${err.message}).`);
    return;
  }
  deleteDialog.close();
  notify('Token has been successfully deleted');
  loadTokens();
});

deleteDialog.addEventListener('close', () => {
  deleteTarget = null;
});

ready(document.querySelector('.content'));
