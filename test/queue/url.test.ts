import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.ts';
import { QueueUrlError, parseQueueUrl, redactUrlText } from '../../src/sweep/queue/url.ts';
import { expectRedis, HAVE_OPENSSL, type RedisServer, redisTestsRun, startRedis } from '../helpers/redis.ts';

/*
 * The --queue URL (src/sweep/queue/url.ts): every expected value below is read off the URL by
 * hand (RFC 3986 parts; Redis's defaults: port 6379, database 0 of 0–15).
 */

/** The error's text, or '' when it parses. */
function problem(url: string): string {
  try {
    parseQueueUrl(url);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(QueueUrlError);
    expect(e).toBeInstanceOf(InputError); // the CLI's bad-input path: message, exit 2
    return (e as Error).message;
  }
}

describe('parseQueueUrl', () => {
  it('reads host, port, database, ACL user and password (percent-decoded)', () => {
    const { connection, redacted } = parseQueueUrl('redis://sweeper:p%40ss%2Fw%3Ard@queue.lab:6380/7');
    expect(connection).toEqual({ host: 'queue.lab', port: 6380, db: 7, username: 'sweeper', password: 'p@ss/w:rd', maxRetriesPerRequest: null });
    expect(redacted).toBe('redis://sweeper:***@queue.lab:6380/7');
  });

  it('defaults to port 6379 and database 0, with no credentials and no TLS', () => {
    expect(parseQueueUrl('redis://localhost').connection).toEqual({ host: 'localhost', port: 6379, db: 0, maxRetriesPerRequest: null });
    expect(parseQueueUrl('redis://localhost/').connection.db).toBe(0);
    expect(parseQueueUrl('redis://127.0.0.1:7000/15').connection).toMatchObject({ host: '127.0.0.1', port: 7000, db: 15 });
  });

  it('takes a password alone as the default user\'s, and an IPv6 address without brackets', () => {
    const { connection, redacted } = parseQueueUrl('redis://:hunter2@[::1]:6379/1');
    expect(connection).toEqual({ host: '::1', port: 6379, db: 1, password: 'hunter2', maxRetriesPerRequest: null });
    expect(redacted).toBe('redis://:***@[::1]:6379/1');
  });

  it('turns on TLS for rediss://, with the server name checked and an optional CA file read', () => {
    expect(parseQueueUrl('rediss://queue.lab').connection.tls).toEqual({ servername: 'queue.lab' });
    expect(parseQueueUrl('rediss://10.0.0.5:6380').connection.tls).toEqual({}); // no SNI for an address (RFC 6066)
    const dir = mkdtempSync(join(tmpdir(), 'edelear-url-'));
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const tls = parseQueueUrl(`rediss://u:pw@queue.lab?ca=${encodeURIComponent(ca)}`).connection.tls as { ca: Buffer; servername: string };
    expect(tls.servername).toBe('queue.lab');
    expect(tls.ca.toString('utf8')).toContain('BEGIN CERTIFICATE');
    expect(problem(`rediss://u:pw@queue.lab?ca=${join(dir, 'missing.pem')}`)).toBe(
      `--queue rediss://u:***@queue.lab?ca=${join(dir, 'missing.pem')}: ca: cannot read the CA file ${join(dir, 'missing.pem')} (ENOENT: no such file)`,
    );
  });

  it('rejects bad URLs with the part that is wrong and what was expected', () => {
    expect(problem('http://queue.lab')).toMatch(/^--queue http:\/\/queue\.lab: scheme: expected redis:\/\/\[user\[:password\]@\]host\[:port\]\[\/db\] .*got "http:"$/);
    expect(problem('queue.lab:6379')).toMatch(/scheme: expected redis:\/\//);
    expect(problem('redis:queue.lab')).toMatch(/"redis:\/\/" then the host$/);
    expect(problem('redis://queue.lab:65536')).toBe('--queue redis://queue.lab:65536: port: expected an integer 1–65535, got "65536"');
    expect(problem('redis://queue.lab:0')).toBe('--queue redis://queue.lab:0: port: expected an integer 1–65535, got "0"');
    expect(problem('redis://queue.lab:http')).toBe('--queue redis://queue.lab:http: port: expected an integer 1–65535, got "http"');
    expect(problem('redis://queue.lab/16')).toBe('--queue redis://queue.lab/16: db: expected a database number, an integer 0–15, got "16"');
    expect(problem('redis://queue.lab/-1')).toMatch(/db: expected a database number, an integer 0–15, got "-1"$/);
    expect(problem('redis://queue.lab/1.5')).toMatch(/db: .*got "1\.5"$/);
    expect(problem('redis://queue.lab/0/1')).toMatch(/db: .*got "0\/1"$/);
    expect(problem('redis://queue.lab?ca=x.pem')).toMatch(/ca: a CA file needs TLS: use rediss:\/\/$/);
    expect(problem('redis://queue.lab?timeout=5')).toMatch(/timeout: unknown query parameter/);
    expect(problem('redis://queue.lab#x')).toMatch(/fragment: expected no #fragment$/);
    expect(problem('redis:///3')).toMatch(/host: expected a host name or address/);
    expect(problem('redis://:pw@/3')).toMatch(/not a valid URL/);
    expect(problem('redis://u:%zz@queue.lab')).toBe('--queue redis://u:***@queue.lab: password: bad percent-encoding (expected %XX with two hex digits)');
  });

  it('never puts the password in an error, even in a URL that does not parse', () => {
    // Review of fae688f: a password whose head reads as a port (empty or digits) and whose tail holds a raw / ? #.
    for (const url of ['redis://u:/s3cr3t@queue.lab', 'redis://u:12/s3cr3t@queue.lab', 'redis://u:12?s3cr3t@queue.lab', 'redis://u:1#s3cr3t@queue.lab']) {
      const message = problem(url);
      expect(message).toMatch(/^--queue redis:\/\/u:\*\*\*@queue\.lab: user: expected \/ \? # in the user and password percent-encoded/);
      expect(message).not.toMatch(/s3c|r3t/);
    }
    for (const url of ['redis://u:s3cr3t/x@queue.lab', 'redis://u:s3cr3t@queue.lab:99999', 'redis://u:s3c@r3t@queue.lab/16', 'ftp://u:s3cr3t@queue.lab', 'redis://u:s3cr3t@queue.lab?ca=x']) {
      const message = problem(url);
      expect(message).toMatch(/^--queue .*u:\*\*\*@/);
      expect(message).not.toMatch(/s3c|r3t/);
    }
  });

  it('redacts raw text: from the first ":" after "//" to the last "@"', () => {
    expect(redactUrlText('redis://u:a@b/c@h:1/2')).toBe('redis://u:***@h:1/2');
    expect(redactUrlText('redis://h:1/2')).toBe('redis://h:1/2');
    expect(redactUrlText('redis://user@h')).toBe('redis://user@h');
  });
});

if (!HAVE_OPENSSL && !process.env.CI) process.stderr.write('test/queue/url.test.ts: the TLS test is skipped: no openssl to make its certificates; install it with: apt-get install -y openssl\n');

describe.skipIf(!redisTestsRun('test/queue/url.test.ts') || (!HAVE_OPENSSL && !process.env.CI))('rediss:// against a real TLS redis-server', () => {
  let server: RedisServer;

  beforeAll(async () => {
    expectRedis();
    server = await startRedis({ tls: true, user: 'sweeper', password: 'tls-Zq7' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** PING through the URL's options: 'PONG' and the ACL user, or the error's message. */
  async function ping(url: string): Promise<string> {
    const client = new Redis({ ...parseQueueUrl(url).connection, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    // ioredis rejects connect() with "Connection is closed."; the reason is its first 'error' event.
    let reason: string | undefined;
    client.on('error', (e: Error) => {
      reason ??= e.message;
    });
    try {
      await client.connect();
      return `${await client.ping()} as ${String(await client.acl('WHOAMI'))}`;
    } catch (e) {
      return reason ?? (e as Error).message;
    } finally {
      client.disconnect();
    }
  }

  it('connects with ?ca= and the ACL user, by address and by name (the certificate is checked against both)', async () => {
    expect(server.url).toBe(`rediss://sweeper:tls-Zq7@127.0.0.1:${server.port}/0?ca=${encodeURIComponent(server.ca!)}`);
    expect(await ping(server.url)).toBe('PONG as sweeper');
    expect(await ping(server.url.replace('127.0.0.1', 'localhost'))).toBe('PONG as sweeper');
  });

  it('is refused without the CA (a certificate no system CA signed), or with a wrong password', async () => {
    expect(await ping(server.url.replace(/\?ca=.*$/, ''))).toMatch(/self[- ]signed certificate|unable to verify|unable to get local issuer/i);
    expect(await ping(server.url.replace('tls-Zq7', 'wrong'))).toMatch(/WRONGPASS/);
  });
});

describe('a queue URL passed on by a command that changes its folder', () => {
  it('has its ca=FILE made absolute where the command was started, the rest kept as written (helper-85: a worker read the CA file from its project folder)', async () => {
    const { withAbsoluteCa } = await import('../../src/sweep/queue/url.ts');
    const { resolve } = await import('node:path');
    expect(withAbsoluteCa('rediss://u:p%40ss@host:6380/2?ca=certs/ca.pem')).toBe(`rediss://u:p%40ss@host:6380/2?ca=${encodeURIComponent(resolve('certs/ca.pem'))}`);
    expect(withAbsoluteCa('redis://host:6379/0')).toBe('redis://host:6379/0');
    expect(withAbsoluteCa('rediss://host?ca=%2Fetc%2Fca.pem')).toBe(`rediss://host?ca=${encodeURIComponent('/etc/ca.pem')}`);
  });
});
