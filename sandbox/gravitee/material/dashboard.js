// Dashboard (screen G1) as the Angular console renders it: an "Overview" page whose
// Gateways mat-card holds a flex mat-table; a row is clicked, its name is no link.
import { api, button, card, el, inert, progressBar, snackBar, statusChip, table } from './mat.js';

const host = document.querySelector('app-dashboard');
const gateways = table([
  { key: 'name', header: 'Name', cell: (g) => el('span', { class: 'gateway-name' }, g.name) },
  { key: 'status', header: 'Status', cell: (g) => statusChip(g.status) },
  { key: 'environment', header: 'Environment', cell: (g) => g.environment },
  { key: 'configuration', header: 'Configuration', cell: (g) => g.configuration },
  { key: 'provider', header: 'Provider', cell: (g) => g.provider },
  { key: 'region', header: 'Region', cell: (g) => g.region },
  { key: 'version', header: 'Version', cell: (g) => g.version },
], {
  noData: 'You have no Gateways deployed yet.',
  onRowClick: (g) => window.location.assign(`/gateways/${encodeURIComponent(g.id)}`),
});
const loading = progressBar();
const deploy = inert(button('Deploy Gateway', { leading: 'add' }), 'Deploying a Gateway is not available in the sandbox.');

host.append(
  el('div', { class: 'page-header' }, el('h1', { class: 'mat-headline-5' }, 'Overview')),
  card({ title: 'Gateways', subtitle: 'Gateways deployed for your account', headerActions: [deploy], content: [loading, gateways.host] }),
);

async function load() {
  try {
    gateways.render(await api('GET', '/management/v2/gateways'));
  } catch (err) {
    snackBar(`Could not load the Gateways (${err.message}).`);
  } finally {
    loading.remove();
  }
}

load();
