/**
 * `mobility.csv`: where the moving devices spent the measurement window, one row per place (its
 * access point, the device-seconds there and their share of all), then an `(all)` row with the
 * moves (changes of place) made in the window and their rate per device-hour. Written by `edelear
 * run` when the scenario has a `mobility:` section (helper-84: nothing said where devices were or
 * how often they moved, so neither could be checked against the model's closed forms).
 */
import type { Row } from '../metrics/summary.ts';
import type { Mobility } from '../world/mobility.ts';
import type { NodeSpec } from '../world/node.ts';

/** Columns of mobility.csv. */
export const MOBILITY_COLUMNS = ['scenario', 'seed', 'place', 'access_point', 'device_seconds', 'time_share', 'moves', 'moves_per_device_hour'] as const;

/** mobility.csv's rows: one per place in the order the scenario lists them, then `(all)`. */
export function mobilityRows(m: Mobility, nodes: readonly NodeSpec[], labels: { scenario: string; seed: number }): Row[] {
  const total = m.placeSeconds.reduce((a, s) => a + s, 0);
  const rows: Row[] = Array.from(m.spec.places, (ap, p) => ({
    scenario: labels.scenario,
    seed: labels.seed,
    place: p,
    access_point: nodes[ap].name,
    device_seconds: m.placeSeconds[p],
    time_share: total > 0 ? m.placeSeconds[p] / total : NaN,
    moves: '',
    moves_per_device_hour: '',
  }));
  rows.push({ scenario: labels.scenario, seed: labels.seed, place: '(all)', access_point: '', device_seconds: total, time_share: total > 0 ? 1 : NaN, moves: m.moves, moves_per_device_hour: total > 0 ? (m.moves * 3600) / total : NaN });
  return rows;
}
