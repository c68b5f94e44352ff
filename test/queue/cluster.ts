import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { parseQueueUrl } from '../../src/sweep/queue/url.ts';
import { bullConnection, queueName, runIdOfJob } from '../../src/sweep/queue/settings.ts';
import { sweepCommand } from '../../src/cli/sweep.ts';
import { InputError, printedInputError } from '../../src/scenario/errors.ts';

/*
 * What the queue tests share: `edelear worker` and `edelear sweep --queue` as child processes of
 * the CLI (bin/edelear.js), a local sweep as the reference, and a look into the queue.
 */

export const ROOT = resolve(import.meta.dirname, '../..');
export const DEFAULT = join(ROOT, 'scenarios/default.yaml');

/** Short locks so a killed worker's job is taken back within about 2 s (sweep/queue/settings.ts). */
export const FAST_LOCKS = { EDELEAR_QUEUE_LOCK_MS: '1000', EDELEAR_QUEUE_STALLED_MS: '500' };

/** Writes a sweep file of the default scenario into `dir`. */
export function sweepFile(dir: string, name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\nscenario: ${JSON.stringify(DEFAULT)}\n${text}`);
  return file;
}

/** A child process of the CLI, its output kept. */
export interface Child {
  readonly process: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

export function edelear(args: readonly string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | string>((res) => child.on('close', (code, signal) => res(code ?? signal ?? 'unknown')));
  return { process: child, stdout: () => out, stderr: () => err, exited };
}

/** The CLI run to its end, blocking this process (only while no worker of this process writes to a pipe: see {@link edelearDone}). */
export function edelearSync(args: readonly string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The CLI run to its end. Not spawnSync: that would block this process's event loop, so the
 * workers' output pipes would not be read, and a worker writing to a full pipe blocks.
 */
export async function edelearDone(args: readonly string[], env: Record<string, string> = {}): Promise<{ status: number | string; stdout: string; stderr: string }> {
  const child = edelear(args, env);
  const status = await child.exited;
  return { status, stdout: child.stdout(), stderr: child.stderr() };
}

/** Waits until `test` holds, polling every 20 ms; fails after `ms`. */
export async function until(test: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts `edelear worker` (one run at a time, short locks) and waits until it has said it is ready. */
export async function startWorkerProcess(url: string, extra: readonly string[] = []): Promise<Child> {
  const child = edelear(['worker', '--queue', url, '--concurrency', '1', ...extra], FAST_LOCKS);
  await until(() => child.stderr().includes('edelear worker: 1 run at a time') || child.process.exitCode !== null, 120_000, 'the worker to start');
  if (child.process.exitCode !== null) throw new Error(`the worker exited (${child.process.exitCode}): ${child.stderr()}`);
  return child;
}

/** Starts `n` workers ({@link startWorkerProcess}) at once; if one fails to start, the others are killed. */
export async function startWorkerProcesses(url: string, n: number): Promise<Child[]> {
  const started = await Promise.allSettled(Array.from({ length: n }, () => startWorkerProcess(url)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed === undefined) return started.map((s) => (s as PromiseFulfilledResult<Child>).value);
  for (const s of started) if (s.status === 'fulfilled') s.value.process.kill('SIGKILL');
  throw failed.reason;
}

/**
 * What the CLI prints for a command run in this process that must refuse its input: main.ts writes
 * an InputError as `printedInputError` makes it, and exits 2. One real spawn per command checks
 * that exit code and printing (a spawned worker or submitter costs ≈ 1–2 CPU-s to start); the
 * other refusals call the command's function, so the same code makes the message.
 */
export async function printedRefusal(command: () => Promise<unknown>): Promise<string> {
  try {
    await command();
  } catch (e) {
    if (e instanceof InputError) return printedInputError(e);
    throw e;
  }
  throw new Error('expected an input error, but the command ended normally');
}

/** The local sweep of `file` into `out` (2 worker threads in this process): the reference. */
export async function localSweep(file: string, out: string): Promise<void> {
  await sweepCommand(file, { workers: 2, out, quiet: true, strict: false, charts: false });
  process.exitCode = undefined;
}

/** The three tables of a results folder. */
export function tables(out: string): Record<string, string> {
  return Object.fromEntries(['summary.csv', 'runs.csv', 'failures.csv'].map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

/** The finished run folders of a results folder. */
export function runFolders(out: string): string[] {
  const runs = join(out, 'runs');
  return existsSync(runs) ? readdirSync(runs).filter((e) => !e.startsWith('.')).sort() : [];
}

/** The queue's job counts by state. */
export async function jobCounts(url: string): Promise<Record<string, number>> {
  const queue = new Queue(queueName(), { connection: bullConnection(parseQueueUrl(url).connection) });
  try {
    return await queue.getJobCounts('completed', 'failed', 'active', 'wait', 'delayed', 'prioritized');
  } finally {
    await queue.close();
  }
}

/** Run ids of the jobs being run now. */
export async function activeJobs(url: string): Promise<string[]> {
  const queue = new Queue(queueName(), { connection: bullConnection(parseQueueUrl(url).connection) });
  try {
    return (await queue.getActive()).map((j) => runIdOfJob(String(j.id)));
  } finally {
    await queue.close();
  }
}

/** Lines of a worker's log saying run `id` ended well. */
export function doneLines(log: string, id: string): number {
  return log.split('\n').filter((l) => l.startsWith(`run ${id} done`)).length;
}
