// Hybrid Gateway Details (screen G2) with the "Revoke Cloud Token" (G3) and
// "Copy your Cloud Token" (G4) dialogs.
import {
  api, el, formatDateTime, hideError, messageRow, showError, statusBadge, toast,
} from './console.js';

const gatewayId = document.getElementById('gateway-page').dataset.gatewayId;
const base = `/management/v2/gateways/${encodeURIComponent(gatewayId)}`;

const tokensTable = document.getElementById('tokens-table');
const tokensError = document.getElementById('tokens-error');
const generateButton = document.getElementById('generate-token');

const revokeDialog = document.getElementById('revoke-dialog');
const revokeForm = document.getElementById('revoke-form');
const revokeInput = document.getElementById('revoke-confirm');
const revokeSubmit = document.getElementById('revoke-submit');
const revokeError = document.getElementById('revoke-error');

const copyDialog = document.getElementById('copy-dialog');
const tokenField = document.getElementById('cloud-token');
const copyButton = document.getElementById('copy-close');
const copyError = document.getElementById('copy-error');

const CONFIRM_WORD = 'revoke';
const BIN_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 7h16M10 11v6M14 11v6' +
  'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" fill="none" stroke="currentColor" ' +
  'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/></svg>';

let revokeTarget = null;
let tokensRequest = 0;

// --- General Details ------------------------------------------------------------------

function showNotFound() {
  document.querySelector('#gateway-page h1').textContent = 'Gateway not found';
  document.getElementById('gateway-content').replaceChildren(
    el('section', { class: 'card card-message' },
      el('p', {}, 'The Gateway you are looking for does not exist or has been deleted.'),
      el('p', {}, el('a', { class: 'btn btn-secondary', href: '/' }, 'Back to Dashboard'))),
  );
}

async function loadGateway() {
  const error = document.getElementById('gateway-error');
  try {
    const gateway = await api('GET', base);
    hideError(error);
    for (const field of document.querySelectorAll('[data-field]')) {
      const value = gateway[field.dataset.field];
      field.replaceChildren(field.dataset.field === 'status' ? statusBadge(value) : value);
    }
  } catch (err) {
    if (err.status === 404) showNotFound();
    else showError(error, `Could not load the Gateway (${err.message}).`, loadGateway);
  }
}

// --- Cloud Tokens table ---------------------------------------------------------------

function tokenRow(token) {
  const bin = el('button', {
    type: 'button', class: 'icon-button', 'aria-label': 'Revoke token', title: 'Revoke token',
  });
  bin.innerHTML = BIN_ICON; // a constant: no API data goes through innerHTML
  bin.addEventListener('click', () => openRevoke(token.id));
  const created = el('time', { datetime: token.createdAt }, formatDateTime(token.createdAt));
  return el('tr', { 'data-token-id': token.id },
    el('td', {}, created), el('td', {}, token.createdBy), el('td', { class: 'col-actions' }, bin));
}

async function loadTokens() {
  // Reloads can overlap (revoke, then generate); only the latest answer is drawn.
  const request = ++tokensRequest;
  tokensTable.setAttribute('aria-busy', 'true');
  try {
    const tokens = await api('GET', `${base}/cloud-tokens`);
    if (request !== tokensRequest) return;
    hideError(tokensError);
    tokensTable.tBodies[0].replaceChildren(
      ...(tokens.length ? tokens.map(tokenRow) : [messageRow('No Cloud tokens', 3)]),
    );
  } catch (err) {
    if (request !== tokensRequest) return;
    if (err.status === 404) showNotFound();
    else showError(tokensError, `Could not load the Cloud tokens (${err.message}).`, loadTokens);
  } finally {
    if (request === tokensRequest) tokensTable.removeAttribute('aria-busy');
  }
}

// --- Revoke Cloud Token dialog --------------------------------------------------------

function openRevoke(tokenId) {
  revokeTarget = tokenId;
  revokeInput.value = '';
  revokeSubmit.disabled = true;
  hideError(revokeError);
  revokeDialog.showModal();
  revokeInput.focus();
}

// Exact, case-sensitive match without trimming: "Revoke" or "revoke " do not confirm.
revokeInput.addEventListener('input', () => {
  revokeSubmit.disabled = revokeInput.value !== CONFIRM_WORD;
});

document.getElementById('revoke-cancel').addEventListener('click', () => revokeDialog.close());

revokeDialog.addEventListener('close', () => {
  revokeTarget = null;
  revokeInput.value = '';
});

revokeForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (revokeInput.value !== CONFIRM_WORD || revokeTarget === null) return;
  revokeSubmit.disabled = true;
  hideError(revokeError);
  try {
    await api('DELETE', `${base}/cloud-tokens/${encodeURIComponent(revokeTarget)}`);
  } catch (err) {
    showError(revokeError, `Could not revoke the Cloud token (${err.message}).`);
    revokeSubmit.disabled = revokeInput.value !== CONFIRM_WORD;
    return;
  }
  revokeDialog.close();
  toast('Your Cloud token is deleted.');
  loadTokens();
});

// --- Generate Cloud Token and the Copy your Cloud Token dialog ------------------------

generateButton.addEventListener('click', async () => {
  generateButton.disabled = true;
  hideError(tokensError);
  try {
    // The read-only field is the only place the value lives in the page.
    tokenField.value = (await api('POST', `${base}/cloud-tokens`)).token;
  } catch (err) {
    showError(tokensError, `Could not generate a Cloud token (${err.message}).`);
    return;
  } finally {
    generateButton.disabled = false;
  }
  hideError(copyError);
  copyDialog.showModal();
  tokenField.scrollTop = 0;
  copyButton.focus();
});

copyButton.addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText(tokenField.value);
  } catch {
    showError(copyError, 'Could not copy the token to the clipboard.');
    return;
  }
  copyDialog.close();
});

// However the dialog closes (Copy and Close, or Escape), the value is gone for good.
copyDialog.addEventListener('close', () => {
  tokenField.value = '';
  hideError(copyError);
  loadTokens();
});

loadGateway();
loadTokens();
