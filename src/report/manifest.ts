import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a run folder's manifest.json records so the run can be reproduced. */
export interface Manifest {
  readonly tool: 'edelear';
  readonly version: string;
  readonly gitCommit: string | null;
  /** The scenario file: its SHA-256 (of the file's text, which the loader requires to be UTF-8 (`scenario/utf8.ts`): what `sha256sum` gives), the `--set` overrides, and with them the SHA-256 of the text followed by a line `--set …` per override. */
  readonly scenario: { readonly file: string; readonly sha256: string; readonly overrides: readonly string[]; readonly sha256WithOverrides?: string };
  readonly seed: number;
  /** A learning study's seeds (seed, seed + 1, …, one per replication); absent for a single run. */
  readonly seeds?: readonly number[];
  readonly node: string;
  readonly dependencies: Record<string, string>;
  /** Wall seconds of reading the scenario and building the world spec. */
  readonly buildSeconds: number;
  /** Wall seconds of the whole command, from the process's start to writing the last file. */
  readonly wallSeconds: number;
  /** Wall seconds of the event loops (world.run, after each world is constructed), the real training inside them excluded. */
  readonly simulationSeconds: number;
  /** Wall seconds of real training and evaluation (federated learning and its baselines; 0 without a learning section). */
  readonly trainingSeconds: number;
  /** Worlds simulated: 1, or every split, compression and seed of a learning scenario. */
  readonly runs: number;
  /** Events of every run. */
  readonly eventsProcessed: number;
  /** Requests generated per second of simulation (simulationSeconds: neither training nor building nor writing). */
  readonly requestsPerSimulationSecond: number;
  readonly files: readonly string[];
  /**
   * Where the wall seconds of `edelear run` went, in order (absent for a federated study, whose
   * simulationSeconds and trainingSeconds say it): start-up (the process's start to the command's:
   * Node and the modules), reading the scenario, building the world spec (with loading the LP solver
   * it needs, and the learning plan), the checks before the run
   * (offered load, plausibility), constructing the world, its event loop (= simulationSeconds), the
   * summaries, and writing the files (CSV, charts, trace, and the rows of the optional tables they
   * hold). Their sum is wallSeconds less the moments
   * between them (making the output folder, starting the progress bar).
   */
  readonly phaseSeconds?: PhaseSeconds;
  /** Why the run stopped before its end (its results cover [warm-up, stop] only); absent when it ran to the end. */
  readonly incomplete?: string;
}

/** Wall seconds of each phase of a run ({@link Manifest.phaseSeconds}). */
export interface PhaseSeconds {
  readonly startup: number;
  readonly load: number;
  readonly build: number;
  readonly checks: number;
  readonly world: number;
  readonly loop: number;
  readonly summaries: number;
  readonly files: number;
}

/** The package's version and the installed versions of its runtime dependencies. */
export function versions(): { version: string; dependencies: Record<string, string> } {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string; dependencies: Record<string, string> };
  const dependencies: Record<string, string> = {};
  for (const name of Object.keys(pkg.dependencies ?? {}).sort()) {
    try {
      dependencies[name] = (JSON.parse(readFileSync(`${ROOT}node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
    } catch {
      dependencies[name] = 'not installed';
    }
  }
  return { version: pkg.version, dependencies };
}

/**
 * A worker thread's script (CommonJS, run with `eval`): one `git status` whose porcelain v2 header
 * names the commit (`# branch.oid`; "(initial)" before the first commit) and whose other lines are
 * changed tracked files; it posts the text, or null when git fails (no git, not a work tree).
 */
const GIT_STATUS_THREAD = `
const { execFile } = require('node:child_process');
const { parentPort, workerData } = require('node:worker_threads');
execFile('git', ['status', '--porcelain=v2', '--branch', '--untracked-files=no'], { cwd: workerData }, (error, stdout) => parentPort.postMessage(error ? null : stdout));
`;

/** The commit of `git status --porcelain=v2 --branch` output, "+dirty" when a tracked file changed; null before the first commit. */
export function commitOfStatus(status: string): string | null {
  const lines = status.split('\n').filter((l) => l !== '');
  const oid = lines.find((l) => l.startsWith('# branch.oid '))?.slice('# branch.oid '.length).trim();
  if (oid === undefined || !/^[0-9a-f]{7,}$/.test(oid)) return null;
  return lines.some((l) => !l.startsWith('#')) ? `${oid}+dirty` : oid;
}

/**
 * The git commit of the edelear checkout ("+dirty" with uncommitted changes to tracked files), or
 * null outside a git work tree. A run asks at its start and awaits the answer when it writes its
 * manifest: git runs beside it, started from a worker thread, because starting a process blocks the
 * thread that starts it until the child has exec'd (≈ 14 ms per git on this 2-core machine, and the
 * two git commands asked before took ≈ 35 ms of the main thread; a thread costs it ≈ 2 ms).
 */
export function gitCommit(): Promise<string | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(GIT_STATUS_THREAD, { eval: true, workerData: ROOT });
    } catch {
      resolve(null);
      return;
    }
    worker.once('message', (status: string | null) => resolve(status === null ? null : commitOfStatus(status)));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null)); // messages come before 'exit': after one, this does nothing
  });
}

/** The manifest's `scenario`: the file, its text's SHA-256, the overrides, and (with overrides) the SHA-256 of the text with them. */
export function scenarioIdentity(file: string, text: string, overrides: readonly string[]): Manifest['scenario'] {
  return { file, sha256: scenarioHash(text, []), overrides, ...(overrides.length > 0 ? { sha256WithOverrides: scenarioHash(text, overrides) } : {}) };
}

/** SHA-256 of a scenario's text together with its overrides (each as a line `--set …` after it). */
export function scenarioHash(text: string, overrides: readonly string[]): string {
  const h = createHash('sha256').update(text);
  for (const o of overrides) h.update(`\n--set ${o}`);
  return h.digest('hex');
}
