import { api } from '../api.js';
import { h, clear } from '../dom.js';

// The key goes in a POST body only: never in the URL, local storage or a log; the field is cleared at once.
export default {
  name: 'sign-in',
  title: () => 'Sign in',
  live: false,
  setup(params, ctx) {
    const error = h('p', { 'data-testid': 'sign-in-error', role: 'alert', class: 'alert', hidden: true });
    const ended = sessionStorage.getItem('advwell-ended');
    sessionStorage.removeItem('advwell-ended');
    const input = h('input', { id: 'api-key', type: 'password', name: 'apiKey', autocomplete: 'off', required: true,
      spellcheck: 'false', 'data-testid': 'sign-in-key', 'aria-describedby': 'api-key-help' });
    const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'sign-in-submit' }, 'Sign in');
    const form = h('form', {
      class: 'sign-in', on: {
        submit: async (e) => {
          e.preventDefault();
          const key = input.value.trim();
          if (!key) { show('Enter your API key.'); input.focus(); return; }
          submit.disabled = true;
          try {
            const session = await api('POST', 'session', { apiKey: key });
            input.value = '';
            ctx.signedIn(session);
          } catch (err) {
            input.value = '';
            show(err.status === 401 ? 'That API key is unknown or revoked. Check it and try again.'
              : err.status === 400 ? 'Enter your API key.' : `Sign-in failed: ${err.message}`);
            input.focus();
          } finally {
            submit.disabled = false;
          }
        },
      },
    },
    ended ? h('p', { class: 'notice' }, ended) : null,
    h('label', { for: 'api-key' }, 'API key'),
    input,
    h('p', { id: 'api-key-help', class: 'muted' },
      'Your key (aw_…) is exchanged for a session cookie; it is not kept by this page. The session ends when you sign out, after 30 minutes without use, or when the key is revoked.'),
    error,
    h('div', { class: 'actions' }, submit));
    function show(text) { error.hidden = false; error.textContent = text; }
    queueMicrotask(() => input.focus());
    return form;
  },
};
