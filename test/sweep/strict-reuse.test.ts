import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/cli/sweep.ts';
import { strictOutcome } from '../../src/sweep/store.ts';
import { burstOverrides, BURST_SATURATED } from '../fixtures/burst.ts';

/*
 * A run is the same run with or without --strict, so a folder (or the queue) may hold one made
 * without it. A review found a sweep run again with --strict "kept" the 2 runs whose point warns
 * (a bare bandwidth of 54 is 54 bit/s) and exited 0, where a fresh folder failed them, exit 4.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'edelear-strict-'));

describe('--strict on runs made without it', () => {
  it('fails the runs whose scenario warns, as a fresh folder would, and keeps the others', async () => {
    const file = join(dir, 'k.yaml');
    writeFileSync(file, `scenario: ${JSON.stringify(join(ROOT, 'scenarios/default.yaml'))}\nreplications: 2\nparameters:\n  links[0].bandwidth: [54, 54 Mbit/s]\n  duration: [30 s]\nmetrics: [latency_mean_s]\n`);
    const out = join(dir, 'out');
    await sweepCommand(file, { workers: 1, out, quiet: true, strict: false, charts: false });
    expect(process.exitCode ?? 0).toBe(0);
    process.exitCode = undefined;
    await sweepCommand(file, { workers: 1, out, quiet: true, strict: true, charts: false });
    expect(process.exitCode).toBe(4);
    process.exitCode = undefined;
    const failures = parse(readFileSync(join(out, 'failures.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(failures).toHaveLength(2);
    for (const f of failures) expect(f.error).toMatch(/default\.yaml: warnings, errors under --strict: .*links\[0\]\.bandwidth: 54 is 54 bit\/s/);
    // Counted as what they are: runs done before that fail under --strict, not runs made now that failed.
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { runs: Record<string, number> };
    expect(manifest.runs).toMatchObject({ alreadyDone: 2, executed: 0, failed: 0, keptFailedStrict: 2 });
    // The same as a fresh folder gives.
    const fresh = join(dir, 'fresh');
    await sweepCommand(file, { workers: 1, out: fresh, quiet: true, strict: true, charts: false });
    expect(process.exitCode).toBe(4);
    process.exitCode = undefined;
    expect(readFileSync(join(fresh, 'failures.csv'), 'utf8')).toBe(readFileSync(join(out, 'failures.csv'), 'utf8'));
    expect(readFileSync(join(fresh, 'summary.csv'), 'utf8')).toBe(readFileSync(join(out, 'summary.csv'), 'utf8'));
  });

  it('fails a run that meets a warning while it runs (devices saturated after the warm-up, their declared mean load light): as `edelear run --strict`', async () => {
    // test/fixtures/burst.ts: the cameras computing locally saturate after the warm-up, their declared load light.
    const parameters = burstOverrides(dir).map((o) => {
      const at = o.indexOf('=');
      return `  ${o.slice(0, at)}: [${o.slice(at + 1)}]\n`;
    });
    const file = join(dir, 'met.yaml');
    writeFileSync(file, `scenario: ${JSON.stringify(join(ROOT, 'test/fixtures/good/compare.yaml'))}\nreplications: 1\nparameters:\n${parameters.join('')}metrics: [latency_mean_s]\n`);
    const out = join(dir, 'met-out');
    await sweepCommand(file, { workers: 1, out, quiet: true, strict: true, charts: false });
    expect(process.exitCode).toBe(4);
    process.exitCode = undefined;
    const failures = parse(readFileSync(join(out, 'failures.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(failures).toHaveLength(1);
    expect(failures[0].error).toContain(`compare.yaml: warnings, errors under --strict: ${BURST_SATURATED}`);
    // Without --strict the run stands, its warnings kept in result.json, and a sweep with --strict then fails it the same way.
    const loose = join(dir, 'met-loose');
    await sweepCommand(file, { workers: 1, out: loose, quiet: true, strict: false, charts: false });
    expect(process.exitCode ?? 0).toBe(0);
    // Kept in the sweep's warnings.txt too, as run and compare keep theirs, with how many runs gave it and which (helper-79, helper-80: "(in 1 run)" named none).
    const first = burstOverrides(dir)[0];
    expect(readFileSync(join(loose, 'warnings.txt'), 'utf8')).toContain(`${BURST_SATURATED}, so the latencies through it grow with the run (or would need a far longer run to settle) and are not steady-state figures (in 1 run: ${first.slice(0, first.indexOf('='))}=`);
    expect(readFileSync(join(loose, 'warnings.txt'), 'utf8')).toMatch(/not steady-state figures \(in 1 run: .*, policy as-written, seed 1\)$/m);
    // The tables mark it: summary.csv's warned counts it among the replications, runs.csv's warnings how many it met.
    const summary = parse(readFileSync(join(loose, 'summary.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(summary.map((r) => [r.replications, r.warned])).toEqual([['1', '1']]);
    const runs = parse(readFileSync(join(loose, 'runs.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Number(runs[0].warnings)).toBeGreaterThanOrEqual(1);
    await sweepCommand(file, { workers: 1, out: loose, quiet: true, strict: true, charts: false });
    expect(process.exitCode).toBe(4);
    process.exitCode = undefined;
    expect(readFileSync(join(loose, 'failures.csv'), 'utf8')).toBe(readFileSync(join(out, 'failures.csv'), 'utf8'));
  });

  it('runs again a record made before scenario warnings were kept apart, when it warned of anything', () => {
    const record = { id: 'x', seed: 1, scenario: 's', overrides: [], figures: {}, events: 0, simulationSeconds: 0, code: 'c' };
    expect(strictOutcome({ ...record, warnings: ['w'] }, 'f.yaml')).toBe('rerun');
    expect(strictOutcome({ ...record, warnings: [] }, 'f.yaml')).toBeUndefined();
    // A warning the run met (after its scenario's) fails it under --strict too, as it would have failed made so.
    expect(strictOutcome({ ...record, warnings: ['after the run'], scenarioWarnings: [] }, 'f.yaml')).toBe('f.yaml: warnings, errors under --strict: after the run');
    expect(strictOutcome({ ...record, warnings: [], scenarioWarnings: [] }, 'f.yaml')).toBeUndefined();
    expect(strictOutcome({ ...record, warnings: ['a', 'b'], scenarioWarnings: ['a', 'b'] }, 'f.yaml')).toBe('f.yaml: warnings, errors under --strict: a; b');
  });
});
