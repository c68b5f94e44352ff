/** What the benchmarks share: a median, and a command timed under /usr/bin/time. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Runs `command ARGS` in the repository under /usr/bin/time (Debian package "time"): its stdout,
 * peak RSS in MiB and wall seconds. Throws on failure, with the end of its stderr.
 */
export function timed(command: string, args: readonly string[]): { stdout: string; rssMiB: number; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return { stdout: r.stdout, rssMiB: Number(r.stderr.trim().split('\n').pop()) / 1024, seconds };
}
