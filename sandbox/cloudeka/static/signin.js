// "Sign In Now!" (screen K0): password, then the one-time code where the account has
// two-factor sign-in. Refusals open the "Login Failed" (or locked) dialog, as the vendor's
// portal does; a wrong code is an inline "Invalid or expired OTP".

const next = document.querySelector('main').dataset.next || '/';
const passwordStep = document.getElementById('password-step');
const otpStep = document.getElementById('otp-step');
const signInForm = document.getElementById('sign-in-form');
const signInButton = document.getElementById('sign-in');
const otpForm = document.getElementById('otp-form');
const otpInput = document.getElementById('otp');
const otpError = document.getElementById('otp-error');
const failed = document.getElementById('login-failed');

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    return { status: 0, data: { title: 'Login Failed', message: 'The network request failed.' } };
  }
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

function showFailure(title, message, locked) {
  document.getElementById('login-failed-title').textContent = title;
  document.getElementById('login-failed-message').textContent = message;
  document.getElementById('login-failed-help').hidden = !locked;
  failed.showModal();
}

document.getElementById('login-failed-ok').addEventListener('click', () => failed.close());

signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = document.getElementById('username').value.trim();
  const password = document.getElementById('password').value;
  signInButton.disabled = true;
  signInButton.textContent = 'Sign In...';
  const { status, data } = await post('/api/auth/login', { email, password });
  signInButton.disabled = false;
  signInButton.textContent = 'Sign In';
  if (status === 200 && data.next === 'otp') {
    passwordStep.hidden = true;
    otpStep.hidden = false;
    otpInput.value = '';
    otpInput.focus();
  } else if (status === 200) {
    window.location.assign(next);
  } else {
    document.getElementById('password').value = '';
    showFailure(data.title || 'Login Failed', data.message || '', status === 423);
  }
});

otpForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  otpError.hidden = true;
  const submit = document.getElementById('otp-submit');
  submit.disabled = true;
  const { status, data } = await post('/api/auth/otp', { code: otpInput.value.trim() });
  submit.disabled = false;
  if (status === 200) {
    window.location.assign(next);
    return;
  }
  otpError.textContent = data.message || 'Invalid or expired OTP';
  otpError.hidden = false;
  otpInput.select();
  if (data.restart) document.getElementById('otp-back').focus();
});

document.getElementById('otp-back').addEventListener('click', () => {
  otpStep.hidden = true;
  passwordStep.hidden = false;
  document.getElementById('password').focus();
});

// Rendered disabled: a click before this script ran would do nothing (or, for Sign In, post
// the password as a plain form). Now the handlers are attached.
for (const control of document.querySelectorAll('[data-needs-script]')) control.disabled = false;

for (const control of document.querySelectorAll('[data-inert]')) {
  control.addEventListener('click', (event) => {
    event.preventDefault();
    document.getElementById('inert-note').textContent =
      'Sign-up and password recovery are not part of the sandbox.';
  });
}
