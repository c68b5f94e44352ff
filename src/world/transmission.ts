import type { Batteries } from './batteries.ts';
import type { Links } from './links.ts';
import type { NodeMeters } from './meters.ts';

/**
 * The begin of a transmission, for requests and processes alike: the link starts sending, and
 * radio energy is charged now to both ends that are up (a battery draws it over the transmission:
 * world/batteries.ts); a sender already at its battery's last joule is down at once and the
 * transfer is lost unsent.
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
   * sender is down (or went down beginning it).
   */
  begin(d: number, bytes: number, start: number, now: number): number {
    const links = this.links;
    if (!links.charges(d)) {
      this.joules = 0;
      return links.beginFree(d, bytes, start);
    }
    const bits = bytes * 8;
    const sender = links.sender(d);
    const receiver = links.receiver(d);
    const up = this.meters.up;
    const txJ = bits * links.txEnergyPerBit(d);
    // A node that is down neither sends nor receives.
    if (txJ > 0 && !up[sender]) {
      this.joules = 0;
      return NaN;
    }
    const rxJ = up[receiver] ? bits * links.rxEnergyPerBit(d) : 0;
    const arrival = links.begin(d, bytes, start, bits > 0 ? txJ / bits : 0, bits > 0 ? rxJ / bits : 0);
    if (txJ > 0) this.batteries.chargeRadio(sender, txJ, 0, now);
    if (rxJ > 0) this.batteries.chargeRadio(receiver, 0, rxJ, now);
    if (!up[sender]) {
      // Its battery was empty: it went down now, and the transmission was taken back unsent.
      this.joules = 0;
      return NaN;
    }
    this.joules = txJ + (up[receiver] ? rxJ : 0);
    return arrival;
  }
}
