// What every page of the Vuetify skin shares: the Vuetify instance, the JSON API and dates.
// The pages are Vue 3 render functions (h) over the real Vuetify 3 components, with no
// template compiler: what the browser gets is exactly the markup Vuetify renders.

export const { h, ref, reactive, computed, createApp, nextTick } = window.Vue;
export const C = window.Vuetify.components;

export function mount(component) {
  const vuetify = window.Vuetify.createVuetify({
    components: window.Vuetify.components,
    directives: window.Vuetify.directives,
    theme: { defaultTheme: 'light' },
  });
  createApp(component).use(vuetify).mount('#app');
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Calls the JSON API; resolves to the decoded body (null for 204), rejects with ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'The network request failed.');
  }
  if (response.status === 401 && !path.startsWith('/api/auth/')) {
    const next = window.location.pathname + window.location.search;
    window.location.assign(`/sign-in?next=${encodeURIComponent(next)}`);
    return new Promise(() => {});
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, (data && data.message) || response.statusText);
    error.data = data || {};
    throw error;
  }
  return data;
}

/** "Jun 30, 2027" for a YYYY-MM-DD day (this skin's own choice: US medium dates). */
export function formatDay(day) {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(year, month - 1, date).toLocaleDateString('en-US', {
    month: 'short', day: 'numeric', year: 'numeric',
  });
}

/** "6/30/2027, 14:05" in the reader's time zone. */
export function formatDateTime(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getMonth() + 1}/${d.getDate()}/${d.getFullYear()}, ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Tomorrow as YYYY-MM-DD in local time: the first Expired date the portal accepts. */
export function tomorrow() {
  const day = new Date();
  day.setDate(day.getDate() + 1);
  const pad = (n) => String(n).padStart(2, '0');
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}
