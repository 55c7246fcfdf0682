// Every signed-in page of the Vuetify skin: v-app-bar with the profile v-menu, the
// navigation drawer, and the view: the Dashboard or API Overview (K2-K6: v-tabs, a
// v-data-table, v-dialogs and a v-snackbar).
import {
  C, api, computed, formatDateTime, formatDay, h, mount, reactive, tomorrow,
} from './kit.js';

const root = document.getElementById('app');
const userName = root.dataset.userName;
const view = (root.querySelector('[data-view]') || {}).dataset?.view || 'home';

const CREATED = 'Token has been successfully created';

mount({
  setup() {
    const s = reactive({
      snack: false, snackText: '',
      tab: 'overview',
      tokens: [], loading: false, listError: '',
      createOpen: false, name: '', expires: '', createError: '', creating: false,
      secretOpen: false, secret: '', copied: '', secretError: '',
      deleteOpen: false, deleteTarget: null, deleteError: '',
    });
    let listRequest = 0;

    function notify(text) {
      s.snackText = text;
      s.snack = false;
      s.snack = true;
    }

    async function loadTokens() {
      const request = ++listRequest;
      s.loading = true;
      try {
        const tokens = await api('GET', '/api/tokens');
        if (request !== listRequest) return;
        s.listError = '';
        s.tokens = tokens;
      } catch (err) {
        if (request === listRequest) s.listError = `Could not load the tokens (${err.message}).`;
      } finally {
        if (request === listRequest) s.loading = false;
      }
    }

    async function create() {
      const name = s.name.trim();
      const expiredAt = s.expires || null;
      if (!name) { s.createError = 'Token Name is required.'; return; }
      if (expiredAt && expiredAt < tomorrow()) { s.createError = 'Expired Date must be a future date.'; return; }
      s.createError = '';
      s.creating = true;
      let token;
      try {
        token = await api('POST', '/api/tokens', { name, expiredAt });
      } catch (err) {
        s.createError = err.message;
        return;
      } finally {
        s.creating = false;
      }
      s.createOpen = false;
      s.secret = token.secret;
      s.copied = '';
      s.secretError = '';
      s.secretOpen = true;
      notify(CREATED);
    }

    function closeSecret() {
      // However the dialog closes, the key is gone for good.
      s.secretOpen = false;
      s.secret = '';
      loadTokens();
    }

    async function copySecret() {
      try {
        await navigator.clipboard.writeText(s.secret);
        s.copied = 'Copied to clipboard';
      } catch {
        s.secretError = 'Could not copy the Secret API Key to the clipboard.';
      }
    }

    async function remove() {
      try {
        await api('DELETE', `/api/tokens/${encodeURIComponent(s.deleteTarget.id)}`);
      } catch (err) {
        s.deleteError = `Could not delete the token (${err.message}).`;
        return;
      }
      s.deleteOpen = false;
      notify('Token has been successfully deleted');
      loadTokens();
    }

    // --- the app bar and the profile menu ----------------------------------------------

    const profileMenu = () => h(C.VMenu, { location: 'bottom end' }, {
      activator: ({ props }) => h(C.VBtn, { ...props, variant: 'text', prependIcon: 'mdi-account-circle', appendIcon: 'mdi-chevron-down' }, () => userName),
      default: () => h(C.VList, { density: 'compact', minWidth: 200 }, () => [
        h(C.VListItem, { title: 'Profile', prependIcon: 'mdi-account', onClick: () => notify('The profile page is not part of the sandbox.') }),
        h(C.VListItem, { title: 'API', prependIcon: 'mdi-api', href: '/api-overview' }),
        h(C.VDivider),
        h(C.VListItem, { title: 'Sign Out', prependIcon: 'mdi-logout', href: '/logout' }),
      ]),
    });

    const appBar = () => h(C.VAppBar, { color: 'primary', flat: true }, () => [
      h(C.VAppBarTitle, null, () => 'Cloudeka Service Portal AI'),
      h(C.VSpacer),
      profileMenu(),
    ]);

    const drawer = () => h(C.VNavigationDrawer, { permanent: true }, () => h(C.VList, { nav: true, density: 'compact' }, () => [
      h(C.VListItem, { title: 'Dashboard', prependIcon: 'mdi-view-dashboard', href: '/', active: view === 'home' }),
      h(C.VListSubheader, null, () => 'Services'),
      ...['Deka LLM', 'Deka GPU', 'Deka Box'].map((title) => h(C.VListItem, { title, onClick: () => notify(`${title} is not part of the sandbox.`) })),
    ]));

    // --- the Dashboard --------------------------------------------------------------------

    const home = () => [
      h('div', { class: 'text-h5 mb-4' }, 'Dashboard'),
      h(C.VCard, { class: 'mb-4', title: `Welcome back, ${userName}`, text: 'Manage your AI services, usage and API access from one place.' }),
      h(C.VRow, null, () => [['Deka LLM', '3 models'], ['Deka GPU', '0 running'], ['Deka Box', '12.4 GB']].map(([title, figure]) =>
        h(C.VCol, { cols: 12, md: 4 }, () => h(C.VCard, { title, subtitle: figure })))),
    ];

    // --- API Overview ---------------------------------------------------------------------

    const headers = [
      { title: 'Name', key: 'name' },
      { title: 'Created At', key: 'createdAt' },
      { title: 'Expiration', key: 'expiredAt' },
      { title: 'Status', key: 'status' },
      { title: '', key: 'actions', sortable: false, align: 'end' },
    ];

    const table = () => h(C.VDataTable, {
      headers, items: s.tokens, loading: s.loading, itemsPerPage: -1, hideDefaultFooter: true, itemValue: 'id',
    }, {
      'item.createdAt': ({ item }) => formatDateTime(item.createdAt),
      'item.expiredAt': ({ item }) => (item.expiredAt ? formatDay(item.expiredAt) : 'Unlimited'),
      'item.status': ({ item }) => h(C.VChip, { size: 'small', color: item.status === 'Active' ? 'success' : 'grey' }, () => item.status),
      // An icon-only button, as Vuetify apps write it: no accessible name of its own.
      'item.actions': ({ item }) => h(C.VBtn, {
        icon: 'mdi-delete', variant: 'text', size: 'small',
        onClick: () => { s.deleteTarget = item; s.deleteError = ''; s.deleteOpen = true; },
      }),
    });

    const tokenWindow = () => h(C.VCard, { flat: true }, () => [
      h(C.VCardText, { class: 'd-flex align-center' }, () => [
        h('div', null, 'Tokens you have created. A Secret API Key is shown once, when its token is created.'),
        h(C.VSpacer),
        h(C.VBtn, { color: 'primary', prependIcon: 'mdi-plus', onClick: openCreate }, () => 'New Token'),
      ]),
      s.listError ? h(C.VAlert, { type: 'error', variant: 'tonal', class: 'mx-4', text: s.listError }) : null,
      table(),
    ]);

    function openCreate() {
      s.name = '';
      s.expires = '';
      s.createError = '';
      s.createOpen = true;
    }

    const createDialog = () => h(C.VDialog, {
      modelValue: s.createOpen, 'onUpdate:modelValue': (v) => { s.createOpen = v; }, maxWidth: 520,
    }, () => h(C.VCard, null, () => [
      h(C.VCardTitle, null, () => 'Create Token'),
      h(C.VCardText, null, () => h(C.VForm, { onSubmit: (e) => { e.preventDefault(); create(); } }, () => [
        h(C.VTextField, {
          label: 'Token Name', variant: 'outlined', maxlength: 50, autocomplete: 'off',
          hint: 'Used to provide a name or label for the created token.',
          modelValue: s.name, 'onUpdate:modelValue': (v) => { s.name = v; },
        }),
        h(C.VTextField, {
          label: 'Expired Date', type: 'date', variant: 'outlined', min: tomorrow(),
          hint: 'If the Expired Date field is left empty, the token will remain active indefinitely.',
          persistentHint: true,
          modelValue: s.expires, 'onUpdate:modelValue': (v) => { s.expires = v; },
        }),
        s.createError ? h(C.VAlert, { type: 'error', variant: 'tonal', density: 'compact', class: 'mt-2', text: s.createError }) : null,
      ])),
      h(C.VCardActions, null, () => [
        h(C.VSpacer),
        h(C.VBtn, { onClick: () => { s.createOpen = false; } }, () => 'Cancel'),
        h(C.VBtn, { color: 'primary', variant: 'flat', loading: s.creating, onClick: create }, () => 'Confirm'),
      ]),
    ]));

    const secretDialog = () => h(C.VDialog, {
      modelValue: s.secretOpen, 'onUpdate:modelValue': (v) => { if (!v) closeSecret(); }, maxWidth: 560,
    }, () => h(C.VCard, null, () => [
      h(C.VCardTitle, null, () => 'Token created'),
      h(C.VCardText, null, () => [
        h(C.VAlert, { type: 'warning', variant: 'tonal', density: 'compact', class: 'mb-4', text: 'Make sure to copy and store the Secret API Key securely, as it will not be displayed again.' }),
        h('div', { class: 'text-subtitle-2 mb-1' }, 'Secret API Key'),
        h('code', { class: 'secret-key' }, s.secret),
        s.copied ? h('div', { class: 'text-caption mt-1' }, s.copied) : null,
        s.secretError ? h(C.VAlert, { type: 'error', variant: 'tonal', density: 'compact', class: 'mt-2', text: s.secretError }) : null,
      ]),
      h(C.VCardActions, null, () => [
        h(C.VBtn, { prependIcon: 'mdi-content-copy', onClick: copySecret }, () => 'Copy'),
        h(C.VSpacer),
        h(C.VBtn, { color: 'primary', variant: 'flat', onClick: closeSecret }, () => 'Close'),
      ]),
    ]));

    const deleteDialog = () => h(C.VDialog, {
      modelValue: s.deleteOpen, 'onUpdate:modelValue': (v) => { s.deleteOpen = v; }, maxWidth: 420,
    }, () => h(C.VCard, null, () => [
      h(C.VCardTitle, null, () => 'Delete token?'),
      h(C.VCardText, null, () => [
        s.deleteTarget ? `Delete the token "${s.deleteTarget.name}"? Anything using its Secret API Key stops working.` : '',
        s.deleteError ? h(C.VAlert, { type: 'error', variant: 'tonal', density: 'compact', class: 'mt-2', text: s.deleteError }) : null,
      ]),
      h(C.VCardActions, null, () => [
        h(C.VSpacer),
        h(C.VBtn, { onClick: () => { s.deleteOpen = false; } }, () => 'Cancel'),
        h(C.VBtn, { color: 'error', variant: 'flat', onClick: remove }, () => 'Delete'),
      ]),
    ]));

    const apiOverview = () => [
      h('div', { class: 'text-overline' }, 'Account / API'),
      h('div', { class: 'text-h5 mb-4' }, 'API Overview'),
      h(C.VTabs, {
        modelValue: s.tab, color: 'primary',
        'onUpdate:modelValue': (v) => { s.tab = v; if (v === 'token') loadTokens(); },
      }, () => [h(C.VTab, { value: 'overview' }, () => 'Overview'), h(C.VTab, { value: 'token' }, () => 'Token')]),
      h(C.VTabsWindow, { modelValue: s.tab }, () => [
        h(C.VTabsWindowItem, { value: 'overview' }, () => h(C.VCard, { flat: true, title: 'Personal access tokens' }, () => h(C.VCardText, null, () => [
          h('p', null, 'Send the token\'s Secret API Key in the Authorization header of each request:'),
          h('pre', { class: 'mt-2' }, h('code', null, 'curl -H "Authorization: Bearer cldk_..." /api/v1/me')),
        ]))),
        h(C.VTabsWindowItem, { value: 'token' }, tokenWindow),
      ]),
      createDialog(), secretDialog(), deleteDialog(),
    ];

    const content = computed(() => (view === 'api-overview' ? apiOverview : home));

    return () => h(C.VApp, null, () => [
      appBar(),
      drawer(),
      h(C.VMain, null, () => h(C.VContainer, { fluid: true }, () => content.value())),
      h(C.VSnackbar, {
        modelValue: s.snack, 'onUpdate:modelValue': (v) => { s.snack = v; }, timeout: 10000, location: 'top',
      }, () => s.snackText),
    ]);
  },
});
