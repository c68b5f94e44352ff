import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import { staleBuild } from '../../bin/build-state.js';
import type { WorkerOutcome, WorkerTask } from './worker.ts';

/**
 * The worker pool of a sweep (piscina): one thread per worker, each running sweep/worker.
 * The worker file is found next to this module, so the pool runs what the command runs: the
 * compiled dist/sweep/worker.js in an installed package, or src/sweep/worker.ts when the
 * sources run (tsx: bin/edelear.js with a stale build, the tests, the benchmarks) — a thread
 * starts without its parent's loaders, so it is then given tsx's (`--import` tsx's loader,
 * resolved from this package, whatever the working folder).
 */

/** The default number of workers: the cores Node may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * How a worker thread is started: its file, and the loader it needs for TypeScript sources. From
 * the sources, the threads run the compiled dist/sweep/worker.js when dist/ is a build of the
 * current sources (bin/build-state.js, as bin/edelear.js decides): the same code, without tsx's
 * ≈ 1 CPU-second of loading per thread; else the sources through tsx.
 */
export function workerEntry(here = import.meta.url, stale: () => string | undefined = staleBuild): { filename: string; execArgv: string[] | undefined } {
  const sources = new URL(here).pathname.endsWith('.ts');
  if (!sources) return { filename: new URL('./worker.js', here).href, execArgv: undefined };
  if (stale() === undefined) return { filename: new URL('../../dist/sweep/worker.js', here).href, execArgv: undefined };
  const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { filename: new URL('./worker.ts', here).href, execArgv: ['--import', tsx] };
}

/** A pool of `workers` threads that run sweep tasks. */
export function workerPool(workers: number): Piscina<WorkerTask, WorkerOutcome> {
  const { filename, execArgv } = workerEntry();
  return new Piscina<WorkerTask, WorkerOutcome>({
    filename,
    minThreads: workers,
    maxThreads: workers,
    // Threads stay for the whole sweep: each keeps its catalog and compiled modules between runs.
    idleTimeout: 60_000,
    ...(execArgv ? { execArgv } : {}),
  });
}
