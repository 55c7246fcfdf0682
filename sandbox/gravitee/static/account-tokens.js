// Settings > Account tokens (screen C1) with the "Generate Account Token" (C2), "Generate Token"
// (C3) and "Revoke Account Token" (C4) dialogs.
import { api, el, formatDateTime, hideError, messageRow, showError, toast } from './console.js';

const API = '/management/v2/account/tokens';
const MAX_ACTIVE = 10;
const card = document.getElementById('account-tokens');
const accountUrl = card.dataset.accountUrl;

const table = document.getElementById('account-tokens-table');
const tableError = document.getElementById('account-tokens-error');
const count = document.getElementById('account-tokens-count');
const generateButton = document.getElementById('generate-account-token');

const generateDialog = document.getElementById('generate-dialog');
const generateForm = document.getElementById('generate-form');
const nameInput = document.getElementById('account-token-name');
const generateSubmit = document.getElementById('generate-submit');
const generateError = document.getElementById('generate-error');

const tokenDialog = document.getElementById('token-dialog');
const tokenField = document.getElementById('account-token-value');
const example = document.getElementById('account-token-example');
const tokenError = document.getElementById('token-error');

const revokeDialog = document.getElementById('revoke-dialog');
const revokeForm = document.getElementById('revoke-form');
const revokeName = document.getElementById('revoke-name');
const revokeInput = document.getElementById('revoke-confirm');
const revokeSubmit = document.getElementById('revoke-submit');
const revokeError = document.getElementById('revoke-error');

const TRASH_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 7h16M10 11v6M14 11v6' +
  'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" fill="none" stroke="currentColor" ' +
  'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>';

let revokeTarget = null;
let tokensRequest = 0;

// --- the table ------------------------------------------------------------------------

function tokenRow(token) {
  const trash = el('button', {
    type: 'button', class: 'icon-button', 'aria-label': 'Revoke account token',
    title: 'Revoke account token',
  });
  trash.innerHTML = TRASH_ICON; // a constant: no API data goes through innerHTML
  trash.addEventListener('click', () => openRevoke(token));
  const created = el('time', { datetime: token.createdAt }, formatDateTime(token.createdAt));
  return el('tr', { 'data-token-id': token.id },
    el('td', { class: 'cell-strong' }, token.name), el('td', {}, created),
    el('td', {}, token.createdBy), el('td', { class: 'col-actions' }, trash));
}

async function loadTokens() {
  // Reloads can overlap (revoke, then generate); only the latest answer is drawn.
  const request = ++tokensRequest;
  table.setAttribute('aria-busy', 'true');
  try {
    const tokens = await api('GET', API);
    if (request !== tokensRequest) return;
    hideError(tableError);
    count.textContent = `${tokens.length} of ${MAX_ACTIVE}`;
    table.tBodies[0].replaceChildren(
      ...(tokens.length ? tokens.map(tokenRow) : [messageRow('No account tokens', 4)]),
    );
  } catch (err) {
    if (request !== tokensRequest) return;
    showError(tableError, `Could not load the account tokens (${err.message}).`, loadTokens);
  } finally {
    if (request === tokensRequest) table.removeAttribute('aria-busy');
  }
}

// --- Generate Account Token: the name -------------------------------------------------

generateButton.addEventListener('click', () => {
  nameInput.value = '';
  generateSubmit.disabled = true;
  hideError(generateError);
  generateDialog.showModal();
  nameInput.focus();
});

nameInput.addEventListener('input', () => {
  generateSubmit.disabled = nameInput.value.trim() === '';
});

document.getElementById('generate-cancel').addEventListener('click', () => generateDialog.close());

generateForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = nameInput.value.trim();
  if (!name) return;
  generateSubmit.disabled = true;
  hideError(generateError);
  let created;
  try {
    created = await api('POST', API, { name });
  } catch (err) {
    // The limit of ten active tokens, among others, is refused here.
    showError(generateError, err.message);
    generateSubmit.disabled = nameInput.value.trim() === '';
    return;
  }
  generateDialog.close();
  showToken(created.token);
  loadTokens();
});

// --- Generate Token: the value, once --------------------------------------------------

function showToken(token) {
  // The read-only field and the example are the only places the value lives in the page.
  tokenField.value = token;
  example.textContent = `curl -H "Authorization: Bearer ${token}" \\\n  ${accountUrl}`;
  hideError(tokenError);
  tokenDialog.showModal();
  document.getElementById('token-close').focus();
}

document.getElementById('token-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(tokenField.value);
  } catch {
    showError(tokenError, 'Could not copy the token to the clipboard.');
    return;
  }
  toast('Account Token copied to the clipboard.');
});

document.getElementById('token-close').addEventListener('click', () => tokenDialog.close());

// However the dialog closes (Close, or Escape), the value is gone for good.
tokenDialog.addEventListener('close', () => {
  tokenField.value = '';
  example.textContent = '';
  hideError(tokenError);
});

// --- Revoke Account Token ------------------------------------------------------------

function openRevoke(token) {
  revokeTarget = token;
  revokeName.textContent = token.name;
  revokeInput.value = '';
  revokeSubmit.disabled = true;
  hideError(revokeError);
  revokeDialog.showModal();
  revokeInput.focus();
}

// Exact, case-sensitive match of the token's name, without trimming.
revokeInput.addEventListener('input', () => {
  revokeSubmit.disabled = revokeTarget === null || revokeInput.value !== revokeTarget.name;
});

document.getElementById('revoke-cancel').addEventListener('click', () => revokeDialog.close());

revokeDialog.addEventListener('close', () => {
  revokeTarget = null;
  revokeInput.value = '';
});

revokeForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (revokeTarget === null || revokeInput.value !== revokeTarget.name) return;
  revokeSubmit.disabled = true;
  hideError(revokeError);
  try {
    await api('DELETE', `${API}/${encodeURIComponent(revokeTarget.id)}`);
  } catch (err) {
    showError(revokeError, `Could not revoke the account token (${err.message}).`);
    revokeSubmit.disabled = false;
    return;
  }
  const name = revokeTarget.name;
  revokeDialog.close();
  toast(`Account token ${name} revoked.`);
  loadTokens();
});

loadTokens();
