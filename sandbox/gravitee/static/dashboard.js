// Dashboard (screen G1): the Gateways table, loaded from the API.
import { api, el, hideError, messageRow, showError, statusBadge } from './console.js';

const table = document.getElementById('gateways-table');
const error = document.getElementById('gateways-error');
const COLUMNS = ['configuration', 'provider', 'region', 'version', 'environment'];

function gatewayRow(gateway) {
  const link = el('a', { href: `/gateways/${encodeURIComponent(gateway.id)}` }, gateway.name);
  return el(
    'tr',
    {},
    el('td', { class: 'cell-name' }, link),
    ...COLUMNS.map((key) => el('td', {}, gateway[key])),
    el('td', {}, statusBadge(gateway.status)),
  );
}

async function load() {
  table.setAttribute('aria-busy', 'true');
  try {
    const gateways = await api('GET', '/management/v2/gateways');
    hideError(error);
    table.tBodies[0].replaceChildren(
      ...(gateways.length ? gateways.map(gatewayRow) : [messageRow('No Gateways deployed', 7)]),
    );
  } catch (err) {
    showError(error, `Could not load the Gateways (${err.message}).`, load);
  } finally {
    table.removeAttribute('aria-busy');
  }
}

load();
