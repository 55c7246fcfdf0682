// Sign-in server pages: the social and SSO controls exist (they are part of the documented
// screen) but cannot work offline, so they only explain that.
const note = document.querySelector('[data-note]');

for (const button of document.querySelectorAll('button[data-inert]')) {
  button.addEventListener('click', () => {
    note.textContent = button.dataset.inert;
  });
}

for (const form of document.querySelectorAll('form[data-inert]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    note.textContent = form.dataset.inert;
  });
}
