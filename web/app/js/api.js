// The Connect JSON door: POST /lims.v1.<Service>/<Method> with the session token. Errors become
// ApiError with the server's code and message (already written for people).
import { t } from './i18n.js';

const SESSION_KEY = 'lims.session';

export class ApiError extends Error {
  constructor(code, message, httpStatus) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
  } catch {
    return null;
  }
}

export function saveSession(value) {
  if (value) sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
  else sessionStorage.removeItem(SESSION_KEY);
}

let sessionLost = () => {};
export function onSessionLost(handler) {
  sessionLost = handler;
}

export async function call(service, method, body = {}) {
  const headers = { 'Content-Type': 'application/json', 'Connect-Protocol-Version': '1' };
  const current = session();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  let response;
  try {
    response = await fetch(`/lims.v1.${service}/${method}`, {
      method: 'POST', headers, body: JSON.stringify(body), cache: 'no-store',
    });
  } catch {
    throw new ApiError('unavailable', t('error.network'), 0);
  }
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = {};
  }
  if (!response.ok) {
    const error = new ApiError(json.code || 'unknown', json.message || response.statusText,
                               response.status);
    if (response.status === 401 && method !== 'Login') sessionLost(error);
    throw error;
  }
  return json;
}

// A fresh request_id per mutating call: a retried call is not done twice.
export function requestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function hasRole(...roles) {
  const current = session();
  return !!current && roles.includes(current.role);
}
