// Users (admins): create with role, sites and a first password; revoke; a new API token shown
// once.
import { call, requestId } from '../api.js';
import { h, field, clear, enumWord } from '../dom.js';
import { t } from '../i18n.js';
import { attempt, showOk } from '../feedback.js';

const ROLES = ['TECHNICIAN', 'MANAGER', 'COORDINATOR', 'RESEARCHER', 'ADMIN'];

export function usersScreen(main) {
  const listing = h('section', { class: 'card' });
  const secret = h('section', { class: 'card secret', 'aria-live': 'polite' });
  const username = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const role = h('select', {}, ROLES.map((r) => h('option', { value: `ROLE_${r}` }, r.toLowerCase())));
  const sites = h('input', { type: 'text', placeholder: 'PSL, LYO' });
  const password = h('input', { type: 'password', autocomplete: 'new-password', minlength: '10' });

  function showToken(name, token) {
    clear(secret).append(h('p', {}, t('users.tokenOnce', { name })), h('code', { class: 'token' }, token));
  }

  async function load() {
    const answer = await attempt(() => call('UserService', 'ListUsers', { pageSize: 500 }));
    if (!answer) return;
    clear(listing).append(h('table', { 'aria-label': 'Users' },
      h('thead', {}, h('tr', {}, ['name', 'role', 'sites', 'tokens', 'password', ''].map((c) => h('th', {}, c ? t(`users.${c}`) : '')))),
      h('tbody', {}, (answer.users || []).map((u) => h('tr', {},
        h('td', {}, u.username), h('td', {}, enumWord(u.role, 'ROLE_')), h('td', {}, (u.siteCodes || []).join(', ')),
        h('td', {}, u.revoked ? t('users.revoked') : t('users.active')), h('td', {}, u.hasPassword ? '✓' : '—'),
        h('td', {},
          h('button', { type: 'button', class: 'small', onclick: async () => {
            const issued = await attempt(() => call('UserService', 'IssueToken', { username: u.username, requestId: requestId() }));
            if (issued) showToken(u.username, issued.token);
          } }, t('users.newToken')),
          h('button', { type: 'button', class: 'small', onclick: async () => {
            if (!confirm(t('users.confirmRevoke', { name: u.username }))) return;
            const done = await attempt(() => call('UserService', 'RevokeToken', { username: u.username, requestId: requestId() }));
            if (done) { showOk(t('users.revokedCount', { count: done.tokensRevoked, name: u.username })); load(); }
          } }, t('users.revoke'))))))));
  }

  async function create(event) {
    event.preventDefault();
    const answer = await attempt(() => call('UserService', 'CreateUser', {
      username: username.value.trim(), role: role.value, siteCodes: sites.value.split(',').map((s) => s.trim()).filter(Boolean),
      password: password.value, requestId: requestId(),
    }));
    if (!answer) return;
    showOk(t('users.created', { name: answer.user.username }));
    showToken(answer.user.username, answer.token);
    username.value = '';
    password.value = '';
    load();
  }

  const siteCode = h('input', { type: 'text', required: true, placeholder: 'LYO' });
  const siteName = h('input', { type: 'text', required: true, placeholder: 'Lyon Sud' });
  const siteList = h('p', { class: 'sites' });
  async function loadSites() {
    const answer = await attempt(() => call('RegistryService', 'ListSites', { pageSize: 500 }));
    if (answer) siteList.textContent = (answer.sites || []).map((s) => `${s.code} (${s.name})`).join(', ');
  }
  async function addSite(event) {
    event.preventDefault();
    const answer = await attempt(() => call('RegistryService', 'CreateSite',
      { code: siteCode.value.trim(), name: siteName.value.trim(), requestId: requestId() }));
    if (answer) { showOk(t('sites.created', { code: answer.site.code })); siteCode.value = ''; siteName.value = ''; loadSites(); }
  }
  loadSites();

  main.append(h('h1', {}, t('users.title')),
    h('form', { class: 'card row', onsubmit: addSite }, h('h2', {}, t('sites.title')), siteList,
      field(t('sites.code'), siteCode, 'Site code'), field(t('sites.name'), siteName, 'Site name'),
      h('button', { type: 'submit' }, t('sites.add'))),
    h('form', { class: 'card row', onsubmit: create },
      field(t('users.name'), username, 'New user name'), field(t('users.role'), role, 'Role'),
      field(t('users.sites'), sites, 'Sites'), field(t('users.firstPassword'), password, 'First password'),
      h('button', { type: 'submit' }, t('users.create'))), secret, listing);
  load();
}
