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

async function post(service, method, contentType, body) {
  const headers = { 'Content-Type': contentType, 'Connect-Protocol-Version': '1' };
  const current = session();
  if (current) headers.Authorization = `Bearer ${current.token}`;
  try {
    return await fetch(`/lims.v1.${service}/${method}`, { method: 'POST', headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError('unavailable', t('error.network'), 0);
  }
}

function failed(json, httpStatus, method) {
  const error = new ApiError(json.code || 'unknown', json.message || String(httpStatus), httpStatus);
  if (httpStatus === 401 && method !== 'Login') sessionLost(error);
  return error;
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

export async function call(service, method, body = {}) {
  const response = await post(service, method, 'application/json', JSON.stringify(body));
  const json = parseJson(await response.text());
  if (!response.ok) throw failed(json, response.status, method);
  return json;
}

// A server-streaming RPC (Connect's enveloped frames: a flags byte, a 4-byte big-endian length,
// the JSON): resolves to every message, or throws the end frame's error. An answer cut short
// (no end frame) is an error too: a partial export must not pass for a whole one.
export async function stream(service, method, body = {}) {
  const json = new TextEncoder().encode(JSON.stringify(body));
  const envelope = new Uint8Array(5 + json.length);
  new DataView(envelope.buffer).setUint32(1, json.length);
  envelope.set(json, 5);
  const response = await post(service, method, 'application/connect+json', envelope);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!response.ok) throw failed(parseJson(new TextDecoder().decode(bytes)), response.status, method);
  const messages = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at + 5 <= bytes.length;) {
    const size = view.getUint32(at + 1);
    const frame = parseJson(new TextDecoder().decode(bytes.subarray(at + 5, at + 5 + size)));
    if (bytes[at] & 0x02) {
      if (frame.error) throw failed(frame.error, 200, method);
      return messages;
    }
    messages.push(frame);
    at += 5 + size;
  }
  throw new ApiError('unavailable', t('error.network'), 0);
}

// Decodes a protobuf bytes field (base64 in the JSON mapping).
export function base64Bytes(text) {
  return Uint8Array.from(atob(text || ''), (c) => c.charCodeAt(0));
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
