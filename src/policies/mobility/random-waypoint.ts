import type { Distribution } from '../../core/distributions.ts';
import type { Rng } from '../../core/random.ts';
import type { MobilityModel } from '../../world/mobility.ts';

/** The settings of {@link RandomWaypoint}. */
export interface RandomWaypointOptions {
  /** The area, m (height 0: a line, the 1-D model). */
  readonly width: number;
  readonly height: number;
  /** Speed of a leg, drawn uniformly in [min, max], m/s (min > 0). */
  readonly speedMin: number;
  readonly speedMax: number;
  /** Pause at each waypoint, s. */
  readonly pause: Distribution;
  /** Time between a device's attachment checks, s. */
  readonly update: number;
  /** Radio range of the access points, m. */
  readonly range: number;
  /** Position of each place's access point, m: x of place p at [2p], y at [2p + 1]. */
  readonly at: Float64Array;
  /** Number of moving devices. */
  readonly devices: number;
}

/**
 * Random waypoint (Johnson & Maltz 1996; as analysed by Bettstetter, Resta & Santi, "The node
 * distribution of the random waypoint mobility model for wireless ad hoc networks", IEEE TMC 2(3),
 * 2003): a device starts at a uniform point of the area, walks in a straight line to a waypoint drawn
 * uniformly over the area at a speed drawn uniformly in [min, max], pauses there for a time drawn
 * from the pause law, and goes on to the next waypoint. Its position is exact at any time (legs are
 * drawn as time passes them). PureEdgeSim's devices also move over a 2-D area and attach by range
 * (locationmanager/DefaultMobilityModel.java @ 03bfc2e4: a random direction kept for a random time,
 * then a pause, positions updated every `updateInterval`); here the walk is the classic waypoint one
 * and only the attachment is checked at a fixed interval, `update`: at each check the device is
 * attached to the nearest access point within `range` (ties: the first listed); out of every
 * access point's range it stays attached to the last one (nothing is lost for being out of range).
 * One event per device per `update`; O(places) a check.
 *
 * The long-run position density is not uniform but denser at the centre: on a line of length a with
 * no pause it is f(x) = 6x(a − x)/a³ (Bettstetter et al. 2003, eq. for the 1-D case).
 */
export class RandomWaypoint implements MobilityModel {
  readonly name = 'random-waypoint';
  /** Per device: leg start and waypoint (x, y), departure, arrival and end of pause, s. */
  private readonly x0: Float64Array;
  private readonly y0: Float64Array;
  private readonly x1: Float64Array;
  private readonly y1: Float64Array;
  private readonly depart: Float64Array;
  private readonly arrive: Float64Array;
  private readonly pauseEnd: Float64Array;
  private readonly places: number;

  constructor(private readonly o: RandomWaypointOptions) {
    const m = o.devices;
    this.x0 = new Float64Array(m);
    this.y0 = new Float64Array(m);
    this.x1 = new Float64Array(m);
    this.y1 = new Float64Array(m);
    this.depart = new Float64Array(m);
    this.arrive = new Float64Array(m);
    this.pauseEnd = new Float64Array(m);
    this.places = o.at.length / 2;
  }

  start(j: number, linked: number, rng: Rng): number {
    // The start point is the end of an empty leg whose pause ends at 0: the first leg departs at once.
    this.pauseEnd[j] = 0;
    this.x0[j] = this.x1[j] = rng() * this.o.width;
    this.y0[j] = this.y1[j] = rng() * this.o.height;
    return this.nearest(this.x1[j], this.y1[j], linked);
  }

  nextAt(_j: number, _p: number, now: number): number {
    return now + this.o.update;
  }

  placeAt(j: number, p: number, now: number, rng: Rng): number {
    const pos = this.position(j, now, rng);
    return this.nearest(pos[0], pos[1], p);
  }

  private readonly out = new Float64Array(2);

  /** Device j's position at `now` (legs drawn up to it; times must not go back), m. The array is reused. */
  position(j: number, now: number, rng: Rng): Float64Array {
    while (now >= this.pauseEnd[j]) this.leg(j, rng);
    const out = this.out;
    const t0 = this.depart[j];
    const t1 = this.arrive[j];
    if (now >= t1) {
      out[0] = this.x1[j];
      out[1] = this.y1[j];
    } else {
      const f = now <= t0 ? 0 : (now - t0) / (t1 - t0);
      out[0] = this.x0[j] + f * (this.x1[j] - this.x0[j]);
      out[1] = this.y0[j] + f * (this.y1[j] - this.y0[j]);
    }
    return out;
  }

  /** The next leg of device j, departing when its pause ends. */
  private leg(j: number, rng: Rng): void {
    const o = this.o;
    const x0 = (this.x0[j] = this.x1[j]);
    const y0 = (this.y0[j] = this.y1[j]);
    const x1 = (this.x1[j] = rng() * o.width);
    const y1 = (this.y1[j] = rng() * o.height);
    const v = o.speedMin + rng() * (o.speedMax - o.speedMin);
    const t0 = (this.depart[j] = this.pauseEnd[j]);
    const t1 = (this.arrive[j] = t0 + Math.hypot(x1 - x0, y1 - y0) / v);
    this.pauseEnd[j] = t1 + o.pause.sample(rng);
  }

  /** The place whose access point is nearest to (x, y) within range (ties: the first); `otherwise` when none is. */
  private nearest(x: number, y: number, otherwise: number): number {
    const at = this.o.at;
    const r2 = this.o.range * this.o.range;
    let best = otherwise;
    let bestD = Infinity;
    for (let p = 0; p < this.places; p++) {
      const dx = at[2 * p] - x;
      const dy = at[2 * p + 1] - y;
      const d = dx * dx + dy * dy;
      if (d <= r2 && d < bestD) {
        bestD = d;
        best = p;
      }
    }
    return best;
  }
}
