import type { Distribution } from '../../core/distributions.ts';
import type { Rng } from '../../core/random.ts';
import type { MobilityModel } from '../../world/mobility.ts';

/** How a nomadic device picks its next place when its dwell ends. */
export type NextPlaceRule = 'uniform-other' | 'uniform' | 'by-attractiveness';

/** The settings of {@link nomadicMobility}. */
export interface NomadicOptions {
  /** The type of each place (an index into `dwell` and `attractiveness`). */
  readonly placeType: Int32Array;
  /** Dwell-time law of each place type, s. */
  readonly dwell: readonly Distribution[];
  /** Weight of each place type under `by-attractiveness` (positive). */
  readonly attractiveness: Float64Array;
  readonly next: NextPlaceRule;
  /** `linked`: each device starts at the place its link goes to; `uniform`: at a place drawn uniformly. */
  readonly start: 'linked' | 'uniform';
}

/**
 * EdgeCloudSim's NomadicMobility (src/edu/boun/edgecloudsim/mobility/NomadicMobility.java @ 0c82e35b,
 * `initialize`): a device stays at a place for a dwell time drawn from the law of that place's type
 * (EdgeCloudSim: an exponential whose mean is the place's attractiveness level's
 * `attractiveness_L*_mean_waiting_time`), then moves to another place; EdgeCloudSim draws the next
 * place uniformly over all places and draws again while it equals the current one (`uniform-other`),
 * and the first place uniformly (`start: uniform`). `uniform` keeps a draw equal to the current place
 * (the device stays: no move, a new dwell); `by-attractiveness` draws among the other places in
 * proportion to their type's weight. One event per dwell; O(1) a draw (O(places) for
 * by-attractiveness, a linear scan of the cumulative weights).
 *
 * With exponential dwells of mean d_i and the move chain's transition matrix P, the long-run share
 * of time at place i is π_i·d_i / Σ_j π_j·d_j, π the stationary law of P (a semi-Markov process).
 */
export function nomadicMobility(o: NomadicOptions): MobilityModel {
  const n = o.placeType.length;
  // Cumulative weights of every place (by-attractiveness), the current one left out at the draw.
  const weight = Float64Array.from(o.placeType, (t) => o.attractiveness[t]);
  const total = weight.reduce((a, b) => a + b, 0);
  return {
    name: 'nomadic',
    timeShares: () => {
      // The move chain's stationary law π: uniform for `uniform` and `uniform-other` (their moves
      // are symmetric); for by-attractiveness, P_ij = w_j / (W − w_i) is reversible with
      // π_i ∝ w_i (W − w_i). The time share is π_i d_i / Σ π_j d_j, d the mean dwell (a semi-Markov process).
      const pi = o.next === 'by-attractiveness' && n > 1 ? Float64Array.from(weight, (w) => w * (total - w)) : new Float64Array(n).fill(1);
      const share = Float64Array.from(pi, (x, p) => x * o.dwell[o.placeType[p]].mean);
      const sum = share.reduce((a, b) => a + b, 0);
      return sum > 0 && Number.isFinite(sum) ? share.map((x) => x / sum) : undefined;
    },
    start: (_j, linked, rng) => (o.start === 'linked' ? linked : Math.floor(rng() * n)),
    nextAt: (_j, p, now, rng) => now + o.dwell[o.placeType[p]].sample(rng),
    placeAt(_j, p, _now, rng: Rng) {
      if (n === 1) return p;
      switch (o.next) {
        case 'uniform':
          return Math.floor(rng() * n);
        case 'uniform-other': {
          // Uniform over the n − 1 others in one draw: the same law as EdgeCloudSim's redraw loop.
          const q = Math.floor(rng() * (n - 1));
          return q >= p ? q + 1 : q;
        }
        default: {
          let u = rng() * (total - weight[p]);
          for (let q = 0; q < n; q++) {
            if (q === p) continue;
            u -= weight[q];
            if (u < 0) return q;
          }
          return p === n - 1 ? n - 2 : n - 1; // rounding at the very end
        }
      }
    },
  };
}
