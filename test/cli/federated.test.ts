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
  // Two rounds and no compression study keep the test short (scenarios/federated.yaml itself runs
  // 20 rounds and four compressions; update compression has its own tests in test/learning).
  const r = spawnSync(process.execPath, ['bin/edelear.js', 'run', 'scenarios/federated.yaml', '--set', 'learning.rounds=2', '--set', 'learning.compareCompression=[]', '--out', out, '--quiet'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

/**
 * Test accuracy the global model must reach after each of the two rounds (chance is 0.1).
 * Measured over seeds 1–10 (`--seed s --set learning.rounds=2`), mean ± sd of test_accuracy:
 *   iid:            round 1 0.788 ± 0.012 (min 0.768), round 2 0.852 ± 0.005 (min 0.844)
 *   dirichlet(0.1): round 1 0.500 ± 0.052 (min 0.413), round 2 0.635 ± 0.046 (min 0.563)
 *   dirichlet(1):   round 1 0.731 ± 0.035 (min 0.665), round 2 0.826 ± 0.026 (min 0.762)
 * Each bound is about the mean − 4 sd (seed 1, the one run here, reached 0.778, 0.848,
 * 0.524, 0.698, 0.750, 0.833): a model that learns less than that in two rounds is broken,
 * not unlucky.
 */
const MIN_ACCURACY: Record<string, number> = {
  'iid#1': 0.74,
  'iid#2': 0.83,
  'dirichlet(0.1)#1': 0.29,
  'dirichlet(0.1)#2': 0.45,
  'dirichlet(1)#1': 0.59,
  'dirichlet(1)#2': 0.72,
};

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
      expect(Number(r.test_accuracy), `${r.split} round ${r.round}`).toBeGreaterThan(MIN_ACCURACY[`${r.split}#${r.round}`]);
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
