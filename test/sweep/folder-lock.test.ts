import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/errors.ts';
import { lockSweepFolder, SWEEP_LOCK } from '../../src/sweep/folder-lock.ts';
import { HOST } from '../../src/sweep/store.ts';

describe('one sweep per results folder at a time', () => {
  it('a second sweep into a folder a live sweep holds is refused, naming it; released, the folder is free again (helper-83: two ran at once)', () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-lock-'));
    const release = lockSweepFolder(out, 'a.yaml');
    expect(JSON.parse(readFileSync(join(out, SWEEP_LOCK), 'utf8'))).toMatchObject({ host: HOST, pid: process.pid, sweep: 'a.yaml' });
    let refused: unknown;
    try {
      lockSweepFolder(out, 'b.yaml');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(new RegExp(`another sweep is writing into this folder: a\\.yaml \\(process ${process.pid} on ${HOST}, since \\S+\\); wait for it to end or give another --out`));
    release();
    release(); // idempotent
    expect(existsSync(join(out, SWEEP_LOCK))).toBe(false);
    lockSweepFolder(out, 'b.yaml')();
  });

  it("takes over a lock whose process on this machine is gone; one of another machine's stays held", () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-lock-'));
    // A pid above the kernel's limit (2^22) belongs to no process.
    writeFileSync(join(out, SWEEP_LOCK), JSON.stringify({ host: HOST, pid: 2 ** 22 + 1, since: 'then', sweep: 'dead.yaml' }));
    const release = lockSweepFolder(out, 'c.yaml');
    expect(JSON.parse(readFileSync(join(out, SWEEP_LOCK), 'utf8')).sweep).toBe('c.yaml');
    release();
    // One naming this very process, which never took it: left by an earlier process with the same pid (a restarted container).
    writeFileSync(join(out, SWEEP_LOCK), JSON.stringify({ host: HOST, pid: process.pid, since: 'then', sweep: 'before-restart.yaml' }));
    lockSweepFolder(out, 'e.yaml')();
    writeFileSync(join(out, SWEEP_LOCK), JSON.stringify({ host: `${HOST}-elsewhere`, pid: 1, since: 'then', sweep: 'far.yaml' }));
    expect(() => lockSweepFolder(out, 'd.yaml')).toThrow(/another sweep is writing into this folder: far\.yaml/);
  });
});
