import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../scenario/errors.ts';
import { alive, HOST } from './store.ts';

/** The file that marks a results folder as being written by a sweep (one sweep per folder at a time). */
export const SWEEP_LOCK = '.edelear-sweep.lock';

/** The locks this process holds (their paths): a lock naming this process that is not among them was left by another process that had its pid (a restarted container). */
const held = new Set<string>();

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
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw e;
      let holder: { host?: string; pid?: number; since?: string; sweep?: string } = {};
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
        holder = JSON.parse(text) as typeof holder;
      } catch {
        // Unreadable (being written this instant, or damaged): held, as far as anyone can tell.
      }
      const here = holder.host === HOST && typeof holder.pid === 'number';
      // Its sweep died without releasing it: its process is gone, or the pid is this process's now and this process never took it (helper-85: a restarted container stayed locked out).
      if (here && (!alive(holder.pid!) || (holder.pid === process.pid && !held.has(path)))) {
        // Taken over by renaming it away first: of two sweeps that found it stale at once, one renames it and the other finds it gone, then the first one's new lock (helper-87: both removed and wrote).
        const away = `${path}.stale-${process.pid}-${attempt}`;
        try {
          renameSync(path, away);
          // What was renamed is the stale lock read above, unless another sweep had taken it over in between: then its fresh lock goes back.
          if (readFileSync(away, 'utf8') === text) rmSync(away, { force: true });
          else renameSync(away, path);
        } catch {
          // Another sweep took it over first: try again, which finds its lock.
        }
        continue;
      }
      const who = `${holder.sweep ?? 'a sweep'} (process ${holder.pid ?? '?'} on ${holder.host ?? '?'}, since ${holder.since ?? '?'})`;
      throw new InputError(out, [{ path: '', message: `another sweep is writing into this folder: ${who}; wait for it to end or give another --out (when no sweep runs, remove ${path})` }]);
    }
  }
  held.add(path);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.delete(path);
    rmSync(path, { force: true });
  };
}
