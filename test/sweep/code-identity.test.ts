import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/cli/sweep.ts';
import { codeIdentity } from '../../src/report/code-identity.ts';
import { finishedRun, RESULT_FILE, runsFolder } from '../../src/sweep/store.ts';

/*
 * A sweep keeps a finished run only when the same code made it (report/code-identity.ts): a run
 * folder left by another build of edelear (or its data, or its dependencies) is run again, so
 * one summary never mixes the figures of two builds.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'edelear-code-identity-'));

describe('the code a result was made by', () => {
  it('is 16 hex digits, the same every time in one process', () => {
    expect(codeIdentity()).toMatch(/^[0-9a-f]{16}$/);
    expect(codeIdentity()).toBe(codeIdentity());
  });

  it("a resumed sweep keeps its own code's runs and runs again those of other code (or of none: before code was recorded)", async () => {
    const file = join(dir, 'tiny.yaml');
    // 1 point × 1 arm × 3 seeds of 20 simulated seconds.
    writeFileSync(file, `scenario: ${JSON.stringify(join(ROOT, 'scenarios/default.yaml'))}\nreplications: 3\nparameters:\n  duration: [20 s]\nmetrics: [latency_mean_s]\n`);
    const out = join(dir, 'out');
    await sweepCommand(file, { workers: 1, out, quiet: true, strict: false, charts: false });
    process.exitCode = undefined;
    const ids = readdirSync(runsFolder(out)).sort();
    expect(ids).toHaveLength(3);
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8');
    const recordOf = (id: string) => JSON.parse(readFileSync(join(runsFolder(out), id, RESULT_FILE), 'utf8')) as Record<string, unknown>;
    for (const id of ids) expect(recordOf(id).code).toBe(codeIdentity());

    // One run as another build left it, one as a build before records named their code.
    const other = recordOf(ids[0]);
    writeFileSync(join(runsFolder(out), ids[0], RESULT_FILE), JSON.stringify({ ...other, code: '0000000000000000', figures: { latency_mean_s: 123 } }));
    const { code: _, ...none } = recordOf(ids[1]);
    writeFileSync(join(runsFolder(out), ids[1], RESULT_FILE), JSON.stringify({ ...none, figures: { latency_mean_s: 456 } }));
    const stale: [string, string | undefined][] = [];
    expect(finishedRun(out, ids[2], codeIdentity(), (id, code) => stale.push([id, code]))?.code).toBe(codeIdentity());
    expect(finishedRun(out, ids[0], undefined)?.figures.latency_mean_s).toBe(123); // without a code to hold it to, any record is taken

    await sweepCommand(file, { workers: 1, out, quiet: true, strict: false, charts: false });
    process.exitCode = undefined;
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { code: string; runs: { alreadyDone: number; staleRerun: number; executed: number } };
    expect(manifest.code).toBe(codeIdentity());
    expect(manifest.runs).toMatchObject({ alreadyDone: 1, staleRerun: 2, unreadableRerun: 0, executed: 2 });
    for (const id of ids) expect(recordOf(id).code).toBe(codeIdentity());
    // Run again by this code, the same seeds give the same figures as the first sweep: the summary is byte-identical (no 123 or 456 in it).
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe(summary);
    expect(stale).toEqual([]);
    // A result.json cut short: removed, run again, and counted.
    writeFileSync(join(runsFolder(out), ids[2], RESULT_FILE), '{"id": "');
    await sweepCommand(file, { workers: 1, out, quiet: true, strict: false, charts: false });
    process.exitCode = undefined;
    const after = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { runs: { alreadyDone: number; unreadableRerun: number; executed: number } };
    expect(after.runs).toMatchObject({ alreadyDone: 2, unreadableRerun: 1, executed: 1 });
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe(summary);
  });
});
