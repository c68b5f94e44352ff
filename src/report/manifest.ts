import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a run folder's manifest.json records so the run can be reproduced. */
export interface Manifest {
  readonly tool: 'edelear';
  readonly version: string;
  readonly gitCommit: string | null;
  readonly scenario: { readonly file: string; readonly sha256: string; readonly overrides: readonly string[] };
  readonly seed: number;
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
  /** Why the run stopped before its end (its results cover [warm-up, stop] only); absent when it ran to the end. */
  readonly incomplete?: string;
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
 * The git commit of the edelear checkout ("+dirty" with uncommitted changes to tracked files), or
 * null outside a git work tree. Asynchronous, so a run asks at its start and git works beside it.
 */
export async function gitCommit(): Promise<string | null> {
  const git = promisify(execFile);
  try {
    const [head, status] = await Promise.all([
      git('git', ['rev-parse', 'HEAD'], { cwd: ROOT }),
      git('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }),
    ]);
    return status.stdout.trim() ? `${head.stdout.trim()}+dirty` : head.stdout.trim();
  } catch {
    return null;
  }
}

/** SHA-256 of a scenario's text together with its overrides. */
export function scenarioHash(text: string, overrides: readonly string[]): string {
  const h = createHash('sha256').update(text);
  for (const o of overrides) h.update(`\n--set ${o}`);
  return h.digest('hex');
}
