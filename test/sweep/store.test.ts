import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRunsFolder, runsFolder } from '../../src/sweep/store.ts';

const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
const ID = '0123456789abcdef';

/** A results folder holding partial run folders: one of a dead process of this machine, one of this (live) process, one of another machine. */
function folder(): { out: string; dead: string; live: string; other: string } {
  const out = mkdtempSync(join(tmpdir(), 'edelear-store-'));
  const exited = spawnSync(process.execPath, ['-e', '0']).pid; // a pid that has just exited
  const dead = `.partial-${ID}-${HOST}-${exited}-0`;
  const live = `.partial-${ID}-${HOST}-${process.pid}-1`;
  const other = `.partial-${ID}-another-machine-${process.pid}-0`;
  for (const name of [dead, live, other]) mkdirSync(join(runsFolder(out), name), { recursive: true });
  return { out, dead, live, other };
}

describe('partial run folders at the start of a sweep (review of fae688f: the submitter removed workers\' folders mid-write)', () => {
  it('a local sweep removes every one (nothing else writes into its folder)', () => {
    const { out } = folder();
    expect(prepareRunsFolder(out)).toBe(3);
    expect(readdirSync(runsFolder(out))).toEqual([]);
  });

  it("a queued sweep's folder, shared with workers: only a dead process of this machine's", () => {
    const { out, live, other } = folder();
    expect(prepareRunsFolder(out, true)).toBe(1);
    expect(readdirSync(runsFolder(out)).sort()).toEqual([live, other].sort());
  });
});
