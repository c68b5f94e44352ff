import { NO_EVENT } from '../core/queue.ts';
import type { Simulator } from '../core/simulator.ts';
import { EventKind } from './events.ts';
import type { NodeMeters } from './meters.ts';
import { float64Array } from '../core/typed-arrays.ts';

/**
 * Batteries: a battery node dies when its energy reaches its capacity. Between changes of its
 * power the drain is linear, so one cancellable check is kept per node, at the time the battery
 * would be empty at the present power: a change of power that brings that time forward cancels
 * and replaces it; one that puts it off leaves it, and it re-plans when it comes.
 */
export class Batteries {
  /** Time at which each battery node ran empty (Infinity if it did not). */
  readonly emptyAt: Float64Array;
  private readonly check: Float64Array;
  private readonly checkAt: Float64Array;

  constructor(
    private readonly sim: Simulator,
    private readonly meters: NodeMeters,
    private readonly duration: number,
    /** Called when node k's battery is empty: the node goes down for good. */
    private readonly onEmpty: (k: number, now: number) => void,
  ) {
    const n = meters.nodes.length;
    this.emptyAt = float64Array(n).fill(Infinity);
    this.check = float64Array(n).fill(NO_EVENT);
    this.checkAt = float64Array(n).fill(Infinity);
  }

  /** Energy left in node k's battery at its last update, J (Infinity without a battery). */
  left(k: number): number {
    const capacity = this.meters.nodes[k].battery;
    return capacity === undefined ? Infinity : capacity - this.meters.energy(k);
  }

  /** Node k's power changed (or energy was drawn) at `now`: it dies if empty, else its check moves. Call after meters.advance(k, now). */
  update(k: number, now: number): void {
    const capacity = this.meters.nodes[k].battery;
    if (capacity === undefined || this.meters.dead[k]) return;
    const left = capacity - this.meters.energy(k);
    const power = this.meters.power(k);
    const when = power > 0 ? now + left / power : Infinity;
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
   * Charges radio energy to node k; a battery node that cannot pay for it all pays what is
   * left and dies. Returns the joules charged (0 when the node is down).
   */
  chargeRadio(k: number, txJ: number, rxJ: number, now: number): number {
    const m = this.meters;
    if (!m.up[k]) return 0; // a node that is down neither sends nor receives
    const battery = m.nodes[k].battery;
    if (battery !== undefined) {
      m.advance(k, now);
      const left = battery - m.energy(k);
      const cost = txJ + rxJ;
      if (cost > left) {
        const share = Math.max(0, left) / cost;
        txJ *= share;
        rxJ *= share;
      }
    }
    m.radio.addRadio(k, txJ, rxJ);
    if (battery !== undefined) this.update(k, now);
    return txJ + rxJ;
  }
}
