import { resolve } from 'node:path';
import { InputError } from '../scenario/errors.ts';
import { defaultWorkers } from '../sweep/pool.ts';

/*
 * `edelear worker --queue URL [--concurrency N] [--results DIR]`: a worker of distributed sweeps
 * (sweep/queue/work.ts) until SIGINT or SIGTERM. The first signal stops taking jobs and lets the
 * runs in progress finish and report (exit 0); a second one stops at once (exit 130), leaving
 * those runs' jobs to go back to the queue when their locks expire. Every line names the queue by
 * its URL without the password.
 */

/** Options of `edelear worker`. */
export interface WorkerCommandOptions {
  readonly queue: string;
  /** Runs at a time (default: the cores). */
  readonly concurrency?: number;
  /** A results folder shared with the submitter: runs' files go to DIR/runs/<id>/. */
  readonly results?: string;
  readonly quiet: boolean;
}

/** Exit code of a worker stopped by a second signal. */
const EXIT_INTERRUPTED = 130;

/** `edelear worker`. */
export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const [{ startWorker }, { projectFolder }, { withAbsoluteCa }] = await Promise.all([import('../sweep/queue/work.ts'), import('../sweep/queue/project.ts'), import('../sweep/queue/url.ts')]);
  const concurrency = options.concurrency ?? defaultWorkers();
  const say = (line: string) => {
    if (!options.quiet || line.startsWith('error:') || line.startsWith('warning:')) process.stderr.write(`${line}\n`);
  };
  // Jobs name their files relative to the project folder: the worker works from its own checkout's, wherever in it (or outside) it was started (helper-83).
  const root = projectFolder();
  if (root === undefined) {
    throw new InputError('edelear worker', [{ path: '', message: `expected to be started in a checkout of the project (a folder with package.json, or one inside it), where the jobs' scenario and data files are; none found from ${process.cwd()}` }]);
  }
  const results = options.results === undefined ? undefined : resolve(options.results);
  const url = withAbsoluteCa(options.queue); // a relative ?ca=FILE names the file where the worker was started
  process.chdir(root);
  const worker = await startWorker({ url, concurrency, results, log: say });
  say(
    `edelear worker: ${concurrency} run${concurrency === 1 ? '' : 's'} at a time from ${worker.redacted} (queue ${worker.queue}: sweeps submitted from this same code), project folder ${root}; ${results ? `runs' files in ${results}/runs/` : "runs' records returned through the queue"}; Ctrl-C stops after the runs in progress`,
  );
  await new Promise<void>((resolveStop) => {
    let signals = 0;
    const stop = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) {
        say(`edelear worker: ${signal}: finishing the runs in progress (again to stop at once)`);
        worker.close().then(resolveStop, (e: unknown) => {
          say(`error: stopping the worker: ${e instanceof Error ? e.message : String(e)}`);
          process.exit(1);
        });
      } else {
        say(`edelear worker: ${signal}: stopped; the runs in progress go back to the queue when their locks expire`);
        process.exit(EXIT_INTERRUPTED);
      }
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  say('edelear worker: stopped');
}
