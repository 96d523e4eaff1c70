// The browser app: login, the menu of the user's role, and a screen per hash route.
import { call, session, saveSession, onSessionLost } from './api.js';
import { h, field, clear } from './dom.js';
import { t, en, setLanguage, currentLanguage } from './i18n.js';
import { showError, hideError } from './feedback.js';
import { scanScreen } from './screens/scan.js';
import { boxScreen } from './screens/box.js';
import { collectScreen } from './screens/collect.js';
import { racksScreen } from './screens/racks.js';
import { shipmentsScreen } from './screens/shipments.js';
import { requestsScreen } from './screens/requests.js';
import { storageScreen } from './screens/storage.js';
import { auditScreen } from './screens/audit.js';
import { completenessScreen } from './screens/completeness.js';
import { newRequestScreen } from './screens/new_request.js';
import { myRequestsScreen } from './screens/my_requests.js';
import { usersScreen } from './screens/users.js';
import { patientsScreen } from './screens/patients.js';
import { consentScreen } from './screens/consent.js';
import { printersScreen } from './screens/printers.js';
import { freezersScreen } from './screens/freezers.js';
import { productsScreen } from './screens/products.js';

const BENCH = ['ROLE_TECHNICIAN', 'ROLE_MANAGER', 'ROLE_ADMIN'];
const SITE_STAFF = [...BENCH, 'ROLE_COORDINATOR'];
const MANAGERS = ['ROLE_MANAGER', 'ROLE_ADMIN'];
const REQUESTERS = ['ROLE_RESEARCHER', 'ROLE_MANAGER', 'ROLE_ADMIN'];
const REGISTRY = ['ROLE_COORDINATOR', 'ROLE_MANAGER', 'ROLE_ADMIN'];
// The server refuses what a role may not do; the menu shows only what it may.
const SCREENS = [
  { name: 'Scan', roles: SITE_STAFF, render: scanScreen },
  { name: 'Box', roles: SITE_STAFF, render: boxScreen },
  { name: 'Collect', roles: BENCH, render: collectScreen },
  { name: 'Racks', roles: BENCH, render: racksScreen },
  { name: 'Shipments', roles: BENCH, render: shipmentsScreen },
  { name: 'Requests', roles: BENCH, render: requestsScreen },
  { name: 'Storage', roles: MANAGERS, render: storageScreen },
  { name: 'Audit', roles: MANAGERS, render: auditScreen },
  { name: 'Printers', roles: MANAGERS, render: printersScreen },
  { name: 'Freezers', roles: SITE_STAFF, render: freezersScreen },
  { name: 'Products', roles: SITE_STAFF, render: productsScreen },
  { name: 'Completeness', roles: SITE_STAFF, render: completenessScreen },
  { name: 'Patients', roles: REGISTRY, render: patientsScreen },
  { name: 'Consent', roles: REGISTRY, render: consentScreen },
  { name: 'New request', roles: REQUESTERS, render: newRequestScreen },
  { name: 'My requests', roles: ['ROLE_RESEARCHER', ...MANAGERS], render: myRequestsScreen },
  { name: 'Users', roles: ['ROLE_ADMIN'], render: usersScreen },
];

// "New request" → "new-request": the route of a screen.
const slug = (name) => name.toLowerCase().replace(/ /g, '-');

function allowedScreens() {
  const current = session();
  return current ? SCREENS.filter((screen) => screen.roles.includes(current.role)) : [];
}

function renderChrome() {
  const current = session();
  const nav = clear(document.getElementById('nav'));
  const route = location.hash.replace(/^#\/?/, '').split('?')[0];
  for (const screen of allowedScreens()) {
    nav.append(h('a', {
      href: `#/${slug(screen.name)}`, 'aria-label': screen.name,
      'aria-current': route === slug(screen.name) ? 'page' : undefined,
    }, t(`nav.${screen.name}`)));
  }
  document.getElementById('who').textContent = current ? current.username : '';
  const logout = document.getElementById('logout');
  logout.hidden = !current;
  logout.textContent = t('logout');
  document.getElementById('lang').textContent = t('app.language');
}

function loginScreen(main, notice) {
  const username = h('input', { type: 'text', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card login' },
    h('h1', {}, t('login.title')),
    field(t('login.username'), username, en('login.username')),
    field(t('login.password'), password, en('login.password')),
    h('button', { type: 'submit', 'aria-label': en('login.submit') }, t('login.submit')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const answer = await call('UserService', 'Login',
                                { username: username.value.trim(), password: password.value });
      saveSession({ token: answer.sessionToken, username: answer.user.username,
                    role: answer.user.role, sites: answer.user.siteCodes || [] });
      hideError();
      const first = allowedScreens()[0];
      location.hash = first ? `#/${slug(first.name)}` : '#/';
      route();
    } catch (error) {
      password.value = '';
      showError(error.message);
      password.focus();
    }
  });
  main.append(form);
  if (notice) showError(notice);
  username.focus();
}

function route() {
  renderChrome();
  const main = clear(document.getElementById('main'));
  if (!session()) {
    loginScreen(main);
    return;
  }
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const screens = allowedScreens();
  // A screen of another role, opened by its address: refused, as the server would refuse it.
  const known = SCREENS.find((s) => slug(s.name) === path);
  if (known && !screens.includes(known)) {
    showError(t('app.notForRole', { screen: known.name, role: session().role.replace('ROLE_', '').toLowerCase() }));
    return;
  }
  const screen = known || screens[0];
  if (!screen) {
    main.append(h('p', { class: 'card' }, 'No screen for your role.'));
    return;
  }
  hideError();
  document.getElementById('status').textContent = '';
  screen.render(main, new URLSearchParams(query || ''));
}

onSessionLost(() => {
  saveSession(null);
  renderChrome();
  const main = clear(document.getElementById('main'));
  loginScreen(main, t('login.expired'));
});

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await call('UserService', 'Logout', {});
  } catch {
    // Already ended: forgetting it here is all that is left to do.
  }
  saveSession(null);
  location.hash = '#/';
  route();
});

document.getElementById('lang').addEventListener('click', () => {
  setLanguage(currentLanguage() === 'fr' ? 'en' : 'fr');
  route();
});

window.addEventListener('hashchange', route);
setLanguage(currentLanguage());
route();
