import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { withinFolder } from '../scenario/load.ts';
import { canonicalJson } from './run-id.ts';

/**
 * The contents of the data files a scenario reads (trace and `empirical` CSV files: every
 * `{ file, column }` it names), as one canonical JSON text of { file as written: sha256 of its
 * bytes } — part of a run's identity (sweep/run-id.ts), since the scenario itself names a file,
 * not what is in it: two sweeps whose `arrivals.csv` differ made the same run id, and a queue (or a
 * folder) gave one the other's results. Undefined when the scenario names no data file. A file
 * that cannot be read, or is not a regular file, is "unreadable" (its run fails with the loader's
 * error; a FIFO is never opened); with `root` (a queue worker's project folder), a file outside it
 * is "outside", never opened (the loader refuses it: a job may not make a worker read, or confirm
 * the contents of, a file elsewhere). Paths are relative to the scenario file's folder, as the
 * loader reads them (scenario/load.ts).
 */
export function dataDigest(scenario: unknown, scenarioFile: string, root?: string): string | undefined {
  const files = new Set<string>();
  collect(scenario, files);
  if (files.size === 0) return undefined;
  const dir = dirname(scenarioFile);
  const digest: Record<string, string> = {};
  for (const f of files) {
    const path = isAbsolute(f) ? f : join(dir, f);
    if (root !== undefined && !withinFolder(root, path)) {
      digest[f] = 'outside';
      continue;
    }
    try {
      digest[f] = statSync(path).isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'unreadable';
    } catch {
      digest[f] = 'unreadable';
    }
  }
  return canonicalJson(digest);
}

/** Adds every `file` of a `{ file, … }` mapping in the value to `files`. */
function collect(value: unknown, files: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, files);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (typeof o.file === 'string') files.add(o.file);
  for (const v of Object.values(o)) collect(v, files);
}
