// Settings > Account Tokens (C1) with the name dialog (C2), the shown-once "Generate Token"
// dialog (C3) and the revoke dialog (C4), as the Angular console renders them.
import {
  api, button, card, datePipe, dialogActions, dialogContent, dialogTitle, el, formField, icon,
  iconButton, openDialog, progressBar, setDisabled, snackBar, table,
} from './mat.js';

const API = '/management/v2/account/tokens';
const host = document.querySelector('app-account-tokens');
const accountUrl = host.dataset.accountUrl;
const panel = host.querySelector('.settings-panel');

const tokens = table([
  { key: 'name', header: 'Name', cell: (t) => el('strong', {}, t.name) },
  { key: 'createdBy', header: 'Created by', cell: (t) => t.createdBy },
  { key: 'createdAt', header: 'Creation date', cell: (t) => datePipe(t.createdAt) },
  { key: 'actions', header: '', cell: (t) => iconButton('delete', 'Revoke', () => openRevoke(t)) },
], { noData: 'No account token yet.' });

let loading = progressBar();
const generate = button('Generate token', { leading: 'add', onClick: openGenerate });
panel.append(card({
  title: 'Account Tokens',
  subtitle: 'A total of 10 Account Tokens can be active simultaneously.',
  headerActions: [generate],
  content: [loading, tokens.host],
}));

let tokensRequest = 0;

async function loadTokens() {
  const request = ++tokensRequest;
  if (!loading.isConnected) {
    loading = progressBar();
    tokens.host.before(loading);
  }
  try {
    const list = await api('GET', API);
    if (request === tokensRequest) tokens.render(list);
  } catch (err) {
    if (request === tokensRequest) snackBar(`Could not load the account tokens (${err.message}).`);
  } finally {
    if (request === tokensRequest) loading.remove();
  }
}

function openGenerate() {
  const field = formField('Token name', { name: 'name' });
  const submit = button('Generate', { type: 'submit', disabled: true });
  const cancel = button('Cancel', { kind: 'basic' });
  let ref;
  const form = el('form', { novalidate: true, class: 'dialog-form' },
    dialogTitle('New account token'),
    dialogContent(el('p', {}, 'Give your Account Token a meaningful name, so that you know later what uses it.'), field.host),
    dialogActions(cancel, submit));
  field.input.addEventListener('input', () => setDisabled(submit, field.input.value.trim() === ''));
  cancel.addEventListener('click', () => ref.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = field.input.value.trim();
    if (!name) return;
    setDisabled(submit, true);
    field.setError('');
    let created;
    try {
      created = await api('POST', API, { name });
    } catch (err) {
      field.setError(err.message);
      setDisabled(submit, field.input.value.trim() === '');
      return;
    }
    ref.close();
    showToken(created.token);
    loadTokens();
  });
  ref = openDialog(() => [form]);
}

function showToken(value) {
  const code = el('code', { class: 'token-value' }, value);
  const example = el('code', {}, `curl -H "Authorization: Bearer ${value}" \\\n  ${accountUrl}`);
  let ref;
  const copy = iconButton('content_copy', 'Copy to clipboard', async () => {
    try {
      await navigator.clipboard.writeText(value);
      snackBar('Account Token copied to the clipboard.');
    } catch {
      snackBar('Could not copy the token to the clipboard.');
    }
  });
  const close = button('Close', { kind: 'basic' });
  close.addEventListener('click', () => ref.close());
  ref = openDialog(() => [
    dialogTitle('Generate Token'),
    dialogContent(
      el('div', { class: 'warning' }, icon('warning'), el('span', {}, 'Make sure to copy your Account Token now. You will not be able to see it again once you close this dialog.')),
      el('div', { class: 'token-line' }, el('pre', {}, code), copy),
      el('div', { class: 'example' }, el('div', { class: 'mat-subtitle-2' }, 'Example'), el('pre', {}, example))),
    dialogActions(close),
  ], {
    panelClass: 'dialog-wide',
    onClosed: () => { code.textContent = ''; example.textContent = ''; value = ''; },
  });
}

function openRevoke(token) {
  const field = formField('Confirm', { name: 'confirm' });
  const revoke = button('I understand the consequences, revoke this token', { color: 'warn', type: 'submit', disabled: true });
  const cancel = button('Cancel', { kind: 'basic' });
  let ref;
  const form = el('form', { novalidate: true, class: 'dialog-form' },
    dialogTitle('Revoke token'),
    dialogContent(
      el('p', {}, 'Tools and scripts that use ', el('strong', {}, token.name), ' lose access to the API at once. Check that nothing depends on it, then enter its name to confirm.'),
      field.host),
    dialogActions(cancel, revoke));
  field.input.addEventListener('input', () => setDisabled(revoke, field.input.value !== token.name));
  cancel.addEventListener('click', () => ref.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (field.input.value !== token.name) return;
    setDisabled(revoke, true);
    try {
      await api('DELETE', `${API}/${encodeURIComponent(token.id)}`);
    } catch (err) {
      field.setError(`Could not revoke the account token (${err.message}).`);
      setDisabled(revoke, false);
      return;
    }
    ref.close();
    snackBar('Account Token revoked.');
    loadTokens();
  });
  ref = openDialog(() => [form]);
}

loadTokens();
