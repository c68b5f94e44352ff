import type { ConnectionOptions, JobsOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';
import { codeIdentity } from '../../report/code-identity.ts';
import { InputError } from '../../scenario/errors.ts';

/**
 * What the submitter (`edelear sweep FILE --queue URL`, sweep/queue/submit.ts) and the workers
 * (`edelear worker --queue URL`, sweep/queue/work.ts) agree on: one BullMQ queue for every sweep
 * of one code (report/code-identity.ts), whose job ids are run ids (sweep/run-id.ts), so a run
 * asked for by two sweeps, or submitted twice, is one job and runs once; how often a failing run
 * is tried; how long a finished job's result is kept for a submitter to collect; and how soon a
 * job whose worker died is taken back.
 */

/** The prefix of the queues' names (Redis keys `bull:edelear-runs-<code>:*`). */
export const QUEUE_NAME = 'edelear-runs';

/**
 * The queue of the runs of one code (default: this process's): `edelear-runs-<code>`. Workers take
 * jobs only from their own code's queue, so a worker started from another checkout or build never
 * runs a job of this code's sweeps (its figures would be another build's), and a job left by an
 * earlier build's submission never meets this code's workers.
 */
export function queueName(code = codeIdentity()): string {
  return `${QUEUE_NAME}-${code}`;
}

/** BullMQ job name of a run. */
export const JOB_NAME = 'run';

/** Tries of a run that fails (a deterministic failure fails each time; a worker's thread that died may not). */
export const RUN_ATTEMPTS = 2;

/** Finished jobs (results and errors) are kept this long for a submitter to collect: 7 days, in seconds. */
export const KEEP_FINISHED_S = 7 * 24 * 3600;

/**
 * The job id of a run: the run id itself — but BullMQ refuses a custom job id that reads as a
 * decimal integer (its own ids are integers), which a run id of 16 hex digits is with probability
 * about (10/16)^16 ≈ 5·10⁻⁴; such a run's job is `run-<id>`. One id per run either way.
 */
export function jobIdOf(runId: string): string {
  return `${parseInt(runId, 10)}` === runId ? `run-${runId}` : runId;
}

/** The run id of a job id ({@link jobIdOf} undone). */
export function runIdOfJob(jobId: string): string {
  return jobId.startsWith('run-') ? jobId.slice(4) : jobId;
}

/** Options of every run's job: its id is the run's ({@link jobIdOf}). */
export function runJobOptions(id: string): JobsOptions {
  return {
    jobId: jobIdOf(id),
    attempts: RUN_ATTEMPTS,
    backoff: { type: 'fixed', delay: 1000 },
    removeOnComplete: { age: KEEP_FINISHED_S },
    removeOnFail: { age: KEEP_FINISHED_S },
  };
}

/**
 * A connection for BullMQ: ioredis options with `maxRetriesPerRequest: null`, which BullMQ
 * requires of a worker's blocking connection and which makes every command wait through a Redis
 * restart instead of failing; reconnection is retried for ever, at most every 2 s.
 */
export function bullConnection(connection: RedisOptions): ConnectionOptions {
  return { ...connection, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: (times: number) => Math.min(100 * times, 2000) };
}

/**
 * How long a worker's lock on a job lasts, ms (BullMQ renews it at half that while the run goes
 * on), and how often workers look for jobs whose lock expired (their worker died): those go back
 * to the queue for another worker. BullMQ's defaults (30 s each); EDELEAR_QUEUE_LOCK_MS and
 * EDELEAR_QUEUE_STALLED_MS set them (the tests make them short). A job found stalled more than
 * {@link MAX_STALLED} times fails.
 */
export function lockTimings(env: NodeJS.ProcessEnv = process.env): { lockDuration: number; stalledInterval: number } {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 100) throw new InputError(`environment variable ${name}`, [{ path: '', message: `expected a whole number of milliseconds, at least 100, got "${text}"` }]);
    return n;
  };
  return { lockDuration: read('EDELEAR_QUEUE_LOCK_MS', 30_000), stalledInterval: read('EDELEAR_QUEUE_STALLED_MS', 30_000) };
}

/** Times a job may be taken back from a dead worker before it fails. */
export const MAX_STALLED = 2;
