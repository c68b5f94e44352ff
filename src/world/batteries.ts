import { NO_EVENT } from '../core/queue.ts';
import type { Simulator } from '../core/simulator.ts';
import { EventKind } from './events.ts';
import type { NodeMeters } from './meters.ts';
import { type Links, RadioDraws } from './links.ts';
import { float64Array } from '../core/typed-arrays.ts';

/**
 * Batteries: a battery node dies when its energy reaches its capacity. Between changes of its
 * power the drain is linear, so one cancellable check is kept per node, at the time the battery
 * would be empty at the present power: a change of power that brings that time forward cancels
 * and replaces it; one that puts it off leaves it, and it re-plans when it comes. The radio draws
 * its power over each transmission (the per-bit energy × the bandwidth, sending and receiving),
 * though the meters charge a transmission's energy in full when it begins: the energy left is the
 * capacity less the meters' energy plus what the transmissions under way have not yet drawn
 * (`Links.radioDraws`), and the time it runs out is found over the pieces where they end. A battery
 * that runs out mid-transmission dies then, and the bits not sent are taken back
 * (`Links.senderDown`, `receiverDown`): its energy is its capacity.
 */
export class Batteries {
  /** Time at which each battery node ran empty (Infinity if it did not). */
  readonly emptyAt: Float64Array;
  private readonly check: Float64Array;
  private readonly checkAt: Float64Array;
  private readonly draws = new RadioDraws();

  constructor(
    private readonly sim: Simulator,
    private readonly meters: NodeMeters,
    private readonly links: Links,
    private readonly duration: number,
    /** Called when node k's battery is empty: the node goes down for good. */
    private readonly onEmpty: (k: number, now: number) => void,
  ) {
    const n = meters.nodes.length;
    this.emptyAt = float64Array(n).fill(Infinity);
    this.check = float64Array(n).fill(NO_EVENT);
    this.checkAt = float64Array(n).fill(Infinity);
  }

  /** Energy left in node k's battery at `now` (its meters advanced to it), J (Infinity without a battery). */
  left(k: number, now: number): number {
    const capacity = this.meters.nodes[k].battery;
    if (capacity === undefined) return Infinity;
    const n = this.links.radioDraws(k, now, this.meters.nodes.length, this.draws);
    return capacity - this.meters.energy(k) + this.unsent(n, now);
  }

  /** Energy the n draws in {@link draws} have yet to draw after `now`, J. */
  private unsent(n: number, now: number): number {
    let j = 0;
    for (let x = 0; x < n; x++) j += this.draws.powers[x] * (this.draws.ends[x] - now);
    return j;
  }

  /** Node k's power changed (or energy was drawn) at `now`: it dies if empty, else its check moves. Call after meters.advance(k, now). */
  update(k: number, now: number): void {
    const capacity = this.meters.nodes[k].battery;
    if (capacity === undefined || this.meters.dead[k]) return;
    const n = this.links.radioDraws(k, now, this.meters.nodes.length, this.draws);
    const left = capacity - this.meters.energy(k) + this.unsent(n, now);
    const when = this.emptyTime(n, left, this.meters.power(k), now);
    // Empty, or so nearly empty that the clock cannot represent the time left.
    if (left <= capacity * 1e-12 || when <= now) {
      this.cancelCheck(k);
      this.meters.dead[k] = 1;
      this.emptyAt[k] = now;
      this.onEmpty(k, now);
      return;
    }
    // A pending check no later than needed stays (it re-plans when it comes); a later one is replaced.
    if (when >= this.checkAt[k]) return;
    this.cancelCheck(k);
    if (when <= this.duration) {
      this.check[k] = this.sim.scheduleCancellable(when, EventKind.BatteryCheck, k);
      this.checkAt[k] = when;
    }
  }

  /**
   * When `left` J run out at `power` W plus the n radio draws in {@link draws}, each until its end:
   * piece by piece, in the order the draws end. O(n²) for the n transmissions under way at a node.
   */
  private emptyTime(n: number, left: number, power: number, now: number): number {
    const { ends, powers } = this.draws;
    // In order of their ends (insertion sort: a node has few transmissions under way).
    for (let x = 1; x < n; x++) {
      const e = ends[x];
      const p = powers[x];
      let y = x - 1;
      for (; y >= 0 && ends[y] > e; y--) {
        ends[y + 1] = ends[y];
        powers[y + 1] = powers[y];
      }
      ends[y + 1] = e;
      powers[y + 1] = p;
    }
    let p = power;
    for (let x = 0; x < n; x++) p += powers[x];
    let t = now;
    for (let x = 0; x < n; x++) {
      const piece = p * (ends[x] - t);
      if (piece >= left) return t + left / p;
      left -= piece;
      t = ends[x];
      p -= powers[x];
    }
    return p > 0 ? t + left / p : Infinity;
  }

  private cancelCheck(k: number): void {
    if (this.check[k] !== NO_EVENT) this.sim.cancel(this.check[k]);
    this.check[k] = NO_EVENT;
    this.checkAt[k] = Infinity;
  }

  /** The check event of node k. */
  onCheck(k: number, now: number): void {
    this.check[k] = NO_EVENT;
    this.checkAt[k] = Infinity;
    this.meters.advance(k, now);
    this.update(k, now);
  }

  /**
   * Charges node k the radio energy of a transmission just begun on one of its links (recorded
   * there first: `Links.begin`), in full; a battery node draws it over the transmission, and its
   * check moves to when that leaves it empty (it dies at once only when already empty).
   */
  chargeRadio(k: number, txJ: number, rxJ: number, now: number): void {
    const m = this.meters;
    const battery = m.nodes[k].battery;
    if (battery !== undefined) m.advance(k, now);
    m.radio.addRadio(k, txJ, rxJ);
    if (battery !== undefined) this.update(k, now);
  }
}
