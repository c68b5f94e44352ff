import type { NodeTotals } from './meters.ts';
import type { NodeSpec } from './node.ts';
import type { LinkSpec } from './link.ts';

/**
 * The links: each direction of a full-duplex link is a FIFO transmitter whose service time is
 * known on entry (bytes × 8 / bandwidth), so a transfer's start is one computation (Lindley:
 * start = max(now, link free)). A transfer is reserved when it is queued and begins — its busy
 * time and radio energy charged — when its transmission starts, so a transfer lost while it
 * waited (its sender went down) was never sent and drew no energy. Where nothing can happen to a
 * waiting transfer (an `eager` direction: its sender has no battery and never fails, its
 * receiver draws no radio energy from a battery) the begin is booked when the transfer is
 * queued, at its future start, saving an event; window figures stay exact because busy time
 * is counted only up to the time asked ({@link busyUntil}) and the radio energy of bits not
 * yet sent is taken back from snapshots ({@link unsent}). Bytes carried in a window are its
 * busy time × bandwidth / 8: a link never reports bytes it could not carry.
 * Directed link 2i is link i from a to b, 2i + 1 from b to a.
 */
export class Links {
  /** Time each directed link is free (the end of the last reserved transmission). */
  private readonly free: Float64Array;
  /** Longest wait per link before a transfer is dropped (Infinity when unbounded). */
  private readonly maxWait: Float64Array;
  /** Transmission seconds of the transfers begun on each directed link since t = 0. */
  private readonly busyBegun: Float64Array;
  /** End of the transmission begun last on each directed link. */
  private readonly lastEnd: Float64Array;
  /** Sending and receiving node of each directed link. */
  readonly from: Int32Array;
  readonly to: Int32Array;
  /** Bandwidth of each directed link, bit/s. */
  private readonly bandwidth: Float64Array;
  /** Busy time of each directed link at warm-up. */
  readonly busyAtWarmup: Float64Array;
  /** 1 where a waiting transfer's begin may be booked when it is queued (see above). */
  readonly eager: Uint8Array;
  /** Radio energy actually charged per bit, to the sender and the receiver, for the last begun transfer of each direction, J/bit. */
  private readonly txPerBit: Float64Array;
  private readonly rxPerBit: Float64Array;
  /** Directed links each node sends on (built when first needed). */
  private outgoing: number[][] | undefined;

  constructor(
    readonly specs: readonly LinkSpec[],
    nodes: readonly NodeSpec[],
  ) {
    const dl = 2 * specs.length;
    this.free = new Float64Array(dl);
    this.maxWait = Float64Array.from(specs, (l) => l.maxWait ?? Infinity);
    this.busyBegun = new Float64Array(dl);
    this.lastEnd = new Float64Array(dl);
    this.busyAtWarmup = new Float64Array(dl);
    this.from = Int32Array.from({ length: dl }, (_, d) => ((d & 1) === 0 ? specs[d >> 1].a : specs[d >> 1].b));
    this.to = Int32Array.from({ length: dl }, (_, d) => ((d & 1) === 0 ? specs[d >> 1].b : specs[d >> 1].a));
    this.bandwidth = Float64Array.from({ length: dl }, (_, d) => specs[d >> 1].bandwidth);
    this.eager = new Uint8Array(dl);
    this.txPerBit = new Float64Array(dl);
    this.rxPerBit = new Float64Array(dl);
    // A node that never goes down: no battery, no failures.
    const safe = (k: number) => nodes[k].battery === undefined && nodes[k].failures === undefined;
    for (let d = 0; d < dl; d++) {
      const l = specs[d >> 1];
      this.eager[d] = safe(this.sender(d)) && (l.rxEnergyPerBit === 0 || safe(this.receiver(d))) ? 1 : 0;
    }
  }

  /** Node sending on directed link d. */
  sender(d: number): number {
    return this.from[d];
  }

  /** Node receiving on directed link d. */
  receiver(d: number): number {
    return this.to[d];
  }

  /**
   * Queues a transfer of `bytes` on directed link d: returns the time its transmission begins,
   * or NaN when it would wait longer than the link's buffer allows (it is then not sent).
   */
  reserve(d: number, bytes: number, now: number): number {
    const free = this.free[d];
    const start = free > now ? free : now;
    if (start - now > this.maxWait[d >> 1]) return NaN;
    this.free[d] = start + (bytes * 8) / this.bandwidth[d];
    return start;
  }

  /**
   * The transmission reserved at `start` begins: charges its busy time and records the radio
   * energy per bit its ends were charged (so bits not yet sent can be taken back); returns when
   * its last bit is sent.
   */
  begin(d: number, bytes: number, start: number, txPerBit: number, rxPerBit: number): number {
    const tx = (bytes * 8) / this.bandwidth[d];
    this.busyBegun[d] += tx;
    const end = start + tx;
    this.lastEnd[d] = end;
    this.txPerBit[d] = txPerBit;
    this.rxPerBit[d] = rxPerBit;
    return end;
  }

  /**
   * Node k went down at `now`: what it was sending stops — the rest of the transmission under
   * way is not sent (its busy time and radio energy are taken back) and the link is free at
   * once for whatever comes after (transfers it had queued are lost when their start comes).
   */
  senderDown(k: number, now: number, totals: readonly NodeTotals[]): void {
    if (!this.outgoing) {
      this.outgoing = Array.from({ length: totals.length }, () => []);
      for (let d = 0; d < this.free.length; d++) this.outgoing[this.sender(d)].push(d);
    }
    for (const d of this.outgoing[k]) {
      const u = this.lastEnd[d] - now;
      if (u > 0) {
        this.takeBack(d, u, totals);
        this.busyBegun[d] -= u;
        this.lastEnd[d] = now;
      }
      if (this.free[d] > now) this.free[d] = now;
    }
  }

  /** Transmission seconds of directed link d up to time t (t ≥ when the last begun transmission was reserved). */
  busyUntil(d: number, t: number): number {
    // Transmissions reserved by t run back to back from t until the last one ends, so what lies beyond t is exactly that.
    const beyond = this.lastEnd[d] - t;
    return beyond > 0 ? this.busyBegun[d] - beyond : this.busyBegun[d];
  }

  /** Seconds of transmission reserved but not yet sent on directed link d at `now` (its backlog). */
  backlog(d: number, now: number): number {
    const b = this.free[d] - now;
    return b > 0 ? b : 0;
  }

  /** Bytes directed link d carried between its warm-up snapshot and time t (busy time × bandwidth / 8). */
  bytesSinceWarmup(d: number, t: number): number {
    return ((this.busyUntil(d, t) - this.busyAtWarmup[d]) * this.specs[d >> 1].bandwidth) / 8;
  }

  /**
   * Radio energy is charged when a transmission begins; at a snapshot (warm-up, end) the energy
   * of the bits not yet sent at `now` — the rest of the transmission under way, and on eager
   * links every one booked — is taken back from these node totals, so windows count only bits sent.
   */
  takeBackUnsentRadio(totals: readonly NodeTotals[], now: number): void {
    for (let d = 0; d < this.free.length; d++) {
      const u = this.lastEnd[d] - now;
      if (u > 0) this.takeBack(d, u, totals);
    }
  }

  /** Takes back the radio energy of `seconds` of transmission on directed link d. */
  private takeBack(d: number, seconds: number, totals: readonly NodeTotals[]): void {
    const bits = seconds * this.specs[d >> 1].bandwidth;
    totals[this.sender(d)].radioTx -= bits * this.txPerBit[d];
    totals[this.receiver(d)].radioRx -= bits * this.rxPerBit[d];
  }

  /** Snapshot at the end of warm-up. */
  snapshot(now: number): void {
    for (let d = 0; d < this.busyAtWarmup.length; d++) this.busyAtWarmup[d] = this.busyUntil(d, now);
  }
}
