import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { codeIdentity } from '../../report/code-identity.ts';
import { workerPool } from '../pool.ts';
import { finishedRun, type RunRecord, runsFolder } from '../store.ts';
import type { WorkerOutcome, WorkerTask } from '../worker.ts';
import { runFolderUnder, validateJob } from './job.ts';
import { checkRedis } from './connect.ts';
import { bullConnection, jobIdOf, lockTimings, MAX_STALLED, queueName } from './settings.ts';
import { parseQueueUrl } from './url.ts';

/** How often a worker that lost the queue asks whether it answers again, ms. */
const RECONNECT_CHECK_MS = 2000;

/**
 * A worker of distributed sweeps (`edelear worker --queue URL`): takes run jobs from the queue
 * (BullMQ, sweep/queue/settings.ts), checks each (sweep/queue/job.ts: its payload, its scenario
 * against the scenario schema, its id against the run id of that scenario and seed) and runs it
 * in a pool of `concurrency` threads (and {@link PREFETCH} more waiting) with the code of a local sweep (sweep/worker.ts through
 * sweep/pool.ts), so this process's event loop stays free to renew its jobs' locks while runs hold
 * their threads; the job's return value is the run's record (runs/<id>/result.json). A job that
 * does not check out fails at once (no retry) and the worker goes on, as does a run that fails for
 * warnings under --strict (the same would come of another try); a run that fails otherwise is tried
 * {@link RUN_ATTEMPTS} times. With `results` (a folder shared with the submitter) the run's files
 * are written under results/runs/<id>/, and a run already there is not run again; without, they
 * go to a private temporary folder, removed once the record is sent.
 */

/**
 * Jobs a worker takes beyond its threads: one waits in the pool's queue while the threads run, so
 * a thread that finishes starts its next run at once instead of after the round trips to Redis
 * (report, fetch, check). The cost: at a sweep's end a run may wait here while another worker is
 * idle. A worker that closes gives it back to the queue unrun (moved to delayed 0, attempts untouched).
 */
export const PREFETCH = 1;

/** Options of {@link startWorker}. */
export interface WorkOptions {
  /** The queue URL (sweep/queue/url.ts). */
  readonly url: string;
  /** Runs at a time (threads of the pool). */
  readonly concurrency: number;
  /** A shared results folder: runs' files go to results/runs/<id>/. */
  readonly results?: string;
  /** Told of each run as it ends (a line for the log). */
  readonly log?: (line: string) => void;
}

/** A running worker. */
export interface RunningWorker {
  /** The queue URL without its password. */
  readonly redacted: string;
  /** The queue it takes jobs from: its code's (settings.ts queueName). */
  readonly queue: string;
  /** Stops taking jobs, lets the runs in progress finish and report, then closes the pool and the connection. */
  close(): Promise<void>;
  /** Stops at once: the runs in progress are abandoned (their jobs go back to the queue when their locks expire). */
  kill(): Promise<void>;
}

/** Starts a worker; it takes jobs until closed. */
export async function startWorker(options: WorkOptions): Promise<RunningWorker> {
  const { connection, redacted } = parseQueueUrl(options.url);
  await checkRedis(connection, redacted);
  const timings = lockTimings();
  const log = options.log ?? (() => {});
  const shared = options.results !== undefined ? resolve(options.results) : undefined;
  const out = shared ?? mkdtempSync(join(tmpdir(), 'edelear-worker-'));
  mkdirSync(runsFolder(out), { recursive: true });
  const pool = workerPool(options.concurrency);

  const code = codeIdentity();
  // The runs in the pool's threads (at most `concurrency`); a prefetched job waits here for a thread,
  // and when the worker closes first it goes back to the queue unrun (helper-83: Ctrl-C ran it too).
  let inPool = 0;
  let closingNow = false;
  const waiting: (() => void)[] = [];
  const freed = () => {
    inPool--;
    waiting.shift()?.();
  };
  const processRun = async (job: Job, token?: string): Promise<RunRecord> => {
    let task: WorkerTask;
    try {
      const run = validateJob(job.data);
      // Only this code's submitters add to this code's queue (settings.ts queueName): a job naming other code was put here by hand.
      if (run.code !== undefined && run.code !== code) throw new Error(`the job names another code, ${run.code}, than this queue's and this worker's, ${code}`);
      runFolderUnder(runsFolder(out), run.id);
      if (job.id !== jobIdOf(run.id)) throw new Error(`the job's id ${JSON.stringify(job.id ?? null).slice(0, 40)} is not its run's, ${jobIdOf(run.id)}`);
      task = { id: run.id, seed: run.seed, overrides: run.overrides, scenarioJson: run.scenarioJson, ...(run.data === undefined ? {} : { data: run.data }), scenarioFile: run.scenarioFile, strict: run.strict, baseWarnings: run.baseWarnings, out, root: process.cwd() };
    } catch (e) {
      // A malformed or hostile job: refused for good, and the worker goes on.
      const why = e instanceof Error ? e.message : String(e);
      // A JobError's message starts with its run id's label ("job "…": …"): not said twice when that is the job's own id.
      const label = `job ${JSON.stringify(String(job.id)).slice(0, 40)}`;
      const error = `refused ${label}: ${why.startsWith(`${label}: `) ? why.slice(label.length + 2) : why}`;
      log(`error: ${error}`);
      throw new UnrecoverableError(error);
    }
    if (shared) {
      // Already run (by a worker that died before it could report): its folder is complete.
      const done = finishedRun(out, task.id, code);
      if (done) return done;
    }
    while (inPool >= options.concurrency && !closingNow) await new Promise<void>((wake) => waiting.push(wake));
    if (closingNow) {
      // Not started: back to the queue for another worker, its attempts untouched.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    inPool++;
    const t0 = performance.now();
    let outcome: WorkerOutcome;
    try {
      outcome = await pool.run(task);
    } catch (e) {
      outcome = { id: task.id, ok: false, error: `the worker died: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      freed();
    }
    if (!shared) rmSync(join(runsFolder(out), task.id), { recursive: true, force: true });
    const seconds = ((performance.now() - t0) / 1000).toFixed(3);
    if (!outcome.ok) {
      if (outcome.final) {
        // Another attempt would fail the same way (warnings under --strict): failed for good at once (helper-83: tried twice).
        log(`error: run ${task.id} failed (${seconds} s; not tried again: the same would come of it): ${outcome.error}`);
        throw new UnrecoverableError(outcome.error);
      }
      log(`error: run ${task.id} failed (attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}, ${seconds} s): ${outcome.error}`);
      throw new Error(outcome.error);
    }
    log(`run ${task.id} done (${seconds} s)`);
    return outcome.record;
  };

  const queue = queueName(code);
  const worker = new Worker(queue, processRun, {
    connection: bullConnection(connection),
    concurrency: options.concurrency + PREFETCH,
    ...timings,
    maxStalledCount: MAX_STALLED,
    autorun: false,
  });
  // Connection errors (Redis down, restarting): ioredis reconnects by itself; said once per outage.
  let down = false;
  // BullMQ's 'ready' comes once, at the start, not after ioredis reconnects: while down, the queue
  // is asked (a PING on a connection of its own) every RECONNECT_CHECK_MS until it answers, or a job comes.
  let probe: NodeJS.Timeout | undefined;
  let probing = false;
  const answered = () => {
    if (probe !== undefined) clearInterval(probe);
    probe = undefined;
    if (down) log(`queue ${redacted}: connected again`);
    down = false;
  };
  worker.on('error', (e) => {
    if (down) return;
    down = true;
    log(`warning: queue ${redacted}: ${e.message} (reconnecting)`);
    probe = setInterval(() => {
      if (probing) return;
      probing = true;
      checkRedis(connection, redacted)
        .then(answered, () => undefined)
        .finally(() => (probing = false));
    }, RECONNECT_CHECK_MS);
    probe.unref();
  });
  worker.on('active', answered);
  const running = worker.run();
  await worker.waitUntilReady();
  let closing: Promise<void> | undefined;
  const cleanUp = async () => {
    await pool.destroy();
    if (!shared) rmSync(out, { recursive: true, force: true });
  };
  return {
    redacted,
    queue,
    close: () =>
      (closing ??= (async () => {
        if (probe !== undefined) clearInterval(probe);
        closingNow = true;
        for (const wake of waiting.splice(0)) wake(); // the prefetched jobs go back
        await worker.close();
        await running;
        await cleanUp();
      })()),
    kill: async () => {
      if (probe !== undefined) clearInterval(probe);
      await worker.close(true);
      await cleanUp();
    },
  };
}
