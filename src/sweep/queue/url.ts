import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isIP } from 'node:net';
import type { RedisOptions } from 'ioredis';
import { InputError, ioReason } from '../../scenario/errors.ts';

/**
 * The queue URL of a distributed sweep (`--queue`):
 * `redis://[user[:password]@]host[:port][/db]`, or `rediss://…` for TLS, with an optional
 * `?ca=FILE` naming a PEM file of certificate authorities to trust (besides the system's).
 * User and password are a Redis ACL user's (or, password alone, the default user's), URL-encoded.
 */

export const QUEUE_URL_FORM = 'redis://[user[:password]@]host[:port][/db] or rediss://… (TLS, optionally ?ca=FILE)';
const DEFAULT_PORT = 6379;
/** Redis's default `databases 16`: SELECT accepts 0–15. */
const MAX_DB = 15;

export interface QueueUrl {
  /** ioredis options; `maxRetriesPerRequest: null` as BullMQ's workers require. */
  readonly connection: RedisOptions;
  /** The URL fit for logs and results: the user shown, the password replaced by ***. */
  readonly redacted: string;
}

/** A bad `--queue` URL: an InputError (the CLI prints it and exits 2); its text never holds the password. */
export class QueueUrlError extends InputError {
  constructor(redacted: string, path: string, message: string) {
    super(`--queue ${redacted}`, [{ path, message }]);
    this.name = 'QueueUrlError';
  }
}

/**
 * Redaction of text that may not parse as a URL: after `scheme://`, everything from the first ':'
 * to the last '@' (a password, even one with unencoded '/', '?' or '@' in it) becomes ***.
 */
export function redactUrlText(text: string): string {
  const start = text.indexOf('://');
  const at = text.lastIndexOf('@');
  if (start < 0 || at < start) return text;
  const colon = text.indexOf(':', start + 3);
  if (colon < 0 || colon > at) return text;
  return `${text.slice(0, colon)}:***${text.slice(at)}`;
}

function decoded(part: string, redacted: string, path: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new QueueUrlError(redacted, path, 'bad percent-encoding (expected %XX with two hex digits)');
  }
}

/**
 * The queue URL with its `ca=FILE` made absolute (resolved against the working folder now): what a
 * command that changes its working folder afterwards passes on (a worker moves to its project
 * folder; helper-85: a relative CA path then named another file). The rest of the URL is kept as written.
 */
export function withAbsoluteCa(url: string): string {
  return url.replace(/([?&]ca=)([^&#]*)/, (_, key: string, value: string) => {
    let path: string;
    try {
      path = decodeURIComponent(value);
    } catch {
      return `${key}${value}`; // not decodable: left for the parser to refuse
    }
    return path === '' ? `${key}${value}` : `${key}${encodeURIComponent(resolve(path))}`;
  });
}

/** Parses and checks a queue URL; reads the `ca` file when one is named (relative to the working folder). */
export function parseQueueUrl(text: string): QueueUrl {
  const rough = redactUrlText(text);
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text)?.[1].toLowerCase();
  if (scheme !== 'redis' && scheme !== 'rediss') {
    throw new QueueUrlError(rough, 'scheme', `expected ${QUEUE_URL_FORM}${scheme ? `, got "${scheme}:"` : ''}`);
  }
  // The port as written, for a precise message (the URL parser only says "Invalid URL").
  if (text.slice(scheme.length, scheme.length + 3) !== '://') {
    throw new QueueUrlError(rough, '', `expected ${QUEUE_URL_FORM}: "${scheme}://" then the host`);
  }
  // The authority starts after the last '@', so nothing of a password is ever taken for a port.
  const afterScheme = text.slice(text.indexOf('://') + 3);
  // User and password must hold no raw / ? #: the URL parser would end the authority there and take
  // the password's head for a host and port, its tail for a path — then printed unredacted.
  const userinfo = afterScheme.lastIndexOf('@') < 0 ? '' : afterScheme.slice(0, afterScheme.lastIndexOf('@'));
  if (/[/?#]/.test(userinfo)) {
    throw new QueueUrlError(rough, 'user', 'expected / ? # in the user and password percent-encoded (/ as %2F, ? as %3F, # as %23)');
  }
  const authority = afterScheme.slice(afterScheme.lastIndexOf('@') + 1);
  const portText = /^(?:\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/.exec(authority)?.[1];
  if (portText !== undefined && portText !== '' && (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)) {
    throw new QueueUrlError(rough, 'port', `expected an integer 1–65535, got "${portText}"`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(rough, '', `not a valid URL: expected ${QUEUE_URL_FORM}, with special characters in user and password percent-encoded (e.g. / as %2F, @ as %40)`);
  }
  const shown = new URL(url.href);
  if (shown.password) shown.password = '***';
  const redacted = shown.href;

  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!host) throw new QueueUrlError(redacted, 'host', `expected a host name or address: ${QUEUE_URL_FORM}`);
  if (url.hash) throw new QueueUrlError(redacted, 'fragment', 'expected no #fragment');

  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !(/^\d{1,2}$/.test(dbText) && Number(dbText) <= MAX_DB)) {
    throw new QueueUrlError(redacted, 'db', `expected a database number, an integer 0–${MAX_DB}, got "${decoded(dbText, redacted, 'db')}"`);
  }

  let ca: Buffer | undefined;
  for (const [key, value] of url.searchParams) {
    if (key !== 'ca') throw new QueueUrlError(redacted, key, 'unknown query parameter: expected only ca=FILE (with rediss://)');
    if (scheme !== 'rediss') throw new QueueUrlError(redacted, 'ca', 'a CA file needs TLS: use rediss://');
    if (ca !== undefined) throw new QueueUrlError(redacted, 'ca', 'expected one ca=FILE, got several');
    if (!value) throw new QueueUrlError(redacted, 'ca', 'expected ca=FILE, the path of a PEM file of certificate authorities');
    try {
      ca = readFileSync(value);
    } catch (e) {
      throw new QueueUrlError(redacted, 'ca', `cannot read the CA file ${value} (${ioReason(e)})`);
    }
  }

  const username = url.username ? decoded(url.username, redacted, 'user') : undefined;
  const password = url.password ? decoded(url.password, redacted, 'password') : undefined;
  const connection: RedisOptions = {
    host,
    port: url.port ? Number(url.port) : DEFAULT_PORT,
    db: dbText === '' ? 0 : Number(dbText),
    maxRetriesPerRequest: null,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(scheme === 'rediss' ? { tls: { ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) } } : {}),
  };
  return { connection, redacted };
}
