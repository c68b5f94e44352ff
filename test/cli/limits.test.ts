import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('an overloaded scenario', () => {
  it('warns at build time, stops past the in-flight limit naming the node, and writes its results marked incomplete (exit 3)', () => {
    const out = mkdtempSync(join(tmpdir(), 'edelear-limits-'));
    const r = spawnSync(process.execPath, ['bin/edelear.js', 'run', 'test/fixtures/good/overloaded.yaml', '--out', out, '--quiet', '--no-charts'], { cwd: ROOT, encoding: 'utf8' });
    // ρ = λ × x / slots = 2/s × 1 s (test/fixtures/good/overloaded.yaml).
    expect(r.stderr).toContain('warning: node server is offered more work than it can do: ρ = 2.000 ≥ 1; its queue grows without bound');
    expect(r.stderr).toMatch(/error: the run stopped early: more than 1,000 requests in flight at t = [\d.]+ s \(limits.requestsInFlight\): [\d,]+ at node server/);
    expect(r.stderr).not.toMatch(/^\s{4}at /m);
    expect(r.status).toBe(3);
    const run = parse(readFileSync(join(out, 'run.csv'), 'utf8'), { columns: true })[0] as Record<string, string>;
    expect(run.complete).toBe('no');
    // The queue grows at λ − μ = 1/s, so 1,000 waiting takes about 1,000 s (far less than the 100,000 s asked).
    expect(Number(run.end_s)).toBeGreaterThan(500);
    expect(Number(run.end_s)).toBeLessThan(2000);
    expect(Number(run.in_flight_at_end)).toBe(1001);
    expect(run.conservation_holds).toBe('yes');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { incomplete?: string };
    expect(manifest.incomplete).toMatch(/requests in flight/);
  });
});

describe('a run stopped within its warm-up', () => {
  it('shows – for the figures a window with no time in it has none of, never NaN (helper-79: "NaN/s", "NaN W")', () => {
    // The same queue stopped at 10 in flight (t ≈ 10 s) with a warm-up of 50 000 s: the window is empty.
    const out = mkdtempSync(join(tmpdir(), 'edelear-limits-warm-'));
    const r = spawnSync(process.execPath, ['bin/edelear.js', 'run', 'test/fixtures/good/overloaded.yaml', '--set', 'limits.requestsInFlight=10', '--set', 'warmup=50000 s', '--out', out, '--no-charts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stdout).not.toContain('NaN');
    expect(r.stdout).toMatch(/^ {2}server +device +0 +– +– +0\.00 J +–$/m);
    expect(r.stdout).toMatch(/^ {2}\(all\) +0 +– +–/m);
  });
});
