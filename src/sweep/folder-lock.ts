import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../scenario/errors.ts';
import { alive, HOST } from './store.ts';

/** The file that marks a results folder as being written by a sweep (one sweep per folder at a time). */
export const SWEEP_LOCK = '.edelear-sweep.lock';

/**
 * Takes the results folder `out` for the sweep of `file`: creates its {@link SWEEP_LOCK} (atomic:
 * exclusive create), or, when another sweep holds it, refuses with who holds it (an InputError,
 * exit 2) — a sweep writes its tables in place and removes what a previous manifest lists, so two at
 * once damaged each other's output (helper-83: nothing stopped them). A lock left by a process of
 * this machine that is no longer alive is taken over. Returns the release (idempotent).
 */
export function lockSweepFolder(out: string, file: string): () => void {
  const path = join(out, SWEEP_LOCK);
  const mine = JSON.stringify({ host: HOST, pid: process.pid, since: new Date().toISOString(), sweep: file });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${mine}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      let held: { host?: string; pid?: number; since?: string; sweep?: string } = {};
      try {
        held = JSON.parse(readFileSync(path, 'utf8')) as typeof held;
      } catch {
        // Unreadable (being written this instant, or damaged): held, as far as anyone can tell.
      }
      if (held.host === HOST && typeof held.pid === 'number' && !alive(held.pid)) {
        rmSync(path, { force: true }); // its sweep died without releasing it
        continue;
      }
      const who = `${held.sweep ?? 'a sweep'} (process ${held.pid ?? '?'} on ${held.host ?? '?'}, since ${held.since ?? '?'})`;
      throw new InputError(out, [{ path: '', message: `another sweep is writing into this folder: ${who}; wait for it to end or give another --out (when no sweep runs, remove ${path})` }]);
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(path, { force: true });
  };
}
