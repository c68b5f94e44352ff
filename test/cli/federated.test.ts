import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function csv(file: string): Record<string, string>[] {
  return parse(readFileSync(file, 'utf8'), { columns: true });
}

function run(): string {
  const out = mkdtempSync(join(tmpdir(), 'edelear-fl-'));
  // Two rounds keep the test short; scenarios/federated.yaml itself runs 20.
  const r = spawnSync(process.execPath, ['bin/edelear.js', 'run', 'scenarios/federated.yaml', '--set', 'learning.rounds=2', '--out', out, '--quiet'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

describe('edelear run scenarios/federated.yaml', () => {
  it('writes fl_rounds.csv, fl_energy.csv, fl_baselines.csv and claims.csv, identical for the same seed', () => {
    const a = run();
    const b = run();
    for (const f of ['fl_rounds.csv', 'fl_energy.csv', 'fl_baselines.csv', 'claims.csv']) {
      expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    }
    const rounds = csv(join(a, 'fl_rounds.csv'));
    expect(rounds.map((r) => `${r.split}#${r.round}`)).toEqual(['iid#1', 'iid#2', 'dirichlet(0.1)#1', 'dirichlet(0.1)#2', 'dirichlet(1)#1', 'dirichlet(1)#2']);
    for (const r of rounds) {
      expect(Number(r.clients_selected)).toBe(10);
      // Every selected client either reported, was late (the second farm Pi behind the 1 Mbit/s link) or failed.
      expect(Number(r.clients_completed) + Number(r.clients_dropped_late) + Number(r.clients_dropped_failed)).toBe(10);
      expect(Number(r.test_accuracy)).toBeGreaterThan(0.1);
      expect(Number(r.energy_total_J)).toBeGreaterThan(0);
      expect(Number(r.bytes_down)).toBe(10 * 407080);
    }
    const claims = csv(join(a, 'claims.csv'));
    expect(claims.map((c) => c.split)).toEqual(['iid', 'dirichlet(0.1)', 'dirichlet(1)']);
    for (const c of claims) {
      expect(['yes', 'no']).toContain(c.holds);
      expect(c.holds === 'yes').toBe(Number(c.margin_points) >= 0.05);
    }
    const energy = csv(join(a, 'fl_energy.csv'));
    expect(energy.filter((e) => e.split === 'iid' && e.round === '0')).toHaveLength(11); // server + 10 clients
  });
});
