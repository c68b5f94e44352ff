import type { RadioTotals } from './meters.ts';
import type { NodeSpec } from './node.ts';
import type { LinkSpec } from './link.ts';
import { AnalyticDelays } from './analytic-link.ts';
import { float64Array } from '../core/typed-arrays.ts';

/**
 * The links: each direction of a full-duplex link is a FIFO transmitter whose service time is
 * known on entry (bytes × 8 / bandwidth), so a transfer's start is one computation (Lindley:
 * start = max(now, link free)). A transfer is reserved when it is queued and begins — its busy
 * time and radio energy charged — when its transmission starts, so a transfer lost while it
 * waited (its sender went down) was never sent and drew no energy. Where nothing can happen to a
 * waiting transfer (an `eager` direction: neither end has a battery or fails — a transfer for a
 * receiver that went down while it waited is dropped unsent, which only its start can see) the begin is booked when the transfer is
 * queued, at its future start, saving an event; window figures stay exact because busy time
 * is counted only up to the time asked ({@link busyUntil}) and the radio energy of bits not
 * yet sent is taken back from snapshots ({@link unsent}). Bytes carried in a window are its
 * busy time × bandwidth / 8: a link never reports bytes it could not carry.
 * Directed link 2i is link i from a to b, 2i + 1 from b to a. What a transfer reads and writes
 * sits in one record of {@link STRIDE} numbers (64 bytes), so a transfer touches one place in
 * memory per hop rather than a dozen arrays (with 10,000 devices each on its own link, that is
 * what keeps a hop in cache); what only some links or the snapshots need (a longest wait, radio
 * energy per bit, the warm-up's busy time) is in a cold record beside it.
 */
/**
 * Fields of a directed link's record, {@link STRIDE} numbers: the ones every transfer reads and
 * writes, on one 64-byte line (a device's link both ways, 128 bytes, takes three lines at most
 * where the record of 16 numbers took five: stop 33).
 */
const FREE = 0; // time the direction is free (the end of the last reserved transmission)
const BANDWIDTH = 1; // bit/s
const FLAGS = 2; // the bits below
const FROM = 3; // sending node
const TO = 4; // receiving node
const BUSY_BEGUN = 5; // transmission seconds of the transfers begun since t = 0
const LAST_END = 6; // end of the transmission begun last
const AFTER = 7; // from the last bit sent to the far end, s: the propagation delay (an analytic link: its transfer's delay less its transmission)
const STRIDE = 8;
/** FLAGS: a waiting transfer's begin may be booked when it is queued. */
const EAGER = 1;
/** FLAGS: a transfer may be refused (a finite longest wait) or the link is analytic: reserve reads the cold record. */
const LIMITED = 2;
/** FLAGS: the link's spec charges radio energy per bit (its per-bit figures are in the cold record). */
const RADIO = 4;
/** FLAGS: a result's last hop home over this direction completes without an event ({@link Links.markEarly}). */
const EARLY = 8;

/** Fields of a directed link's cold record, {@link COLD} numbers: read only by links that need them, and at snapshots. */
const MAX_WAIT = 0; // longest wait before a transfer is dropped, s (Infinity when unbounded; −∞ on an analytic link)
const DELAY = 1; // propagation delay, s
const TX_J_PER_BIT = 2; // radio energy the spec charges the sender / receiver, J/bit
const RX_J_PER_BIT = 3;
const TX_PER_BIT = 4; // radio energy actually charged per bit, sender / receiver, for the last begun transfer, J/bit
const RX_PER_BIT = 5;
const BUSY_AT_WARMUP = 6; // busy seconds at the warm-up snapshot
const OWNER = 7; // the request whose transmission began last, + 1 (0: none, or a process's): radio energy taken back is taken from it too
const COLD = 8;

/** What {@link Links.reattach} needs to move a transmission's radio energy under way to the new access point. */
export interface Handover {
  readonly now: number;
  readonly totals: RadioTotals;
  readonly up: Uint8Array;
  /** The radio draws of nodes `old` and `ap` changed (their batteries re-plan). */
  readonly moved: (old: number, ap: number) => void;
}

/** Room for {@link Links.radioDraws}: ends and powers of the transmissions under way at a node. */
export class RadioDraws {
  ends = new Float64Array(8);
  powers = new Float64Array(8);

  grow(): void {
    const ends = new Float64Array(2 * this.ends.length);
    const powers = new Float64Array(2 * this.powers.length);
    ends.set(this.ends);
    powers.set(this.powers);
    this.ends = ends;
    this.powers = powers;
  }
}

export class Links {
  /** The record of directed link d is rec[d·STRIDE …], its cold record cold[d·COLD …]; fields at the offsets above. */
  private readonly rec: Float64Array;
  private readonly cold: Float64Array;
  /** Number of directed links. */
  readonly count: number;
  /** Directed links each node sends on (built when first needed). */
  private outgoing: number[][] | undefined;
  /** Directed links each node receives on (built when first needed). */
  private incoming: number[][] | undefined;
  /**
   * Told of radio energy taken back, at a node going down or a move, from a transmission a request
   * began (`own`): the request charged it in full when it began, and keeps what was drawn only.
   */
  onTakeBack: ((request: number, joules: number) => void) | undefined;
  /** The links under an analytic delay model (world/analytic-link.ts); none: every link is FIFO. */
  readonly analytic: AnalyticDelays | undefined;

  constructor(
    readonly specs: readonly LinkSpec[],
    nodes: readonly NodeSpec[],
  ) {
    const dl = (this.count = 2 * specs.length);
    const rec = (this.rec = float64Array(dl * STRIDE));
    const cold = (this.cold = float64Array(dl * COLD));
    // A node that never goes down: no battery, no failures.
    const safe = (k: number) => nodes[k].battery === undefined && nodes[k].failures === undefined;
    for (let d = 0; d < dl; d++) {
      const l = specs[d >> 1];
      const o = d * STRIDE;
      const c = d * COLD;
      const from = (d & 1) === 0 ? l.a : l.b;
      const to = (d & 1) === 0 ? l.b : l.a;
      rec[o + BANDWIDTH] = l.bandwidth;
      // An analytic link never waits (its free time stays 0) and reads a max wait of −∞, so reserve's
      // wait test sends its transfers to the model; a link with no longest wait is not LIMITED and
      // never reads it.
      const maxWait = l.analytic === undefined ? (l.maxWait ?? Infinity) : -Infinity;
      cold[c + MAX_WAIT] = maxWait;
      rec[o + FROM] = from;
      rec[o + TO] = to;
      const eager = safe(from) && safe(to);
      const radio = l.txEnergyPerBit > 0 || l.rxEnergyPerBit > 0;
      rec[o + FLAGS] = (eager ? EAGER : 0) | (maxWait !== Infinity ? LIMITED : 0) | (radio ? RADIO : 0);
      cold[c + DELAY] = l.delay;
      rec[o + AFTER] = l.delay;
      cold[c + TX_J_PER_BIT] = l.txEnergyPerBit;
      cold[c + RX_J_PER_BIT] = l.rxEnergyPerBit;
    }
    if (AnalyticDelays.any(specs)) this.analytic = new AnalyticDelays(specs, nodes);
  }

  /** Node sending on directed link d. */
  sender(d: number): number {
    return this.rec[d * STRIDE + FROM];
  }

  /** Node receiving on directed link d. */
  receiver(d: number): number {
    return this.rec[d * STRIDE + TO];
  }

  /** Reads directed link d's record as a transfer on it will (both its lines): for {@link World}'s warming of events soon due; changes nothing. */
  touch(d: number): number {
    const o = d * STRIDE;
    return this.rec[o + FREE] + this.rec[o + AFTER];
  }

  /** Whether a waiting transfer's begin on directed link d may be booked when it is queued (see above). */
  eager(d: number): boolean {
    return (this.rec[d * STRIDE + FLAGS] & EAGER) !== 0;
  }

  /** Whether directed link d's spec charges radio energy per bit (else a transfer on it draws none). */
  charges(d: number): boolean {
    return (this.rec[d * STRIDE + FLAGS] & RADIO) !== 0;
  }

  /** Whether a result's last hop home over directed link d completes without an event of its own (see {@link markEarly}). */
  early(d: number): boolean {
    return (this.rec[d * STRIDE + FLAGS] & EARLY) !== 0;
  }

  /** Marks directed link d: a result's last hop home over it completes without an event (world/lifecycle.ts `allowEarlyCompletion`). */
  markEarly(d: number): void {
    const o = d * STRIDE + FLAGS;
    this.rec[o] = this.rec[o] | EARLY;
  }

  /**
   * Mobility: link i's end other than `device` is now node `ap` (a moving device's radio to its new
   * place's access point; its figures and queues stay). O(1), plus O(the access points' links) when
   * the outgoing lists of failing senders were built. `safe(k)`: node k never goes down.
   */
  reattach(i: number, device: number, ap: number, safe: (k: number) => boolean, handover?: Handover): void {
    const rec = this.rec;
    if (this.analytic !== undefined) {
      const o = 2 * i * STRIDE;
      const old = rec[o + FROM] === device ? rec[o + TO] : rec[o + FROM];
      if (old !== ap) this.analytic.moved(i, old, ap);
    }
    for (const d of [2 * i, 2 * i + 1]) {
      const o = d * STRIDE;
      const fromDevice = rec[o + FROM] === device;
      const old = fromDevice ? rec[o + TO] : rec[o + FROM];
      if (old === ap) return;
      if (handover !== undefined) this.handOver(d, fromDevice, old, ap, handover);
      if (fromDevice) {
        rec[o + TO] = ap;
        if (this.incoming) {
          const list = this.incoming[old];
          list.splice(list.indexOf(d), 1);
          this.incoming[ap].push(d);
        }
      } else {
        rec[o + FROM] = ap;
        if (this.outgoing) {
          const list = this.outgoing[old];
          list.splice(list.indexOf(d), 1);
          this.outgoing[ap].push(d);
        }
      }
      const from = rec[o + FROM];
      const to = rec[o + TO];
      const eager = safe(from) && safe(to);
      rec[o + FLAGS] = (rec[o + FLAGS] & ~EAGER) | (eager ? EAGER : 0);
    }
  }

  /** Propagation delay of directed link d, s. */
  delay(d: number): number {
    return this.cold[d * COLD + DELAY];
  }

  /** Radio energy per bit the link's spec charges the sender and the receiver of directed link d, J/bit. */
  txEnergyPerBit(d: number): number {
    return this.cold[d * COLD + TX_J_PER_BIT];
  }
  rxEnergyPerBit(d: number): number {
    return this.cold[d * COLD + RX_J_PER_BIT];
  }

  /**
   * Queues a transfer of `bytes` on directed link d: returns the time its transmission begins,
   * or NaN when it would wait longer than the link's buffer allows (it is then not sent). On an
   * analytic link it begins now, or is dropped (NaN) when the model fails it ({@link analyticStart}).
   */
  reserve(d: number, bytes: number, now: number): number {
    const rec = this.rec;
    const o = d * STRIDE;
    const free = rec[o + FREE];
    const start = free > now ? free : now;
    if ((rec[o + FLAGS] & LIMITED) !== 0) {
      const maxWait = this.cold[d * COLD + MAX_WAIT];
      if (start - now > maxWait) return maxWait === -Infinity ? this.analyticStart(d, bytes, now) : NaN;
    }
    rec[o + FREE] = start + (bytes * 8) / rec[o + BANDWIDTH];
    return start;
  }

  /**
   * A transfer of `bytes` starts now on analytic directed link d: no queue; it reaches the far end
   * after the model's delay (kept for {@link begin}, which follows at once), or is dropped (NaN).
   */
  private analyticStart(d: number, bytes: number, now: number): number {
    const delay = this.analytic!.delay(d);
    if (delay !== delay) return NaN;
    const o = d * STRIDE;
    this.rec[o + AFTER] = delay - (bytes * 8) / this.rec[o + BANDWIDTH];
    return now;
  }

  /**
   * The transmission reserved at `start` begins: charges its busy time and records the radio
   * energy per bit its ends were charged (so bits not yet sent can be taken back); returns when
   * it reaches the far end (its last bit sent, plus the propagation delay; on an analytic link,
   * its start plus the model's delay).
   */
  begin(d: number, bytes: number, start: number, txPerBit: number, rxPerBit: number): number {
    const c = d * COLD;
    this.cold[c + TX_PER_BIT] = txPerBit;
    this.cold[c + RX_PER_BIT] = rxPerBit;
    this.cold[c + OWNER] = 0;
    return this.beginFree(d, bytes, start);
  }

  /** The transmission just begun on directed link d (`begin`) is request r's. */
  own(d: number, r: number): void {
    this.cold[d * COLD + OWNER] = r + 1;
  }

  /** Tells the owner of directed link d's last begun transmission of `joules` taken back from it. */
  private tookBack(d: number, joules: number): void {
    const owner = this.cold[d * COLD + OWNER];
    if (owner > 0 && joules > 0) this.onTakeBack?.(owner - 1, joules);
  }

  /**
   * {@link begin} on a link whose spec charges no radio energy ({@link charges} false): its
   * per-bit figures stay 0, so only the record every transfer reads is written.
   */
  beginFree(d: number, bytes: number, start: number): number {
    const rec = this.rec;
    const o = d * STRIDE;
    const tx = (bytes * 8) / rec[o + BANDWIDTH];
    rec[o + BUSY_BEGUN] += tx;
    const end = start + tx;
    rec[o + LAST_END] = end;
    return end + rec[o + AFTER];
  }

  /**
   * Node k went down at `now`: what it was sending stops — the rest of the transmission under
   * way is not sent (its busy time and radio energy are taken back) and the link is free at
   * once for whatever comes after (transfers it had queued are lost when their start comes).
   */
  senderDown(k: number, now: number, totals: RadioTotals): void {
    const rec = this.rec;
    for (const d of this.outgoingOf(k, totals.nodeCount)) {
      const o = d * STRIDE;
      const u = rec[o + LAST_END] - now;
      if (u > 0) {
        this.tookBack(d, this.takeBack(d, u, totals));
        rec[o + BUSY_BEGUN] -= u;
        rec[o + LAST_END] = now;
      }
      if (rec[o + FREE] > now) rec[o + FREE] = now;
    }
  }

  /**
   * A move re-attaches directed link d's access-point end from `old` to `ap` while a transmission
   * may be under way on it: the access point's share of its radio energy not yet drawn (receiving,
   * when the device sends; sending, when it receives) is taken back from `old` and charged to `ap`
   * when `ap` is up — else taken back only (a node that is down neither sends nor receives) —, and
   * both are told (their batteries draw from the new figures).
   */
  private handOver(d: number, apReceives: boolean, old: number, ap: number, h: Handover): void {
    const u = this.rec[d * STRIDE + LAST_END] - h.now;
    if (!(u > 0)) return;
    const c = d * COLD + (apReceives ? RX_PER_BIT : TX_PER_BIT);
    const j = u * this.rec[d * STRIDE + BANDWIDTH] * this.cold[c];
    if (!(j > 0)) return;
    h.totals.addRadio(old, apReceives ? 0 : -j, apReceives ? -j : 0);
    if (h.up[ap]) h.totals.addRadio(ap, apReceives ? 0 : j, apReceives ? j : 0);
    else {
      this.cold[c] = 0;
      this.tookBack(d, j);
    }
    h.moved(old, ap);
  }

  /**
   * Node k went down at `now`: it receives nothing more of the transmissions under way to it —
   * their receive energy from `now` on is taken back from k's totals (their sender goes on
   * sending, and pays for it) and not counted again at a snapshot.
   */
  receiverDown(k: number, now: number, totals: RadioTotals): void {
    const rec = this.rec;
    for (const d of this.incomingOf(k, totals.nodeCount)) {
      const u = rec[d * STRIDE + LAST_END] - now;
      const c = d * COLD;
      if (u > 0 && this.cold[c + RX_PER_BIT] > 0) {
        const rx = u * rec[d * STRIDE + BANDWIDTH] * this.cold[c + RX_PER_BIT];
        totals.addRadio(k, 0, -rx);
        this.cold[c + RX_PER_BIT] = 0;
        this.tookBack(d, rx);
      }
    }
  }

  /**
   * The radio power node k draws from `now` on, as its transmissions under way send and receive
   * (charged in full when each began): per directed link it sends or receives on with a
   * transmission under way, the end of that transmission in `ends` and the power until then (the
   * per-bit energy × the bandwidth) in `powers`; returns how many. A receiver draws over the
   * transmission's own time, not shifted by the propagation delay. O(k's links).
   */
  radioDraws(k: number, now: number, nodeCount: number, out: RadioDraws): number {
    const rec = this.rec;
    let n = 0;
    const add = (d: number, perBit: number) => {
      const end = rec[d * STRIDE + LAST_END];
      if (!(end > now) || !(perBit > 0)) return;
      if (n === out.ends.length) out.grow();
      out.ends[n] = end;
      out.powers[n] = perBit * rec[d * STRIDE + BANDWIDTH];
      n++;
    };
    for (const d of this.outgoingOf(k, nodeCount)) add(d, this.cold[d * COLD + TX_PER_BIT]);
    for (const d of this.incomingOf(k, nodeCount)) add(d, this.cold[d * COLD + RX_PER_BIT]);
    return n;
  }

  /** Radio energy node k's transmissions under way have been charged but not drawn by `now` (each begun one is charged in full), J. O(k's links). */
  unsentRadio(k: number, now: number, nodeCount: number): number {
    const rec = this.rec;
    let j = 0;
    for (const d of this.outgoingOf(k, nodeCount)) {
      const u = rec[d * STRIDE + LAST_END] - now;
      if (u > 0) j += u * rec[d * STRIDE + BANDWIDTH] * this.cold[d * COLD + TX_PER_BIT];
    }
    for (const d of this.incomingOf(k, nodeCount)) {
      const u = rec[d * STRIDE + LAST_END] - now;
      if (u > 0) j += u * rec[d * STRIDE + BANDWIDTH] * this.cold[d * COLD + RX_PER_BIT];
    }
    return j;
  }

  private outgoingOf(k: number, nodeCount: number): readonly number[] {
    if (!this.outgoing) {
      this.outgoing = Array.from({ length: nodeCount }, () => []);
      for (let d = 0; d < this.count; d++) this.outgoing[this.sender(d)].push(d);
    }
    return this.outgoing[k];
  }

  private incomingOf(k: number, nodeCount: number): readonly number[] {
    if (!this.incoming) {
      this.incoming = Array.from({ length: nodeCount }, () => []);
      for (let d = 0; d < this.count; d++) this.incoming[this.receiver(d)].push(d);
    }
    return this.incoming[k];
  }

  /** Transmission seconds of directed link d up to time t (t ≥ when the last begun transmission was reserved). */
  busyUntil(d: number, t: number): number {
    // Transmissions reserved by t run back to back from t until the last one ends, so what lies beyond t is exactly that.
    const o = d * STRIDE;
    const begun = this.rec[o + BUSY_BEGUN];
    const beyond = this.rec[o + LAST_END] - t;
    return beyond > 0 ? begun - beyond : begun;
  }

  /** Transmission seconds of directed link d at the warm-up snapshot. */
  busyAtWarmup(d: number): number {
    return this.cold[d * COLD + BUSY_AT_WARMUP];
  }

  /** Seconds of transmission reserved but not yet sent on directed link d at `now` (its backlog). */
  backlog(d: number, now: number): number {
    const b = this.rec[d * STRIDE + FREE] - now;
    return b > 0 ? b : 0;
  }

  /** Bytes directed link d carried between its warm-up snapshot and time t (busy time × bandwidth / 8). */
  bytesSinceWarmup(d: number, t: number): number {
    return ((this.busyUntil(d, t) - this.busyAtWarmup(d)) * this.rec[d * STRIDE + BANDWIDTH]) / 8;
  }

  /**
   * Radio energy is charged when a transmission begins; at a snapshot (warm-up, end) the energy
   * of the bits not yet sent at `now` — the rest of the transmission under way, and on eager
   * links every one booked — is taken back from these node totals, so windows count only bits sent.
   */
  takeBackUnsentRadio(totals: RadioTotals, now: number): void {
    for (let d = 0; d < this.count; d++) {
      const u = this.rec[d * STRIDE + LAST_END] - now;
      if (u > 0) this.takeBack(d, u, totals);
    }
  }

  /** Takes back the radio energy of `seconds` of transmission on directed link d; returns the joules (both ends). */
  private takeBack(d: number, seconds: number, totals: RadioTotals): number {
    const o = d * STRIDE;
    const bits = seconds * this.rec[o + BANDWIDTH];
    const c = d * COLD;
    const tx = bits * this.cold[c + TX_PER_BIT];
    const rx = bits * this.cold[c + RX_PER_BIT];
    totals.addRadio(this.sender(d), -tx, 0);
    totals.addRadio(this.receiver(d), 0, -rx);
    return tx + rx;
  }

  /** Snapshot at the end of warm-up. */
  snapshot(now: number): void {
    for (let d = 0; d < this.count; d++) this.cold[d * COLD + BUSY_AT_WARMUP] = this.busyUntil(d, now);
  }
}
