// Angular Material's rendered DOM, by hand: what an Angular 19 console on @angular/material
// (MDC-based components) puts in the page. No Angular here (it needs a build toolchain);
// the element names, classes, ARIA and ids are those the components render:
// - mat-icon: ligature text, aria-hidden="true" (an icon button has no name of its own);
// - matTooltip: aria-describedby to a message in #cdk-describedby-message-container, never
//   aria-label; the tooltip itself is an overlay pane shown on hover;
// - mat-table (flex): role=table/row/columnheader/cell on custom elements;
// - mat-card: mat-card-title is no heading; mat-form-field: floating <label for>;
// - dialogs and snack bars: panes in .cdk-overlay-container at the end of <body>, with their
//   open/close animations (CSS transitions ending in real classes);
// - ids are counters from a random start: they change on every render, as Angular's do.

let seq = 100 + Math.floor(Math.random() * 900);
export const uid = (prefix) => `${prefix}-${seq++}`;

/** Creates an element: attributes (null skipped), `on` = {event: handler}, children. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'on') for (const [event, fn] of Object.entries(value)) node.addEventListener(event, fn);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

export function icon(name) {
  return el('mat-icon', {
    role: 'img', 'aria-hidden': 'true', 'data-mat-icon-type': 'font',
    class: 'mat-icon notranslate material-icons mat-ligature-font mat-icon-no-color',
  }, name);
}

const BUTTON_KINDS = {
  flat: ['mat-flat-button', 'mdc-button mdc-button--unelevated mat-mdc-unelevated-button'],
  stroked: ['mat-stroked-button', 'mdc-button mdc-button--outlined mat-mdc-outlined-button'],
  basic: ['mat-button', 'mdc-button mat-mdc-button'],
};

function buttonInsides(...content) {
  return [
    el('span', { class: 'mat-mdc-button-persistent-ripple mdc-button__ripple' }),
    ...content,
    el('span', { class: 'mat-focus-indicator' }),
    el('span', { class: 'mat-mdc-button-touch-target' }),
  ];
}

/** <button mat-flat-button color="primary">label</button>, as rendered. */
export function button(label, { kind = 'flat', color = 'primary', type = 'button', onClick, disabled = false, leading } = {}) {
  const [attr, classes] = BUTTON_KINDS[kind];
  const node = el('button', {
    [attr]: true, type, color,
    class: `${classes} mat-${color} mat-mdc-button-base${disabled ? ' mat-mdc-button-disabled' : ''}`,
    disabled, on: onClick ? { click: onClick } : {},
  }, ...buttonInsides(leading ? icon(leading) : null, el('span', { class: 'mdc-button__label' }, label)));
  return node;
}

export function setDisabled(node, disabled) {
  node.disabled = disabled;
  node.classList.toggle('mat-mdc-button-disabled', disabled);
}

// --- tooltips (cdk AriaDescriber + the tooltip overlay) ---------------------------------

function describedByContainer() {
  let box = document.getElementById('cdk-describedby-message-container');
  if (!box) {
    box = el('div', { id: 'cdk-describedby-message-container', class: 'cdk-visually-hidden', 'aria-hidden': 'true' });
    document.body.append(box);
  }
  return box;
}

export function tooltip(target, message) {
  const messageId = uid('cdk-describedby-message-ng-1');
  describedByContainer().append(el('div', { id: messageId }, message));
  target.setAttribute('mattooltip', message);
  target.setAttribute('aria-describedby', messageId);
  target.classList.add('mat-mdc-tooltip-trigger');
  let pane = null;
  const hide = () => { if (pane) { pane.wrapper.remove(); pane = null; } };
  target.addEventListener('mouseenter', () => {
    if (pane) return;
    pane = overlayPane('mat-mdc-tooltip-panel', { wrapperClass: 'cdk-overlay-connected-position-bounding-box' });
    const rect = target.getBoundingClientRect();
    pane.wrapper.style.top = `${rect.bottom + 4}px`;
    pane.wrapper.style.left = `${rect.left + rect.width / 2 - 40}px`;
    pane.pane.append(el('div', { class: 'mat-mdc-tooltip mdc-tooltip mat-mdc-tooltip-show' },
      el('div', { class: 'mdc-tooltip__surface mdc-tooltip__surface-animation' }, message)));
  });
  target.addEventListener('mouseleave', hide);
  target.addEventListener('click', hide);
}

/** <button mat-icon-button matTooltip="...">: a ligature icon and a tooltip, no label. */
export function iconButton(iconName, tip, onClick) {
  const node = el('button', {
    'mat-icon-button': true, type: 'button',
    class: 'mdc-icon-button mat-mdc-icon-button mat-mdc-button-base',
    on: { click: onClick },
  }, ...buttonInsides(icon(iconName)));
  tooltip(node, tip);
  return node;
}

// --- mat-card ----------------------------------------------------------------------------

export function card({ title, subtitle, headerActions = [], content = [], actions = [] }) {
  return el('mat-card', { appearance: 'outlined', class: 'mat-mdc-card mdc-card mat-mdc-card-outlined mdc-card--outlined' },
    el('mat-card-header', { class: 'mat-mdc-card-header' },
      el('div', { class: 'mat-mdc-card-header-text' },
        el('mat-card-title', { class: 'mat-mdc-card-title' }, title),
        subtitle ? el('mat-card-subtitle', { class: 'mat-mdc-card-subtitle' }, subtitle) : null),
      headerActions.length ? el('div', { class: 'card-header-actions' }, ...headerActions) : null),
    el('mat-card-content', { class: 'mat-mdc-card-content' }, ...content),
    actions.length ? el('mat-card-actions', { align: 'end', class: 'mat-mdc-card-actions mdc-card__actions' }, ...actions) : null);
}

// --- mat-progress-bar --------------------------------------------------------------------

export function progressBar() {
  return el('mat-progress-bar', {
    role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', tabindex: '-1', mode: 'indeterminate',
    class: 'mat-mdc-progress-bar mdc-linear-progress mdc-linear-progress--indeterminate mdc-linear-progress--animation-ready',
  }, el('div', { class: 'mdc-linear-progress__bar mdc-linear-progress__primary-bar' },
    el('span', { class: 'mdc-linear-progress__bar-inner' })));
}

// --- mat-table (flex) -------------------------------------------------------------------

/**
 * A flex mat-table. columns: [{key, header, cell(row) -> node|string}]; the no-data row shows
 * `noData`; onRowClick makes rows clickable (as Gravitee's gateway list is).
 */
export function table(columns, { noData, onRowClick } = {}) {
  const cls = (key) => `cdk-column-${key} mat-column-${key}`;
  const host = el('mat-table', { role: 'table', class: 'mat-mdc-table mdc-data-table__table cdk-table mat-elevation-z0' });
  const header = el('mat-header-row', { role: 'row', class: 'mat-mdc-header-row mdc-data-table__header-row cdk-header-row' },
    ...columns.map((c) => el('mat-header-cell', { role: 'columnheader', class: `mat-mdc-header-cell mdc-data-table__header-cell cdk-header-cell ${cls(c.key)}` }, c.header)));
  host.append(header);
  let body = [];
  return {
    host,
    render(rows) {
      for (const row of body) row.remove();
      body = rows.length
        ? rows.map((item) => el('mat-row', {
          role: 'row', class: `mat-mdc-row mdc-data-table__row cdk-row${onRowClick ? ' row-clickable' : ''}`,
          on: onRowClick ? { click: () => onRowClick(item) } : {},
        }, ...columns.map((c) => el('mat-cell', { role: 'cell', class: `mat-mdc-cell mdc-data-table__cell cdk-cell ${cls(c.key)}` }, c.cell(item)))))
        : [el('mat-row', { role: 'row', class: 'mat-mdc-no-data-row' }, el('mat-cell', { role: 'cell', class: 'mat-mdc-cell mdc-data-table__cell cdk-cell' }, noData))];
      host.append(...body);
    },
  };
}

// --- mat-form-field ----------------------------------------------------------------------

/** An outlined mat-form-field with a floating label; returns {host, input, setError}. */
export function formField(label, { type = 'text', name, autocomplete = 'off', value = '', required = false, textarea = false } = {}) {
  const inputId = uid('mat-input');
  const labelId = uid('mat-mdc-form-field-label');
  const input = el(textarea ? 'textarea' : 'input', {
    matinput: true, id: inputId, type: textarea ? null : type, name, autocomplete, required,
    'aria-invalid': 'false', 'aria-required': String(required), spellcheck: 'false',
    class: 'mat-mdc-input-element mat-mdc-form-field-input-control mdc-text-field__input',
  });
  input.value = value;
  const floating = el('label', { matformfieldfloatinglabel: true, class: 'mdc-floating-label mat-mdc-floating-label', id: labelId, for: inputId },
    el('mat-label', {}, label),
    required ? el('span', { 'aria-hidden': 'true', class: 'mat-mdc-form-field-required-marker mdc-floating-label--required' }) : null);
  const wrapper = el('div', { class: 'mat-mdc-text-field-wrapper mdc-text-field mdc-text-field--outlined' },
    el('div', { class: 'mat-mdc-form-field-flex' },
      el('div', { class: 'mdc-notched-outline' },
        el('div', { class: 'mat-mdc-notch-piece mdc-notched-outline__leading' }),
        el('div', { class: 'mat-mdc-notch-piece mdc-notched-outline__notch' }, floating),
        el('div', { class: 'mat-mdc-notch-piece mdc-notched-outline__trailing' })),
      el('div', { class: 'mat-mdc-form-field-infix' }, input)));
  const subscript = el('div', { class: 'mat-mdc-form-field-subscript-wrapper mat-mdc-form-field-bottom-align mat-mdc-form-field-subscript-dynamic-size' },
    el('div', { class: 'mat-mdc-form-field-hint-wrapper' }, el('div', { class: 'mat-mdc-form-field-hint-spacer' })));
  const host = el('mat-form-field', { class: 'mat-mdc-form-field mat-mdc-form-field-type-mat-input mat-form-field-appearance-outline mat-primary' }, wrapper, subscript);
  const float = () => {
    const up = document.activeElement === input || input.value !== '';
    floating.classList.toggle('mdc-floating-label--float-above', up);
    wrapper.classList.toggle('mdc-text-field--focused', document.activeElement === input);
    host.classList.toggle('mat-focused', document.activeElement === input);
  };
  for (const event of ['focus', 'blur', 'input']) input.addEventListener(event, float);
  float();
  return {
    host,
    input,
    setError(message) {
      subscript.replaceChildren();
      if (message) {
        const errorId = uid('mat-mdc-error');
        subscript.append(el('div', { class: 'mat-mdc-form-field-error-wrapper' },
          el('mat-error', { id: errorId, 'aria-atomic': 'true', class: 'mat-mdc-form-field-error mat-mdc-form-field-bottom-align' }, message)));
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', errorId);
      } else {
        subscript.append(el('div', { class: 'mat-mdc-form-field-hint-wrapper' }, el('div', { class: 'mat-mdc-form-field-hint-spacer' })));
        input.setAttribute('aria-invalid', 'false');
        input.removeAttribute('aria-describedby');
      }
      wrapper.classList.toggle('mdc-text-field--invalid', Boolean(message));
      host.classList.toggle('mat-form-field-invalid', Boolean(message));
    },
  };
}

// --- the CDK overlay container ------------------------------------------------------------

function overlayContainer() {
  let box = document.querySelector('body > .cdk-overlay-container');
  if (!box) {
    box = el('div', { class: 'cdk-overlay-container' });
    document.body.append(box);
  }
  return box;
}

function overlayPane(paneClass, { wrapperClass = 'cdk-global-overlay-wrapper', backdrop = false } = {}) {
  const box = overlayContainer();
  let shade = null;
  if (backdrop) {
    shade = el('div', { class: 'cdk-overlay-backdrop cdk-overlay-dark-backdrop' });
    box.append(shade);
  }
  const pane = el('div', { id: uid('cdk-overlay'), class: `cdk-overlay-pane ${paneClass}` });
  const wrapper = el('div', { class: wrapperClass, dir: 'ltr' }, pane);
  box.append(wrapper);
  return { wrapper, pane, backdrop: shade };
}

/** Waits for the end of a CSS transition on `node` (or a frame, when there is none). */
function afterTransition(node, done) {
  const duration = parseFloat(getComputedStyle(node).transitionDuration) || 0;
  if (duration === 0) { requestAnimationFrame(done); return; }
  let finished = false;
  const finish = () => { if (!finished) { finished = true; done(); } };
  node.addEventListener('transitionend', finish, { once: true });
  setTimeout(finish, duration * 1000 + 100); // transitionend is not guaranteed
}

/**
 * MatDialog.open: a dialog in the overlay container. build(ref) returns the component's
 * content nodes: its <h2 mat-dialog-title>, <mat-dialog-content>, <mat-dialog-actions>.
 * Returns the ref: {container, close()}; onClosed runs once the close animation ends.
 */
export function openDialog(build, { onClosed, panelClass = '' } = {}) {
  const { wrapper, pane, backdrop } = overlayPane(`mat-mdc-dialog-panel ${panelClass}`, { backdrop: true });
  wrapper.style.justifyContent = 'center';
  wrapper.style.alignItems = 'center';
  pane.style.maxWidth = '80vw';
  pane.style.position = 'static';
  const dialogId = uid('mat-mdc-dialog');
  const container = el('mat-dialog-container', {
    tabindex: '-1', id: dialogId, role: 'dialog', 'aria-modal': 'true',
    class: 'mat-mdc-dialog-container mdc-dialog cdk-dialog-container mat-mdc-dialog-container-with-actions',
  });
  const surface = el('div', { class: 'mat-mdc-dialog-surface mdc-dialog__surface' });
  container.append(el('div', { class: 'mat-mdc-dialog-inner-container mdc-dialog__container' }, surface));
  const anchor = () => el('div', { tabindex: '0', class: 'cdk-visually-hidden cdk-focus-trap-anchor', 'aria-hidden': 'true' });
  pane.append(anchor(), container, anchor());
  let closing = false;
  const ref = {
    container,
    close() {
      if (closing) return;
      closing = true;
      container.classList.remove('mdc-dialog--open');
      container.classList.add('mdc-dialog--closing');
      backdrop.classList.remove('cdk-overlay-backdrop-showing');
      afterTransition(surface, () => {
        wrapper.remove();
        backdrop.remove();
        if (onClosed) onClosed();
      });
    },
  };
  const nodes = build(ref);
  const host = el('ng-component', { class: 'ng-star-inserted' }, ...nodes);
  surface.append(host);
  const title = host.querySelector('[mat-dialog-title]');
  if (title) {
    title.id = uid('mat-mdc-dialog-title');
    container.setAttribute('aria-labelledby', title.id);
  }
  container.addEventListener('keydown', (event) => { if (event.key === 'Escape') ref.close(); });
  backdrop.addEventListener('click', () => ref.close());
  container.classList.add('mdc-dialog--opening');
  requestAnimationFrame(() => {
    backdrop.classList.add('cdk-overlay-backdrop-showing');
    container.classList.add('mdc-dialog--open');
    afterTransition(surface, () => container.classList.remove('mdc-dialog--opening'));
    const focus = host.querySelector('input, textarea') || container;
    focus.focus();
  });
  return ref;
}

export function dialogTitle(text) {
  return el('h2', { 'mat-dialog-title': true, class: 'mat-mdc-dialog-title mdc-dialog__title' }, text);
}

export function dialogContent(...children) {
  return el('mat-dialog-content', { class: 'mat-mdc-dialog-content mdc-dialog__content' }, ...children);
}

export function dialogActions(...children) {
  return el('mat-dialog-actions', { align: 'end', class: 'mat-mdc-dialog-actions mdc-dialog__actions' }, ...children);
}

// --- MatSnackBar ---------------------------------------------------------------------------

let openSnack = null;

/** MatSnackBar.open(message): announced through its live region once it has opened. */
export function snackBar(message, duration = 5000) {
  if (openSnack) openSnack();
  const { wrapper, pane } = overlayPane('mat-mdc-snack-bar-handset');
  wrapper.style.justifyContent = 'center';
  wrapper.style.alignItems = 'flex-end';
  const liveId = uid('mat-snack-bar-container-live');
  const inert = el('div', { 'aria-hidden': 'true' },
    el('simple-snack-bar', { class: 'mat-mdc-simple-snack-bar' },
      el('div', { matsnackbarlabel: true, class: 'mat-mdc-snack-bar-label mdc-snackbar__label' }, message)));
  const live = el('div', { 'aria-live': 'polite', role: 'status', id: liveId });
  const container = el('mat-snack-bar-container', { class: 'mdc-snackbar mat-mdc-snack-bar-container' },
    el('div', { class: 'mdc-snackbar__surface mat-mdc-snackbar-surface' },
      el('div', { class: 'mat-mdc-snack-bar-label' }, inert, live)));
  pane.append(container);
  requestAnimationFrame(() => container.classList.add('mdc-snackbar--open'));
  // As MatSnackBarContainer does: the message moves into the live region a moment later.
  const announce = setTimeout(() => { inert.removeAttribute('aria-hidden'); live.append(inert); }, 150);
  const dismiss = () => {
    clearTimeout(announce);
    clearTimeout(timer);
    container.classList.remove('mdc-snackbar--open');
    container.classList.add('mdc-snackbar--closing');
    afterTransition(container, () => wrapper.remove());
    openSnack = null;
  };
  const timer = setTimeout(dismiss, duration);
  openSnack = dismiss;
}

// --- the JSON API ------------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** HttpClient, in short: JSON in and out, a 401 goes through sign-in and back. */
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
  if (response.status === 401) {
    window.location.assign(window.location.href);
    return new Promise(() => {});
  }
  const reply = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, (reply && reply.message) || response.statusText);
  return reply;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Angular's DatePipe with 'd MMM y, HH:mm:ss' (this skin's own choice), in local time. */
export function datePipe(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A mat-chip-like status, e.g. "Connected". */
export function statusChip(status) {
  const tone = status === 'Connected' ? 'ok' : status.startsWith('Never') ? 'idle' : 'warn';
  return el('mat-chip', { class: `mat-mdc-chip mat-mdc-standard-chip mdc-evolution-chip status-${tone}` },
    el('span', { class: 'mdc-evolution-chip__action mat-mdc-chip-action mdc-evolution-chip__action--primary' },
      el('span', { class: 'mdc-evolution-chip__text-label mat-mdc-chip-action-label' }, status)));
}

// Controls whose flows the sandbox does not implement say so when used.
export function inert(node, message) {
  node.addEventListener('click', () => snackBar(message));
  return node;
}
