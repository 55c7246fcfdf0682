// Hybrid Gateway Details (G2) with the Revoke Cloud Token (G3) and Copy your Cloud Token
// (G4) dialogs, as mat-cards, a flex mat-table and MatDialog panes in the overlay container.
import {
  api, button, card, datePipe, dialogActions, dialogContent, dialogTitle, el, formField, icon,
  iconButton, inert, openDialog, progressBar, setDisabled, snackBar, statusChip, table,
} from './mat.js';

const host = document.querySelector('app-gateway-details');
const gatewayId = host.dataset.gatewayId;
const base = `/management/v2/gateways/${encodeURIComponent(gatewayId)}`;
const CONFIRM_WORD = 'revoke';

const details = el('mat-list', { role: 'list', class: 'mat-mdc-list mat-mdc-list-base mdc-list details-list' });
const detailItem = (label, value) => el('mat-list-item', { role: 'listitem', class: 'mat-mdc-list-item mdc-list-item mat-mdc-list-item-with-two-lines' },
  el('span', { class: 'mdc-list-item__content' },
    el('span', { matlistitemtitle: true, class: 'mat-mdc-list-item-title mdc-list-item__primary-text' }, label),
    el('span', { matlistitemline: true, class: 'mat-mdc-list-item-line mdc-list-item__secondary-text' }, value)));

const tokens = table([
  { key: 'createdBy', header: 'Created by', cell: (t) => t.createdBy },
  { key: 'createdAt', header: 'Creation date', cell: (t) => datePipe(t.createdAt) },
  { key: 'actions', header: '', cell: (t) => iconButton('delete', 'Revoke', () => openRevoke(t.id)) },
], { noData: 'No Cloud token for this Gateway.' });

const generate = button('Generate Cloud Token', { onClick: generateToken });
let loading = progressBar();
const tokensCard = card({
  title: 'Cloud Tokens',
  subtitle: 'The token links this hybrid Gateway to Gravitee Cloud.',
  content: [loading, tokens.host],
  actions: [generate],
});

host.append(
  el('div', { class: 'page-header' },
    el('a', { 'mat-button': true, href: '/', class: 'mdc-button mat-mdc-button mat-mdc-button-base' }, icon('arrow_back'), el('span', { class: 'mdc-button__label' }, 'Gateways')),
    el('h2', { class: 'mat-headline-5 page-title' }, 'Hybrid Gateway Details')),
  el('div', { class: 'cards' },
    card({
      title: 'General Details',
      headerActions: [inert(button('Delete Hybrid Gateway', { kind: 'stroked', color: 'warn' }), 'Deleting a Gateway is not available in the sandbox.')],
      content: [details],
    }),
    tokensCard),
);

function showNotFound() {
  host.replaceChildren(card({ title: 'Gateway not found', content: [el('p', {}, 'The Gateway you are looking for does not exist or has been deleted.')] }));
}

async function loadGateway() {
  try {
    const gateway = await api('GET', base);
    details.replaceChildren(
      detailItem('Name', gateway.name), detailItem('Type', gateway.type),
      detailItem('Environment', gateway.environment), detailItem('Status', statusChip(gateway.status)));
  } catch (err) {
    if (err.status === 404) showNotFound();
    else snackBar(`Could not load the Gateway (${err.message}).`);
  }
}

let tokensRequest = 0;

async function loadTokens() {
  const request = ++tokensRequest;
  if (!loading.isConnected) {
    loading = progressBar();
    tokens.host.before(loading);
  }
  try {
    const list = await api('GET', `${base}/cloud-tokens`);
    if (request === tokensRequest) tokens.render(list);
  } catch (err) {
    if (request !== tokensRequest) return;
    if (err.status === 404) showNotFound();
    else snackBar(`Could not load the Cloud tokens (${err.message}).`);
  } finally {
    if (request === tokensRequest) loading.remove();
  }
}

function openRevoke(tokenId) {
  const field = formField('Confirmation', { name: 'confirmation' });
  const revoke = button('Revoke Token', { color: 'warn', type: 'submit', disabled: true });
  const cancel = button('Cancel', { kind: 'basic' });
  let ref;
  const form = el('form', { novalidate: true, class: 'dialog-form' },
    dialogTitle('Revoke Cloud Token'),
    dialogContent(
      el('p', {}, 'When you revoke a Cloud token, you terminate the link between the Cloud and your hybrid Gateway. Type ', el('strong', {}, CONFIRM_WORD), ' to confirm.'),
      field.host),
    dialogActions(cancel, revoke));
  // Exact, case-sensitive: "Revoke" or "revoke " do not confirm.
  field.input.addEventListener('input', () => setDisabled(revoke, field.input.value !== CONFIRM_WORD));
  cancel.addEventListener('click', () => ref.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (field.input.value !== CONFIRM_WORD) return;
    setDisabled(revoke, true);
    try {
      await api('DELETE', `${base}/cloud-tokens/${encodeURIComponent(tokenId)}`);
    } catch (err) {
      field.setError(`Could not revoke the Cloud token (${err.message}).`);
      setDisabled(revoke, false);
      return;
    }
    ref.close();
    snackBar('Your Cloud token is deleted.');
  });
  ref = openDialog(() => [form], { onClosed: loadTokens });
}

async function generateToken() {
  setDisabled(generate, true);
  let value;
  try {
    value = (await api('POST', `${base}/cloud-tokens`)).token;
  } catch (err) {
    snackBar(`Could not generate a Cloud token (${err.message}).`);
    return;
  } finally {
    setDisabled(generate, false);
  }
  const code = el('code', {}, value);
  const error = el('p', { class: 'dialog-error' });
  const copy = button('Copy and Close');
  let ref;
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      error.textContent = 'Could not copy the token to the clipboard.';
      return;
    }
    ref.close();
  });
  ref = openDialog(() => [
    dialogTitle('Copy your Cloud Token'),
    dialogContent(
      el('div', { class: 'warning' }, icon('warning'), el('span', {}, 'Store your Cloud token somewhere secure.')),
      el('pre', { class: 'token-value' }, code),
      error),
    dialogActions(copy),
  ], {
    // However the dialog closes, the value is gone for good.
    onClosed: () => { code.textContent = ''; value = ''; loadTokens(); },
  });
}

loadGateway();
loadTokens();
