import { writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isInside } from '../../scenario/load.ts';
import { InputError } from '../../scenario/errors.ts';
import { projectFolder } from './project.ts';
import { Job, Queue, QueueEvents } from 'bullmq';
import { codeIdentity } from '../../report/code-identity.ts';
import { foundRuns, type SweepOutcome, writeSweepTables } from '../execute.ts';
import type { RunTask, SweepPlan } from '../plan.ts';
import type { Sweep } from '../schema.ts';
import { finishedRun, prepareRunsFolder, RESULT_FILE, type RunRecord, recordJson, strictOutcome, writeRunFolder } from '../store.ts';
import type { RunJob } from './job.ts';
import { checkRedis } from './connect.ts';
import { bullConnection, JOB_NAME, jobIdOf, queueName, runIdOfJob, runJobOptions } from './settings.ts';
import { parseQueueUrl } from './url.ts';

/**
 * A sweep through the queue (`edelear sweep FILE --queue URL`): the runs the results folder does
 * not hold finished (the local sweep's resume rule, sweep/store.ts) are added as BullMQ jobs whose
 * ids are the run ids — adding a job whose id the queue holds adds nothing, so submitting again,
 * re-attaching (`--collect`) or two sweeps sharing a run never run it twice. Then the submitter
 * waits: each finished job's return value is the run's record, written to runs/<id>/result.json
 * (beside scenario.json) as a local worker writes it; a job that failed for good is the run's
 * error. The tables are then written by the local sweep's code (sweep/summary.ts) from the
 * records read back from runs/, so they are those of a local sweep byte for byte.
 *
 * Completion is seen two ways: BullMQ's queue events (at once), and a look at every job still
 * awaited every {@link RECONCILE_MS} (events are not replayed to a submitter that was away, and a
 * Redis restart may drop them). Plain submission (not `--collect`) also puts a run whose job
 * failed earlier back in the queue, as a local sweep started again runs its failed runs again.
 */

/** How often the jobs still awaited are looked at, besides the queue's events, ms. */
export const RECONCILE_MS = 2000;
/** Jobs added per Redis round trip. */
const ADD_CHUNK = 500;

/** Options of {@link submitSweep}. */
export interface SubmitOptions {
  /** The queue URL (sweep/queue/url.ts). */
  readonly url: string;
  /** Add the jobs and return without waiting. */
  readonly detach: boolean;
  /** Re-attach to a sweep submitted before: failed runs are reported, not queued again. */
  readonly collect: boolean;
  /** The results folder (made by the caller). */
  readonly out: string;
  readonly strict: boolean;
  /** The base scenario's warnings, as formatted. */
  readonly baseWarnings: readonly string[];
  /** Told, once the jobs are in the queue, how many runs are awaited and where (the URL without its password). */
  readonly submitted?: (awaited: number, redacted: string) => void;
  /** Told after each awaited run ends: how many of `total` are done and how many of those failed. */
  readonly progress?: (done: number, total: number, failed: number) => void;
  /** Told each run that failed for good. */
  readonly failure?: (id: string, error: string) => void;
  /** Told when the queue cannot be reached (once per outage; the URL without its password). */
  readonly warn?: (line: string) => void;
  /** Told when the queue answers again after an outage {@link warn} told of (as a worker says it). */
  readonly reconnected?: (line: string) => void;
}

/** What a detached submission did. */
export interface Detached {
  readonly detached: true;
  readonly distinct: number;
  readonly alreadyDone: number;
  /** Runs in the queue for this sweep (added now or there before). */
  readonly queued: number;
  /** Of them, the runs added now (the others were on the queue already: a sweep submitted again adds nothing). */
  readonly added: number;
  readonly redacted: string;
}

/**
 * The scenario file as a job names it: relative to the project folder (the submitter's checkout,
 * {@link projectFolder}), which a worker started in its own checkout resolves on any machine. A
 * file outside it, or a submission from outside any checkout (which no worker could serve: a worker
 * refuses to start there), is refused (exit 2): a worker reads only files inside its project folder.
 */
export function jobScenarioPath(file: string, cwd = process.cwd(), root = projectFolder(cwd)): string {
  if (root === undefined) {
    throw new InputError(file, [{ path: '', message: `expected a queued sweep submitted from a checkout of the project (a folder with package.json, or one inside it), where workers find the same files; none found from ${resolve(cwd)}` }]);
  }
  const absolute = resolve(cwd, file);
  if (!isInside(root, absolute)) {
    throw new InputError(file, [{ path: '', message: `expected a scenario inside the project folder ${root} (a queued sweep's workers read only their own checkout of the project, where they find it by the same relative path); copy it into the project` }]);
  }
  return relative(root, absolute).split(sep).join('/');
}

/** A run's job payload: what sweep/worker.ts needs, the validated scenario itself (checked by the worker) and the scenario file ({@link jobScenarioPath}). */
export function runJob(task: RunTask, options: Pick<SubmitOptions, 'strict' | 'baseWarnings'>, scenarioFile: string): RunJob {
  const path = jobScenarioPath(scenarioFile);
  return {
    id: task.id,
    seed: task.seed,
    scenario: JSON.parse(task.scenarioJson) as unknown,
    overrides: task.overrides,
    scenarioFile: path,
    strict: options.strict,
    // As the worker words its own (file:line: …, the file as the job names it), so it tells them apart: else every base warning came back as each run's own.
    baseWarnings: path === scenarioFile ? options.baseWarnings : options.baseWarnings.map((w) => w.replaceAll(`${scenarioFile}:`, `${path}:`)),
    code: codeIdentity(),
    ...(task.data === undefined ? {} : { data: task.data }),
  };
}

/** Submits the sweep's missing runs and, unless detached, waits for them and writes the tables. */
export async function submitSweep(sweep: Sweep, plan: SweepPlan, options: SubmitOptions): Promise<SweepOutcome | Detached> {
  const { out } = options;
  const { connection, redacted } = parseQueueUrl(options.url);
  // Workers may be writing into this folder (--results): only this machine's dead writers' partial folders go.
  const partialRemoved = prepareRunsFolder(out, true);
  const code = codeIdentity();
  const { finished, errors, todo, stale, unreadable, keptFailedStrict } = foundRuns(sweep, plan, out, options);
  const alreadyDone = finished.size;
  // A worker names the scenario file as the job does (jobScenarioPath); the tables name it as the sweep file does, as a local sweep's.
  const jobPath = jobScenarioPath(sweep.scenario);
  const asSubmitted = (text: string): string => (jobPath === sweep.scenario ? text : text.replaceAll(`${jobPath}:`, `${sweep.scenario}:`));
  /** Of the runs to do, those on the queue before this submission, and of them those it holds done (helper-83: counted as run now). */
  let onQueue = 0;
  const doneOnQueue = new Set<string>();
  if (todo.length > 0) await queueRuns();
  else if (!options.detach) options.submitted?.(0, redacted);
  if (options.detach) return { detached: true, distinct: plan.tasks.size, alreadyDone, queued: todo.length, added: todo.length - onQueue, redacted };
  // Found done on the queue and kept (a record --strict fails, or one to run again, is not done: helper-85).
  const kept = [...doneOnQueue].filter((id) => finished.has(id) && !errors.has(id)).length;
  return writeSweepTables(sweep, plan, out, { alreadyDone: alreadyDone + kept, executed: todo.length - kept, partialRemoved, stale, unreadable, keptFailedStrict, finished, errors });

  /** Adds the runs to do to the queue and, unless detached, waits for each one's record or error. */
  async function queueRuns(): Promise<void> {
    await checkRedis(connection, redacted);
    const bull = bullConnection(connection);
    const name = queueName(code);
    const queue = new Queue(name, { connection: bull });
    let down = false;
    const onError = (e: Error) => {
      if (down) return;
      down = true;
      options.warn?.(`queue ${redacted}: ${e.message} (reconnecting)`);
    };
    queue.on('error', onError);
    /** The queue answered: an outage warned of is over (said once, as a worker says it). */
    const answered = () => {
      if (!down) return;
      down = false;
      options.reconnected?.(`queue ${redacted}: connected again`);
    };
    // Events are listened to before the first look at every awaited job, so no completion falls between the two.
    const events = options.detach ? undefined : new QueueEvents(name, { connection: bull });
    events?.on('error', onError);
    try {
      await queue.waitUntilReady();
      await events?.waitUntilReady();
      const add = async (tasks: readonly RunTask[]) => {
        for (let i = 0; i < tasks.length; i += ADD_CHUNK) {
          await queue.addBulk(tasks.slice(i, i + ADD_CHUNK).map((t) => ({ name: JOB_NAME, data: runJob(t, options, sweep.scenario), opts: runJobOptions(t.id) })));
        }
      };
      // What the queue holds of them already: done there (by an earlier submission), waiting, or nothing.
      for (let i = 0; i < todo.length; i += ADD_CHUNK) {
        const jobs = await Promise.all(todo.slice(i, i + ADD_CHUNK).map((t) => Job.fromId(queue, jobIdOf(t.id)) as Promise<Job<RunJob, unknown> | undefined>));
        jobs.forEach((job, j) => {
          if (!job) return;
          onQueue++;
          if (job.finishedOn && job.returnvalue !== null && job.returnvalue !== undefined) doneOnQueue.add(todo[i + j].id);
        });
      }
      if (options.collect && onQueue < todo.length) {
        options.warn?.(
          `${todo.length - onQueue} of the ${todo.length} runs this sweep awaits were not on the queue, so --collect submits them now: the sweep file, its scenario or data files changed since it was submitted, it never was, or its jobs expired (the queue keeps a finished job 7 days); runs an earlier version submitted still run, and their results go nowhere`,
        );
      }
      await add(todo);
      if (options.detach) return;
      options.submitted?.(todo.length, redacted);

      const byId = new Map(todo.map((t) => [t.id, t]));
      const awaited = new Set(byId.keys());
      let done = 0;
      let settle: () => void = () => {};
      const allDone = new Promise<void>((res) => {
        settle = res;
      });
      const ended = (id: string, error?: string) => {
        awaited.delete(id);
        done++;
        if (error !== undefined) {
          errors.set(id, error);
          options.failure?.(id, error);
        }
        options.progress?.(done, todo.length, errors.size - keptFailedStrict);
        if (awaited.size === 0) settle();
      };
      /** Looks at a job: takes its record or error if it finished; adds it again if the queue lost it. */
      const look = async (id: string, retryFailed = false): Promise<void> => {
        const job = (await Job.fromId(queue, jobIdOf(id))) as Job<RunJob, unknown> | undefined;
        answered();
        if (!awaited.has(id)) return;
        if (!job) {
          // Removed (kept only KEEP_FINISHED_S) or lost with an unpersisted Redis: queued again.
          await add([byId.get(id)!]);
          return;
        }
        if (!job.finishedOn) return;
        if (job.failedReason && (job.returnvalue === null || job.returnvalue === undefined)) {
          if (retryFailed) {
            // Retried with this submission's payload: the job kept the one it failed with (another
            // scenario path to the same run, --strict or not), which would fail the same way again.
            await job.updateData(runJob(byId.get(id)!, options, sweep.scenario)).catch(() => undefined);
            // Another look may have put it back already: then it is no longer in the failed state.
            await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).catch(() => undefined);
            return;
          }
          ended(id, asSubmitted(job.failedReason));
          return;
        }
        const record = job.returnvalue as RunRecord | null;
        if (record === null || typeof record !== 'object' || record.id !== id) {
          ended(id, `the worker returned no record of run ${id}`);
          return;
        }
        const task = byId.get(id)!;
        if (record.code !== code) {
          // This code's queue takes this code's workers only (settings.ts queueName): a record of other code was put here by hand.
          ended(id, `the worker returned a record of other code (${String(record.code).slice(0, 16)}) than this sweep's, ${code}`);
          return;
        }
        const shown: RunRecord = {
          ...record,
          warnings: Array.isArray(record.warnings) ? record.warnings.map((w) => asSubmitted(String(w))) : record.warnings,
          ...(Array.isArray(record.scenarioWarnings) ? { scenarioWarnings: record.scenarioWarnings.map((w) => asSubmitted(String(w))) } : {}),
          ...(Array.isArray(record.notes) ? { notes: record.notes.map((w) => asSubmitted(String(w))) } : {}),
        };
        // A run done for a submission without --strict, judged as --strict would have judged it.
        const strict = options.strict ? strictOutcome(shown, sweep.scenario) : undefined;
        if (strict !== undefined) {
          if (strict === 'rerun') {
            await job.remove().catch(() => undefined);
            await add([task]);
          } else ended(id, strict);
          return;
        }
        writeRunFolder(out, id, (folder) => {
          writeFileSync(join(folder, 'scenario.json'), `${task.scenarioJson}\n`);
          writeFileSync(join(folder, RESULT_FILE), recordJson(shown));
        });
        // Read back as a resumed local sweep reads it (null figures become NaN).
        const read = finishedRun(out, id);
        if (read) finished.set(id, read);
        ended(id, read ? undefined : `run ${id}'s record could not be written to ${out}`);
      };
      const lookAll = async (retryFailed = false) => {
        const ids = [...awaited];
        for (let i = 0; i < ids.length; i += ADD_CHUNK) await Promise.all(ids.slice(i, i + ADD_CHUNK).map((id) => look(id, retryFailed)));
      };
      const onEvent = ({ jobId }: { jobId: string }) => {
        const id = runIdOfJob(jobId);
        if (awaited.has(id)) look(id).catch(onError);
      };
      events?.on('completed', onEvent);
      events?.on('failed', onEvent);
      if (awaited.size === 0) settle();
      // Runs whose jobs failed before this submission go back to the queue (not when collecting); from now on a failure is final.
      await lookAll(!options.collect);
      // Workers take jobs of their own code only (settings.ts queueName): say so when runs wait and none takes this code's.
      if (awaited.size > 0 && (await queue.getWorkersCount().catch(() => 1)) === 0) {
        options.warn?.(`no worker takes jobs from queue ${name} yet (the sweep waits): a worker takes only the runs of its own code, so start \`edelear worker --queue URL\` from a checkout and build of this same code (code ${code})`);
      }
      let timer: NodeJS.Timeout | undefined;
      const tick = () => {
        timer = setTimeout(() => {
          lookAll()
            .then(answered, onError)
            .finally(() => {
              if (awaited.size > 0) tick();
            });
        }, RECONCILE_MS);
      };
      tick();
      await allDone;
      clearTimeout(timer);
    } finally {
      await events?.close();
      await queue.close();
    }
  }
}
