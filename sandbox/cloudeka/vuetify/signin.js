// "Sign In Now!" (screen K0) on Vuetify: a v-card whose title is no heading, v-text-fields,
// a v-dialog for the refusal and a verification-code step of this skin's own wording.
import { C, api, h, mount, reactive } from './kit.js';

const next = document.getElementById('app').dataset.next || '/';

mount({
  setup() {
    const s = reactive({
      step: 'password', email: '', password: '', code: '', busy: false,
      failed: false, title: '', message: '', locked: false, otpError: '', note: '',
    });

    async function signIn() {
      s.busy = true;
      try {
        const data = await api('POST', '/api/auth/login', { email: s.email.trim(), password: s.password });
        if (data && data.next === 'otp') {
          s.step = 'otp';
          s.code = '';
        } else {
          window.location.assign(next);
        }
      } catch (err) {
        s.password = '';
        s.title = (err.data && err.data.title) ?? 'Login Failed';
        s.message = (err.data && err.data.message) ?? err.message;
        s.locked = err.status === 423;
        s.failed = true;
      } finally {
        s.busy = false;
      }
    }

    async function verify() {
      s.busy = true;
      s.otpError = '';
      try {
        await api('POST', '/api/auth/otp', { code: s.code.trim() });
        window.location.assign(next);
      } catch (err) {
        s.otpError = err.message || 'Invalid or expired OTP';
      } finally {
        s.busy = false;
      }
    }

    const field = (props) => h(C.VTextField, { variant: 'outlined', density: 'comfortable', ...props });

    const passwordStep = () => h(C.VCard, { class: 'pa-4', elevation: 4 }, () => [
      h(C.VCardTitle, { class: 'text-h5' }, () => 'Sign In Now!'),
      h(C.VCardSubtitle, null, () => 'Sign in to continue to Service Portal AI.'),
      h(C.VCardText, null, () => [
        h(C.VForm, { onSubmit: (e) => { e.preventDefault(); signIn(); } }, () => [
          field({
            label: 'Email Address', type: 'email', autocomplete: 'username', maxlength: 50,
            modelValue: s.email, 'onUpdate:modelValue': (v) => { s.email = v; },
          }),
          field({
            label: 'Password', type: 'password', autocomplete: 'current-password',
            modelValue: s.password, 'onUpdate:modelValue': (v) => { s.password = v; },
          }),
          h('div', { class: 'd-flex justify-end mb-2' }, [
            h('a', { href: '#', onClick: (e) => { e.preventDefault(); s.note = 'Password recovery is not part of the sandbox.'; } }, 'Forgot Password?'),
          ]),
          h(C.VBtn, { type: 'submit', color: 'primary', block: true, size: 'large', loading: s.busy }, () => 'Sign In'),
        ]),
        h('p', { class: 'mt-4 text-center' }, [
          "Don't have an account? ",
          h(C.VBtn, { variant: 'text', size: 'small', onClick: () => { s.note = 'Sign-up is not part of the sandbox.'; } }, () => 'Sign Up'),
        ]),
        s.note ? h('p', { class: 'text-caption text-center' }, s.note) : null,
      ]),
    ]);

    const otpStep = () => h(C.VCard, { class: 'pa-4', elevation: 4 }, () => [
      h(C.VCardTitle, { class: 'text-h5' }, () => "Verify it's you"),
      h(C.VCardSubtitle, null, () => 'Open your authenticator app and enter the code it shows.'),
      h(C.VCardText, null, () => [
        h(C.VForm, { onSubmit: (e) => { e.preventDefault(); verify(); } }, () => [
          field({
            label: 'Verification code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6,
            modelValue: s.code, 'onUpdate:modelValue': (v) => { s.code = v; },
          }),
          s.otpError ? h(C.VAlert, { type: 'error', variant: 'tonal', density: 'compact', class: 'mb-4', text: s.otpError }) : null,
          h(C.VBtn, { type: 'submit', color: 'primary', block: true, loading: s.busy }, () => 'Continue'),
          h(C.VBtn, { variant: 'text', block: true, class: 'mt-2', onClick: () => { s.step = 'password'; } }, () => 'Back to Sign In'),
        ]),
      ]),
    ]);

    const failedDialog = () => h(C.VDialog, {
      modelValue: s.failed, 'onUpdate:modelValue': (v) => { s.failed = v; }, maxWidth: 420,
    }, () => h(C.VCard, null, () => [
      h(C.VCardTitle, null, () => s.title),
      h(C.VCardText, null, () => [
        s.message,
        s.locked ? h('div', { class: 'mt-2' }, ['Need help? Contact ', h('a', { href: 'mailto:info@cloudeka.id' }, 'info@cloudeka.id'), '.']) : null,
      ]),
      h(C.VCardActions, null, () => [
        h(C.VSpacer),
        h(C.VBtn, { color: 'primary', onClick: () => { s.failed = false; } }, () => 'OK'),
      ]),
    ]));

    return () => h(C.VApp, null, () => h(C.VMain, null, () => h(C.VContainer, { class: 'fill-height' }, () =>
      h(C.VRow, { justify: 'center' }, () => h(C.VCol, { cols: 12, sm: 8, md: 5 }, () => [
        h('div', { class: 'brand text-h6 mb-4' }, 'Cloudeka · Service Portal AI'),
        s.step === 'otp' ? otpStep() : passwordStep(),
        failedDialog(),
      ])))));
  },
});
