import type { Batteries } from './batteries.ts';
import type { Links } from './links.ts';
import type { NodeMeters } from './meters.ts';

/**
 * The begin of a transmission, for requests and processes alike: radio energy is charged now
 * to both ends, as they can pay it; a sender whose battery the transmission empties is down at
 * once and the transfer is lost unsent; otherwise the link starts sending.
 */
export class Transmission {
  /** Radio energy charged by the last {@link begin} (both ends), J. */
  joules = 0;

  constructor(
    private readonly links: Links,
    private readonly meters: NodeMeters,
    private readonly batteries: Batteries,
  ) {}

  /**
   * Begins the transmission of `bytes` reserved on directed link d at `start` (now, or later on an
   * eager link); returns when it reaches the far end (last bit + propagation), or NaN when the
   * sender died paying for it.
   */
  begin(d: number, bytes: number, start: number, now: number): number {
    const links = this.links;
    if (!links.charges(d)) {
      this.joules = 0;
      return links.beginFree(d, bytes, start);
    }
    const bits = bytes * 8;
    let txJ = bits * links.txEnergyPerBit(d);
    let rxJ = bits * links.rxEnergyPerBit(d);
    if (txJ > 0) {
      const sender = links.sender(d);
      txJ = this.batteries.chargeRadio(sender, txJ, 0, now);
      if (!this.meters.up[sender]) {
        this.joules = txJ;
        return NaN;
      }
    }
    if (rxJ > 0) rxJ = this.batteries.chargeRadio(links.receiver(d), 0, rxJ, now);
    this.joules = txJ + rxJ;
    return links.begin(d, bytes, start, bits > 0 ? txJ / bits : 0, bits > 0 ? rxJ / bits : 0);
  }
}
