// The sign-in server's pages: ids regenerated on every render (label for / input id),
// the floating labels, the form's error state, and the inert social and SSO controls.
import { uid } from './mat.js';

for (const field of document.querySelectorAll('mat-form-field')) {
  const input = field.querySelector('input');
  const label = field.querySelector('label');
  const wrapper = field.querySelector('.mdc-text-field');
  input.id = uid('mat-input');
  label.id = uid('mat-mdc-form-field-label');
  label.htmlFor = input.id;
  const error = field.querySelector('mat-error');
  if (error) {
    // Angular's form after a refused submit: the field is invalid, described by its error.
    error.id = uid('mat-mdc-error');
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', error.id);
    wrapper.classList.add('mdc-text-field--invalid');
  }
  const float = () => {
    label.classList.toggle('mdc-floating-label--float-above', document.activeElement === input || input.value !== '');
    wrapper.classList.toggle('mdc-text-field--focused', document.activeElement === input);
  };
  for (const event of ['focus', 'blur', 'input']) input.addEventListener(event, float);
  float();
}

const note = document.querySelector('[data-note]');
for (const button of document.querySelectorAll('button[data-inert]')) {
  button.addEventListener('click', () => { note.textContent = button.dataset.inert; });
}
for (const form of document.querySelectorAll('form[data-inert]')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    note.textContent = form.dataset.inert;
  });
}
