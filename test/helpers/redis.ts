import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Redis } from 'ioredis';

/*
 * A real Redis for the queue tests: Debian's redis-server on 127.0.0.1 at a free port, with
 * persistence into a temporary directory (append-only file, fsync on every write, no RDB
 * snapshots), so a restart() keeps every acknowledged write. Optional ACL user and password, so
 * the tests can check that credentials are used and never leak.
 */

/** The server: REDIS_SERVER, else Debian's /usr/bin/redis-server (.ci/run installs it when missing), else the first on PATH. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? onPath('redis-server') ?? '/usr/bin/redis-server';

function onPath(name: string): string | undefined {
  if (existsSync(`/usr/bin/${name}`)) return `/usr/bin/${name}`;
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find((file) => existsSync(file));
}
export const HAVE_REDIS = existsSync(REDIS_SERVER);
const INSTALL = 'apt-get update && apt-get install -y redis-server (Debian; or set REDIS_SERVER)';

/**
 * Whether the Redis tests run: true when redis-server is installed. When it is absent they are
 * skipped with a message naming how to install it — unless CI is set, where they run and fail.
 * Use as `describe.skipIf(!redisTestsRun(import.meta.url))(…)` and call `expectRedis()` first
 * in beforeAll.
 */
export function redisTestsRun(testFile: string): boolean {
  if (HAVE_REDIS || process.env.CI) return true;
  process.stderr.write(`${testFile} skipped: no redis-server at ${REDIS_SERVER}; install it with: ${INSTALL}\n`);
  return false;
}

/** Throws (fails the test) when redis-server is absent — reached only when CI is set. */
export function expectRedis(): void {
  if (!HAVE_REDIS) throw new Error(`no redis-server at ${REDIS_SERVER} (CI is set, so this fails rather than skips): ${INSTALL}`);
}

export interface RedisOptions {
  /** Data directory (append-only file); by default a new temporary directory, removed when the test process exits. */
  readonly dir?: string;
  /** Password: of `user` when given, else of the default user (requirepass). */
  readonly password?: string;
  /** An ACL user with every key and command; the default user is then switched off. */
  readonly user?: string;
  /**
   * TLS only (no plain port), with a certificate for 127.0.0.1 and localhost signed by a CA made
   * for the occasion with openssl (in DIR/tls/); the URL is then rediss://…?ca=DIR/tls/ca.pem.
   */
  readonly tls?: boolean;
}

export interface RedisServer {
  /** redis://[user:password@]127.0.0.1:PORT/0 (user and password URL-encoded); rediss://…/0?ca=FILE with TLS. */
  readonly url: string;
  /** With TLS: the CA's certificate (PEM) that signed the server's. */
  readonly ca?: string;
  readonly port: number;
  readonly dir: string;
  /** Shuts the server down (SIGTERM: it fsyncs the append-only file) and waits for it to exit. */
  stop(): Promise<void>;
  /** stop() (if running), then the same server again on the same port and directory. */
  restart(): Promise<void>;
  /** SIGKILL, no shutdown: a crash. Acknowledged writes survive (appendfsync always). */
  kill(): Promise<void>;
}

/** A port nobody listens on now: the kernel's choice for a server bound to port 0. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Servers still running are killed, and the temporary directories made here removed, after the
 * test file's last test (vitest kills its fork without an 'exit' event; this hook, registered when
 * a test file imports this module, belongs to that file), or when the process exits (outside vitest).
 */
const running = new Set<ChildProcess>();
const madeDirs = new Set<string>();
function cleanUp(): void {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
  madeDirs.clear();
}
if (process.env.VITEST) {
  // Only under vitest (a bench may use this module too).
  const { afterAll } = await import('vitest');
  afterAll(async () => {
    const left = [...running];
    cleanUp();
    await Promise.all(left.map(exited));
  });
}
process.on('exit', cleanUp);

/** Where openssl is, for TLS (Debian's openssl package): OPENSSL, else /usr/bin/openssl, else the first on PATH. */
export const OPENSSL = process.env.OPENSSL ?? onPath('openssl') ?? '/usr/bin/openssl';
export const HAVE_OPENSSL = existsSync(OPENSSL);

/** A CA and a server certificate for 127.0.0.1 and localhost, signed by it, in DIR/tls/ (made once per DIR). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const tls = join(dir, 'tls');
  const files = { ca: join(tls, 'ca.pem'), cert: join(tls, 'server.pem'), key: join(tls, 'server.key') };
  if (existsSync(files.cert)) return files;
  mkdirSync(tls, { recursive: true });
  const openssl = (args: string[]) => execFileSync(OPENSSL, args, { cwd: tls, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=edelear test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(tls, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
  return files;
}

function serverArgs(port: number, dir: string, options: RedisOptions): string[] {
  const tls = options.tls ? makeCertificates(dir) : undefined;
  const listen = tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [
    ...listen, '--bind', '127.0.0.1',
    '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--save', '',
    '--daemonize', 'no',
  ];
  if (options.user !== undefined) {
    const secret = options.password === undefined ? 'nopass' : `>${options.password}`;
    args.push('--user', 'default', 'off', '--user', options.user, 'on', secret, '~*', '&*', '+@all');
  } else if (options.password !== undefined) {
    args.push('--requirepass', options.password);
  }
  return args;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts redis-server and resolves once it answers PING (with the credentials, if any). */
async function launch(port: number, dir: string, options: RedisOptions): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, serverArgs(port, dir, options), { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let log = '';
  const keep = (chunk: Buffer) => { log = (log + chunk.toString('utf8')).slice(-4000); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => running.delete(child));
  let spawnError: Error | undefined;
  child.once('error', (error) => { spawnError = error; });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`cannot start ${REDIS_SERVER}: ${spawnError.message}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${REDIS_SERVER} on port ${port} exited (${child.exitCode ?? child.signalCode}) before answering PING:\n${log}`);
    }
    if (await answersPing(port, options, dir)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${REDIS_SERVER} on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function answersPing(port: number, options: RedisOptions, dir: string): Promise<boolean> {
  const client = new Redis({
    host: '127.0.0.1', port, username: options.user, password: options.password,
    ...(options.tls ? { tls: { ca: readFileSync(join(dir, 'tls', 'ca.pem')) } } : {}),
    lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
}

/**
 * Starts a redis-server for a test. The free port is found by binding to port 0; if another
 * process takes it before redis-server binds it, the next free port is tried (up to 5 times).
 */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  expectRedis();
  if (options.tls && !HAVE_OPENSSL) throw new Error(`no openssl at ${OPENSSL}, needed to make the TLS certificates: apt-get install -y openssl`);
  let dir = options.dir;
  if (dir === undefined) {
    dir = mkdtempSync(join(tmpdir(), 'edelear-redis-'));
    madeDirs.add(dir);
  }
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, options);
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('Address already in use')) throw error;
    }
  }
  const credentials = options.user !== undefined || options.password !== undefined
    ? `${encodeURIComponent(options.user ?? '')}${options.password === undefined ? '' : `:${encodeURIComponent(options.password)}`}@`
    : '';
  const ca = options.tls ? join(dir, 'tls', 'ca.pem') : undefined;
  let current: ChildProcess | undefined = child;
  const stop = async () => {
    if (current) await terminate(current, 'SIGTERM');
    current = undefined;
  };
  return {
    url: ca ? `rediss://${credentials}127.0.0.1:${port}/0?ca=${encodeURIComponent(ca)}` : `redis://${credentials}127.0.0.1:${port}/0`,
    ...(ca ? { ca } : {}),
    port,
    dir,
    stop,
    async restart() {
      await stop();
      current = await launch(port, dir, options);
    },
    async kill() {
      if (current) await terminate(current, 'SIGKILL');
      current = undefined;
    },
  };
}
