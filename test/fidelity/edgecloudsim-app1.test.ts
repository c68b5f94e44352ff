import { beforeAll, describe, expect, it } from 'vitest';
import { APP1_AS_CODED, type App1Figure, ECS_MEASURED, measureApp1 } from '../../bench/edgecloudsim.ts';

/**
 * Issue 13 point 3: the EdgeCloudSim sample_app1 mirror (scenarios/bench/edgecloudsim-app1.yaml:
 * processor-sharing VMs, declared-utilization admission, nomadic mobility) at 1,000 devices and 30
 * simulated minutes, over seeds 1…4, against what EdgeCloudSim v4.0 measured on this machine
 * (TWO_TIER, NEXT_FIT, 1,000 devices, 30 min; the figures of issue 13, bench/edgecloudsim.ts
 * ECS_MEASURED). Each figure's mean over the seeds must lie within 10 % of EdgeCloudSim's.
 *
 * One figure does not, and the test pins its cause instead: the failed share of cloud tasks
 * (≈ 11 % here, 0.3 % in EdgeCloudSim). Mobility crowds ≈ 158 devices at each L1 place, whose cloud
 * tasks offer ≈ 0.126 Mbit/s each to the place's 15 Mbit/s WAN uplink (the header's LOAD line): ≈ 20
 * Mbit/s, ρ ≈ 1.3, so transfers that would wait more than 5 s are dropped (link-congested).
 * EdgeCloudSim never sees that load: its MM1Queue sizes every task at a quarter of the mix average
 * (scenario header, difference 1), so its WAN's ρ there is ≈ 0.41 (λ = 1/62.7 s per device, μ = 6.21/s).
 * With the WAN's bandwidth × 4 (as if tasks were a quarter of their size: ρ ≈ 0.33) the cloud share comes to 0.31 % [0.28, 0.34] (bench/edgecloudsim.ts --set
 * 'links[2].bandwidth=60 Mbit/s', 10 seeds, 2026-11-27) — a diagnosis, not the scenario.
 *
 * The second block runs the labelled variant scenarios/bench/edgecloudsim-app1-as-coded.yaml, the
 * mirror with EdgeCloudSim's network model as coded (MM1Queue v4.0's analytic delays, its
 * quarter-size tasks included; src/world/analytic-link.ts), over seeds 1…10: there all six figures,
 * the cloud share included, must lie within 10 % of EdgeCloudSim's.
 */
describe('EdgeCloudSim sample_app1 mirror, like for like (1,000 devices, 30 min)', () => {
  let estimates: ReturnType<typeof measureApp1>['estimates'];
  let tables: ReturnType<typeof measureApp1>['tables'];
  beforeAll(() => {
    ({ estimates, tables } = measureApp1(4));
  });

  it.each(['failedAll', 'failedEdge', 'edgeProcessing', 'cloudProcessing', 'edgeService'] as App1Figure[])('%s is within 10 % of EdgeCloudSim v4.0', (f) => {
    expect(Math.abs(estimates[f].mean / ECS_MEASURED[f] - 1)).toBeLessThan(0.1);
  });

  it('cloud tasks fail only on the congested WAN or by moving, never for VM capacity (the known gap)', () => {
    for (const t of tables) {
      for (const row of t.requests) {
        if (typeof row.workload !== 'string' || !row.workload.endsWith('-cloud')) continue;
        expect(Number(row.dropped_vm_capacity)).toBe(0);
        expect(Number(row.dropped)).toBe(Number(row.dropped_link_congested) + Number(row.dropped_moved));
      }
    }
    // The gap: far above EdgeCloudSim's 0.3 %, for the reason above.
    expect(estimates.failedCloud.low).toBeGreaterThan(10 * ECS_MEASURED.failedCloud);
  });

  it('edge tasks fail for VM capacity and by moving, as EdgeCloudSim reports them', () => {
    let capacity = 0;
    let moved = 0;
    for (const t of tables) {
      for (const row of t.requests) {
        if (typeof row.workload !== 'string' || !row.workload.endsWith('-edge')) continue;
        capacity += Number(row.dropped_vm_capacity);
        moved += Number(row.dropped_moved);
        expect(Number(row.dropped)).toBe(Number(row.dropped_vm_capacity) + Number(row.dropped_moved) + Number(row.dropped_link_congested));
      }
    }
    expect(capacity).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0);
  });
});

describe("EdgeCloudSim sample_app1 mirror with EdgeCloudSim's network model as coded (1,000 devices, 30 min)", () => {
  let estimates: ReturnType<typeof measureApp1>['estimates'];
  let tables: ReturnType<typeof measureApp1>['tables'];
  beforeAll(() => {
    // 10 seeds: the cloud share rests on ≈ 60 failed cloud tasks a run, too few for 4 seeds to pin within 10 %.
    ({ estimates, tables } = measureApp1(10, [], APP1_AS_CODED));
  });

  it.each(Object.keys(ECS_MEASURED) as App1Figure[])('%s is within 10 % of EdgeCloudSim v4.0', (f) => {
    expect(Math.abs(estimates[f].mean / ECS_MEASURED[f] - 1)).toBeLessThan(0.1);
  });

  it('cloud tasks fail only by moving: the as-coded WAN fails none below ≈ 377 devices at a place', () => {
    // 1/(1.875e6/301875 − n/62.7) + 0.1 > 5 s from n = 377; the most crowded place holds ≈ 158 on average.
    let moved = 0;
    for (const t of tables) {
      for (const row of t.requests) {
        if (typeof row.workload !== 'string' || !row.workload.endsWith('-cloud')) continue;
        expect(Number(row.dropped)).toBe(Number(row.dropped_moved));
        moved += Number(row.dropped_moved);
      }
    }
    expect(moved).toBeGreaterThan(0);
  });
});
