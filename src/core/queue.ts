/**
 * Future-event list ordered by (time, seq), where seq is the insertion counter, so same-time
 * events pop in insertion order and a run is a pure function of (scenario, seed). An event is
 * 16 bytes — time (float64), seq word (uint32) and payload (uint32) — in typed arrays; no object
 * per event.
 *
 * Two tiers. The near tier is a 4-ary min-heap of the events due soonest: the four children of a
 * node are 64 adjacent bytes, and the least of them is picked without data-dependent branches.
 * With more than heapOnlyMax events pending, the later ones wait in the far tier, a calendar:
 * buckets of equal time width, each a list of fixed-size chunks that its events are appended
 * to, and an overflow list for events beyond the last bucket. When the heap runs dry, the next
 * bucket is moved into it and heapified; when the buckets run out, the overflow list is laid
 * out in new buckets, their width set from a sample of its times so that a bucket holds about
 * bucketEvents events. So the heap stays small and in cache, and most events cost an append and
 * one later move instead of a climb through a heap of all pending events, whose cache and TLB
 * misses dominate at a million pending events.
 *
 * An event belongs to the far tier exactly when its bucket index floor((time − base)·invW) is
 * above that of the last bucket moved. The index never decreases as time grows, so every far
 * event is later than every heap event, and the heap's (time, seq) top is the earliest pending
 * event: the order is the same as one heap's, whatever the widths.
 *
 * pop() does not remove the top at once: it marks it taken, and the next push that belongs to
 * the heap writes its event over the taken top and sifts it down — one sift where removal and
 * insertion would make two. Handling an event and scheduling the next one soon after is the
 * common step of a simulation, so pops and pushes often fuse this way. Any other call removes a
 * taken top first.
 *
 * The seq word is counter·2 + c, where c = 1 marks a cancellable event: the heap still orders by
 * the whole word (the counter dominates), and all 32 payload bits stay free for
 * kind·2^26 + subject, so every one of the 64 kinds is usable. A cancellable event's payload is
 * instead a token: an index into a side table holding its kind, subject, generation and whether
 * it is still live. Cancelling clears the live flag; the entry stays (lazy deletion) and is
 * dropped when it reaches the top of the heap or leaves a bucket, which frees the token.
 */
const KIND_BITS = 6;
const SUBJECT_BITS = 32 - KIND_BITS;
const SUBJECT_MASK = 2 ** SUBJECT_BITS - 1;
/** Largest event kind the queue can hold. */
export const MAX_EVENT_KIND = 2 ** KIND_BITS - 1;
/** Largest subject index the queue can hold. */
export const MAX_EVENT_SUBJECT = SUBJECT_MASK;
/** The "no handle" value: never returned by pushCancellable, and cancel(NO_EVENT) is false. */
export const NO_EVENT = -1;
/**
 * Insertion counters are renumbered before counter·2 + 1 would overflow the 32-bit seq word.
 */
const SEQ_LIMIT = 2 ** 31 - 1;
/** Tokens (concurrently pending cancellable events, cancelled ones included) are below this. */
const TOKEN_SPACE = 2 ** 26;
/**
 * Handles are generation·TOKEN_SPACE + token. A token whose generation would reach this is
 * retired instead of reused, so handles stay below 2^53 and a stale handle never matches.
 */
const GENERATION_LIMIT = 2 ** 27;
/** Cancelled entries are swept out once they are more than half of all entries (and this many). */
const COMPACT_MIN = 1024;
/** Most buckets: each has a chunk being filled, and too many of those scatter the appends over memory. */
const MAX_BUCKETS = 8192;
/** Events per far-tier chunk (512 bytes). */
const CHUNK = 32;
/** Pending times sampled (evenly through the overflow list) to size the buckets. */
const SAMPLES = 512;

/** How the queue splits its events between the tiers (see {@link DEFAULT_LAYOUT}). */
export interface QueueLayout {
  /** Up to this many pending events the queue is the heap alone. */
  readonly heapOnlyMax: number;
  /**
   * Events a bucket is sized to hold when it is moved into the heap: few, so the heap is
   * shallow, but more once MAX_BUCKETS buckets would not cover twice the pending events.
   */
  readonly bucketEvents: number;
}

/** The layout of every simulation; tests pass smaller ones to bring the far tier into play with few events. */
export const DEFAULT_LAYOUT: QueueLayout = { heapOnlyMax: 4096, bucketEvents: 32 };

/** The future-event list. */
export class EventQueue {
  // Near tier: a 4-ary heap.
  private f: Float64Array; // f[2i] = time of heap entry i
  private u: Uint32Array; // u[4i + 2] = seq word, u[4i + 3] = payload of heap entry i
  private n = 0; // heap entries, cancelled ones and a taken top included
  private taken = false; // heap entry 0 was popped and awaits removal (or replacement by the next push)

  // Far tier: list b < nb holds the events of bucket b = floor((time − base)·invW), list nb the
  // events of later buckets (overflow). Buckets ≤ cur were moved into the heap. In heap-only
  // mode invW = 0, nb = 0 and cur = Infinity, so every event belongs to the heap.
  private base = 0;
  private invW = 0;
  private nb = 0;
  private cur = Infinity;
  private far = 0; // far-tier entries, cancelled ones included
  private head = new Int32Array(16).fill(-1); // first chunk of each list, -1 when empty
  private tail = new Int32Array(16).fill(-1); // last chunk of each list
  // Chunks of CHUNK entries, laid out like the heap: entry k of chunk c is entry c·CHUNK + k of cf/cu.
  private cf: Float64Array;
  private cu: Uint32Array;
  private chunkNext = new Int32Array(16); // next chunk of the same list, -1 at its end
  private chunkLen = new Int32Array(16); // entries in the chunk
  private chunksMade = 0;
  private freeChunk = -1; // stack of free chunks, linked by chunkNext
  /** A push that makes the heap larger than this lays the queue out afresh (set by rebuild and refill). */
  private spillAt: number;
  /** A push that makes the far tier larger than this (twice the events of the last layout) lays the queue out afresh. */
  private regrowAt = Infinity;
  private readonly samples = new Float64Array(2 * SAMPLES + 2);

  private dead = 0; // entries that are cancelled, in either tier
  private nextSeq = 0;

  // Token table of cancellable events, grown by doubling.
  private tokenKind = new Uint8Array(16);
  private tokenSubject = new Uint32Array(16);
  private tokenGeneration = new Uint32Array(16);
  private tokenLive = new Uint8Array(16); // 1 while pending and not cancelled
  private tokensUsed = 0; // tokens ever handed out (high-water mark)
  private freeTokens = new Uint32Array(16); // stack of freed tokens
  private freeCount = 0;

  /**
   * `initialCapacity` is a hint of the events that will be pending. `seqLimit` and `layout` are
   * for tests: insertion counters are renumbered when they reach `seqLimit`.
   */
  constructor(
    initialCapacity = 1024,
    private readonly seqLimit = SEQ_LIMIT,
    private readonly layout = DEFAULT_LAYOUT,
  ) {
    if (!(seqLimit >= 1 && seqLimit <= SEQ_LIMIT)) throw new RangeError(`seqLimit ${seqLimit} is outside [1, ${SEQ_LIMIT}]`);
    this.spillAt = layout.heapOnlyMax;
    // Beyond heapOnlyMax pending events most wait in the far tier, so the heap starts no larger.
    const buffer = new ArrayBuffer(Math.max(16, Math.min(initialCapacity, 2 * layout.heapOnlyMax)) * 16);
    this.f = new Float64Array(buffer);
    this.u = new Uint32Array(buffer);
    const chunks = new ArrayBuffer(this.chunkNext.length * CHUNK * 16);
    this.cf = new Float64Array(chunks);
    this.cu = new Uint32Array(chunks);
  }

  /** Number of pending live (not cancelled) events. */
  get size(): number {
    return this.n + this.far - this.dead - (this.taken ? 1 : 0);
  }

  /** Time of the earliest pending live event (Infinity when there is none). */
  peekTime(): number {
    return this.settle() ? this.f[0] : Infinity;
  }

  /**
   * Told of the events (not the cancellable ones) that a bucket moves from the far tier into the
   * heap, where they will be among the next few dozen to pop: event j of `count` has kind
   * `kinds[j]` and subject `subjects[j]` (the arrays are the queue's, reused: read them at once). A
   * caller may read what handling them will read (see world/warm.ts), so that memory is fetched for
   * many events at once rather than one miss after another as each is handled. It must change nothing.
   */
  onPromote: ((kinds: Uint8Array, subjects: Int32Array, count: number) => void) | undefined = undefined;
  private promotedKinds = new Uint8Array(64);
  private promotedSubjects = new Int32Array(64);

  /** Kind of the most recently popped event. */
  poppedKind = 0;
  /** Subject of the most recently popped event. */
  poppedSubject = 0;
  /** Time of the most recently popped event. */
  poppedTime = 0;

  /** Schedules an event that cannot be cancelled; kind ≤ MAX_EVENT_KIND, 0 ≤ subject ≤ MAX_EVENT_SUBJECT. */
  push(time: number, kind: number, subject: number): void {
    if (subject > SUBJECT_MASK || subject < 0 || kind > MAX_EVENT_KIND || kind < 0) throw misfit(kind, subject);
    if (this.nextSeq === this.seqLimit) this.renumber();
    this.insert(time, this.nextSeq++ * 2, ((kind << SUBJECT_BITS) | subject) >>> 0);
  }

  /** Schedules an event that cancel() can withdraw; returns its handle (a non-negative integer below 2^53). */
  pushCancellable(time: number, kind: number, subject: number): number {
    if (subject > SUBJECT_MASK || subject < 0 || kind > MAX_EVENT_KIND || kind < 0) throw misfit(kind, subject);
    if (this.nextSeq === this.seqLimit) this.renumber();
    const token = this.takeToken();
    this.tokenKind[token] = kind;
    this.tokenSubject[token] = subject;
    this.tokenLive[token] = 1;
    this.insert(time, this.nextSeq++ * 2 + 1, token);
    return this.tokenGeneration[token] * TOKEN_SPACE + token;
  }

  /**
   * Cancels the pending event of `handle` and returns true; returns false when that event
   * already ran or was already cancelled (or the handle is NO_EVENT or not one of ours).
   */
  cancel(handle: number): boolean {
    if (!Number.isSafeInteger(handle) || handle < 0) return false;
    const token = handle % TOKEN_SPACE;
    // A token is freed (and its generation bumped) when its event is popped or its cancelled
    // entry is dropped, so a matching generation means the event is still pending.
    if (token >= this.tokensUsed || this.tokenGeneration[token] !== (handle - token) / TOKEN_SPACE) return false;
    if (this.tokenLive[token] === 0) return false;
    this.tokenLive[token] = 0;
    this.dead++;
    const entries = this.n + this.far;
    if (this.dead * 2 > entries && entries >= COMPACT_MIN) this.compact();
    return true;
  }

  /** Removes the earliest live event; its fields are left in poppedTime/Kind/Subject. Returns false when none is left. */
  pop(): boolean {
    return this.popUntil(Infinity);
  }

  /**
   * Removes the earliest live event if its time is ≤ `until` (peekTime() and pop() in one);
   * its fields are left in poppedTime/Kind/Subject. Returns false when there is no such event.
   */
  popUntil(until: number): boolean {
    if (!this.settle()) return false;
    const time = this.f[0];
    if (time > until) return false;
    const payload = this.u[3];
    this.poppedTime = time;
    if ((this.u[2] & 1) === 0) {
      this.poppedKind = payload >>> SUBJECT_BITS;
      this.poppedSubject = payload & SUBJECT_MASK;
    } else {
      // Freed now, while the entry stays as the taken top: the event is no longer pending,
      // so its handle goes stale and the handler can reuse the token.
      this.poppedKind = this.tokenKind[payload];
      this.poppedSubject = this.tokenSubject[payload];
      this.freeToken(payload);
    }
    this.taken = true;
    return true;
  }

  /** Pending live events of one kind (a scan: for end-of-run checks, not for the hot path). */
  count(kind: number): number {
    let c = 0;
    for (const p of this.wordPlaces()) {
      const word = p >= 0 ? this.u[p] : this.cu[~p];
      const payload = p >= 0 ? this.u[p + 1] : this.cu[~p + 1];
      if ((word & 1) === 0) {
        if (payload >>> SUBJECT_BITS === kind) c++;
      } else if (this.tokenLive[payload] === 1 && this.tokenKind[payload] === kind) c++;
    }
    return c;
  }

  /**
   * Makes heap entry 0 the earliest live event, not taken: removes a taken top, drops cancelled
   * tops and refills an empty heap from the far tier. Returns false when no live event is left.
   */
  private settle(): boolean {
    if (this.taken) this.removeTaken();
    for (;;) {
      if (this.dead > 0) this.dropCancelledTop();
      if (this.n > 0) return true;
      if (this.far === 0) return false;
      this.refill();
    }
  }

  /** Adds an entry to the tier it belongs to; in the heap, over the taken top if there is one. */
  private insert(time: number, word: number, payload: number): void {
    const b = Math.floor((time - this.base) * this.invW);
    if (b > this.cur) {
      this.append(b < this.nb ? b : this.nb, time, word, payload);
      if (++this.far > this.regrowAt) this.rebuild();
      return;
    }
    if (this.taken) {
      this.taken = false;
      this.siftDown(0, time, word, payload);
      return;
    }
    if (this.n * 2 + 2 > this.f.length) this.growHeap(this.n + 1);
    this.siftUp(this.n++, time, word, payload);
    if (this.n > this.spillAt) this.rebuild();
  }

  /** Removes the taken top. */
  private removeTaken(): void {
    this.taken = false;
    this.removeTop();
  }

  /**
   * Removes heap entry 0 (n > 0): the hole walks down to a leaf along least children, then the
   * last entry sifts up from there. The last entry is a leaf, usually among the latest, so it
   * would mostly sink to the bottom anyway, and the walk saves comparing it at every level.
   */
  private removeTop(): void {
    const last = --this.n;
    if (last === 0) return;
    const f = this.f;
    const u = this.u;
    let i = 0;
    for (let c = 1; c < last; c = 4 * i + 1) {
      const m = this.leastChild(c, last);
      f[2 * i] = f[2 * m];
      u[4 * i + 2] = u[4 * m + 2];
      u[4 * i + 3] = u[4 * m + 3];
      i = m;
    }
    this.siftUp(i, f[2 * last], u[4 * last + 2], u[4 * last + 3]);
  }

  /** Pops cancelled entries off the top so that heap entry 0, if any, is live (no top is taken). */
  private dropCancelledTop(): void {
    const u = this.u;
    while (this.n > 0 && (u[2] & 1) === 1 && this.tokenLive[u[3]] === 0) {
      this.freeToken(u[3]);
      this.dead--;
      this.removeTop();
    }
  }

  /**
   * Puts entry (time, word, payload) into the hole at heap entry i, whose subtree is otherwise
   * a heap, moving least children up while they are earlier.
   */
  private siftDown(i: number, time: number, word: number, payload: number): void {
    const f = this.f;
    const u = this.u;
    const n = this.n;
    for (let c = 4 * i + 1; c < n; c = 4 * i + 1) {
      const m = this.leastChild(c, n);
      const mt = f[2 * m];
      if (time < mt || (time === mt && word < u[4 * m + 2])) break;
      f[2 * i] = mt;
      u[4 * i + 2] = u[4 * m + 2];
      u[4 * i + 3] = u[4 * m + 3];
      i = m;
    }
    f[2 * i] = time;
    u[4 * i + 2] = word;
    u[4 * i + 3] = payload;
  }

  /**
   * The least of the heap entries c to min(c + 3, n − 1), siblings with c < n. Four are
   * compared as two pairs and a final, each choice an arithmetic 0 or 1, with the seq words
   * read only when times are equal: a binary heap's unpredictable branch per level costs more.
   */
  private leastChild(c: number, n: number): number {
    const f = this.f;
    const u = this.u;
    if (c + 3 < n) {
      const t0 = f[2 * c];
      const t1 = f[2 * c + 2];
      const t2 = f[2 * c + 4];
      const t3 = f[2 * c + 6];
      let a = c + Number(t1 < t0);
      if (t1 === t0) a = c + Number(u[4 * c + 6] < u[4 * c + 2]);
      let b = c + 2 + Number(t3 < t2);
      if (t3 === t2) b = c + 2 + Number(u[4 * c + 14] < u[4 * c + 10]);
      const at = f[2 * a];
      const bt = f[2 * b];
      let second = Number(bt < at);
      if (bt === at) second = Number(u[4 * b + 2] < u[4 * a + 2]);
      return a + (b - a) * second;
    }
    // The last parent: one to three children.
    let m = c;
    for (let j = c + 1; j < n; j++) {
      if (f[2 * j] < f[2 * m] || (f[2 * j] === f[2 * m] && u[4 * j + 2] < u[4 * m + 2])) m = j;
    }
    return m;
  }

  /** Puts entry (time, word, payload) into the hole at heap entry i, moving parents down while they are later. */
  private siftUp(i: number, time: number, word: number, payload: number): void {
    const f = this.f;
    const u = this.u;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = f[2 * p];
      if (pt < time || (pt === time && u[4 * p + 2] < word)) break;
      f[2 * i] = pt;
      u[4 * i + 2] = u[4 * p + 2];
      u[4 * i + 3] = u[4 * p + 3];
      i = p;
    }
    f[2 * i] = time;
    u[4 * i + 2] = word;
    u[4 * i + 3] = payload;
  }

  /** Floyd's heapify of the heap's n entries. */
  private heapify(): void {
    const f = this.f;
    const u = this.u;
    for (let i = (this.n - 2) >> 2; i >= 0; i--) this.siftDown(i, f[2 * i], u[4 * i + 2], u[4 * i + 3]);
  }

  /** The heap is empty and the far tier is not: moves the next nonempty bucket into the heap, or re-lays the overflow list. */
  private refill(): void {
    while (++this.cur < this.nb) {
      if (this.head[this.cur] < 0) continue;
      this.drain(this.cur);
      this.heapify();
      this.spillAt = Math.max(this.layout.heapOnlyMax, 2 * this.n, (this.n + this.far) >> 2);
      return;
    }
    this.rebuild(); // only the overflow list holds events now
  }

  /** Moves the live entries of list l to the end of the heap (unordered), dropping cancelled ones and freeing the chunks. */
  private drain(l: number): void {
    const from = this.n;
    let c = this.head[l];
    this.head[l] = this.tail[l] = -1;
    while (c >= 0) {
      const len = this.chunkLen[c];
      if ((this.n + len) * 2 > this.f.length) this.growHeap(this.n + len);
      const f = this.f;
      const u = this.u;
      const cf = this.cf;
      const cu = this.cu;
      let m = this.n;
      for (let e = c * CHUNK, end = e + len; e < end; e++) {
        const word = cu[4 * e + 2];
        const payload = cu[4 * e + 3];
        if ((word & 1) === 1 && this.tokenLive[payload] === 0) {
          this.freeToken(payload);
          this.dead--;
          continue;
        }
        f[2 * m] = cf[2 * e];
        u[4 * m + 2] = word;
        u[4 * m + 3] = payload;
        m++;
      }
      this.n = m;
      this.far -= len;
      const next = this.chunkNext[c];
      this.releaseChunk(c);
      c = next;
    }
    if (this.onPromote !== undefined) this.tellPromoted(from);
  }

  /** Tells {@link onPromote} of the heap's entries from `from` on that are not cancellable. */
  private tellPromoted(from: number): void {
    const u = this.u;
    if (this.promotedSubjects.length < this.n - from) {
      this.promotedKinds = new Uint8Array(2 * (this.n - from));
      this.promotedSubjects = new Int32Array(2 * (this.n - from));
    }
    const kinds = this.promotedKinds;
    const subjects = this.promotedSubjects;
    let count = 0;
    for (let m = from; m < this.n; m++) {
      if ((u[4 * m + 2] & 1) === 1) continue;
      const payload = u[4 * m + 3];
      kinds[count] = payload >>> SUBJECT_BITS;
      subjects[count++] = payload & SUBJECT_MASK;
    }
    if (count > 0) this.onPromote!(kinds, subjects, count);
  }

  /**
   * Lays the queue out afresh from all its live entries, dropping cancelled ones: in the heap
   * alone when there are at most heapOnlyMax (or the times do not spread), else in buckets
   * whose width is set from a sample of the times so that the first holds about bucketEvents.
   * There are as many buckets as four times the events would fill at that rate, up to
   * MAX_BUCKETS, so that the overflow list is laid out again only after most of the events
   * pending now have been moved to the heap; bucketEvents is raised as far as needed for
   * MAX_BUCKETS buckets to cover twice the events.
   */
  private rebuild(): void {
    if (this.taken) this.removeTaken();
    // Every entry into one chain of chunks: the heap's appended to the overflow list, then all lists linked.
    for (let i = 0; i < this.n; i++) this.append(this.nb, this.f[2 * i], this.u[4 * i + 2], this.u[4 * i + 3]);
    this.far += this.n;
    this.n = 0;
    let first = -1;
    let last = -1;
    for (let l = 0; l <= this.nb; l++) {
      if (this.head[l] < 0) continue;
      if (last < 0) first = this.head[l];
      else this.chunkNext[last] = this.head[l];
      last = this.tail[l];
      this.head[l] = this.tail[l] = -1;
    }
    // Live entries, the earliest and latest finite times, and a sample.
    const stride = Math.max(1, Math.floor(this.far / SAMPLES));
    const samples = this.samples;
    let live = 0;
    let sampled = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = first, k = 0; c >= 0; c = this.chunkNext[c]) {
      for (let e = c * CHUNK, end = e + this.chunkLen[c]; e < end; e++, k++) {
        if ((this.cu[4 * e + 2] & 1) === 1 && this.tokenLive[this.cu[4 * e + 3]] === 0) continue;
        const t = this.cf[2 * e];
        live++;
        if (t < lo) lo = t;
        if (t > hi && t < Infinity) hi = t;
        if (k % stride === 0) samples[sampled++] = t;
      }
    }
    // The width: bucketEvents over the density at the front of the sample (from at least 16
    // samples, for a steadier estimate), or over the mean density when the front is one time.
    let w = NaN;
    let bucketEvents = this.layout.bucketEvents;
    if (live > this.layout.heapOnlyMax) {
      const sorted = samples.subarray(0, sampled).sort();
      bucketEvents = Math.max(bucketEvents, (2 * live) / MAX_BUCKETS);
      const wanted = (bucketEvents * sampled) / live; // samples in a bucket of bucketEvents events
      const j = Math.min(sampled - 1, Math.max(16, Math.round(wanted)));
      if (j > 0) w = ((sorted[j] - lo) * wanted) / j;
      if (!(w > 0)) w = ((hi - lo) * bucketEvents) / live;
    }
    if (w > 0 && 1 / w < Infinity && hi - lo < Infinity) {
      this.base = lo;
      this.invW = 1 / w;
      this.nb = Math.min(MAX_BUCKETS, Math.ceil((4 * live) / bucketEvents), Math.floor((hi - lo) * this.invW) + 1);
      this.cur = -1;
      if (this.nb + 1 > this.head.length) {
        this.head = new Int32Array(2 * (this.nb + 1)).fill(-1);
        this.tail = new Int32Array(2 * (this.nb + 1)).fill(-1);
      }
    } else {
      this.base = 0;
      this.invW = 0;
      this.nb = 0;
      this.cur = Infinity;
    }
    // Every live entry to where it now belongs.
    this.far = 0;
    for (let c = first; c >= 0; ) {
      for (let e = c * CHUNK, end = e + this.chunkLen[c]; e < end; e++) {
        const time = this.cf[2 * e];
        const word = this.cu[4 * e + 2];
        const payload = this.cu[4 * e + 3];
        if ((word & 1) === 1 && this.tokenLive[payload] === 0) {
          this.freeToken(payload);
          this.dead--;
          continue;
        }
        const b = Math.floor((time - this.base) * this.invW);
        if (b > this.cur) {
          this.append(b < this.nb ? b : this.nb, time, word, payload);
          this.far++;
        } else {
          if (this.n * 2 + 2 > this.f.length) this.growHeap(this.n + 1);
          this.f[2 * this.n] = time;
          this.u[4 * this.n + 2] = word;
          this.u[4 * this.n + 3] = payload;
          this.n++;
        }
      }
      const next = this.chunkNext[c];
      this.releaseChunk(c);
      c = next;
    }
    this.heapify();
    this.spillAt = Math.max(this.layout.heapOnlyMax, 2 * this.n, (this.n + this.far) >> 2);
    this.regrowAt = 2 * (this.n + this.far);
  }

  /** Appends an entry to far-tier list l. */
  private append(l: number, time: number, word: number, payload: number): void {
    let c = this.tail[l];
    if (c < 0 || this.chunkLen[c] === CHUNK) {
      const d = this.takeChunk();
      if (c < 0) this.head[l] = d;
      else this.chunkNext[c] = d;
      this.tail[l] = c = d;
    }
    const e = c * CHUNK + this.chunkLen[c]++;
    this.cf[2 * e] = time;
    this.cu[4 * e + 2] = word;
    this.cu[4 * e + 3] = payload;
  }

  /** An empty chunk, growing the chunk store when none is free. */
  private takeChunk(): number {
    let c = this.freeChunk;
    if (c >= 0) this.freeChunk = this.chunkNext[c];
    else {
      c = this.chunksMade++;
      if (c === this.chunkNext.length) {
        const size = 2 * c;
        this.chunkNext = larger(this.chunkNext, size);
        this.chunkLen = larger(this.chunkLen, size);
        const buffer = new ArrayBuffer(size * CHUNK * 16);
        new Uint8Array(buffer).set(new Uint8Array(this.cf.buffer));
        this.cf = new Float64Array(buffer);
        this.cu = new Uint32Array(buffer);
      }
    }
    this.chunkNext[c] = -1;
    this.chunkLen[c] = 0;
    return c;
  }

  private releaseChunk(c: number): void {
    this.chunkNext[c] = this.freeChunk;
    this.freeChunk = c;
  }

  /** Drops every cancelled entry, so cancelled timers cannot pile up (and lays the queue out afresh). */
  private compact(): void {
    this.rebuild();
  }

  /**
   * Where the seq word of every pending entry (a taken top is not) is, its payload following:
   * 4i + 2 in u for heap entry i, ~(4e + 2) in cu for far-tier entry e (a scan: for count and
   * renumber, not for the hot path).
   */
  private wordPlaces(): number[] {
    const places: number[] = [];
    for (let i = this.taken ? 1 : 0; i < this.n; i++) places.push(4 * i + 2);
    for (let l = 0; l <= this.nb; l++) {
      for (let c = this.head[l]; c >= 0; c = this.chunkNext[c]) {
        for (let e = c * CHUNK, end = e + this.chunkLen[c]; e < end; e++) places.push(~(4 * e + 2));
      }
    }
    return places;
  }

  /** Replaces every pending counter by its rank among them, keeping order and flags (once per 2^31 pushes). */
  private renumber(): void {
    if (this.taken) this.removeTaken();
    if (this.dead > 0) this.compact(); // rank live entries only
    const word = (p: number) => (p >= 0 ? this.u[p] : this.cu[~p]);
    const places = this.wordPlaces().sort((a, b) => word(a) - word(b));
    places.forEach((p, rank) => {
      const renumbered = rank * 2 + (word(p) & 1);
      if (p >= 0) this.u[p] = renumbered;
      else this.cu[~p] = renumbered;
    });
    this.nextSeq = places.length;
    if (places.length >= this.seqLimit) throw new RangeError(`more than ${this.seqLimit} events pending`);
  }

  /** A free token, growing the table when none is. */
  private takeToken(): number {
    if (this.freeCount > 0) return this.freeTokens[--this.freeCount];
    const token = this.tokensUsed;
    if (token === TOKEN_SPACE) throw new RangeError(`more than ${TOKEN_SPACE} cancellable events pending`);
    if (token === this.tokenKind.length) this.growTokens();
    this.tokensUsed++;
    return token;
  }

  /** Returns a token whose event was popped or whose cancelled entry was dropped; its generation moves on so old handles go stale. */
  private freeToken(token: number): void {
    this.tokenLive[token] = 0;
    const generation = this.tokenGeneration[token] + 1;
    this.tokenGeneration[token] = generation;
    if (generation === GENERATION_LIMIT) return; // retired: its handles would no longer be unique
    this.freeTokens[this.freeCount++] = token;
  }

  private growTokens(): void {
    const size = this.tokenKind.length * 2;
    this.tokenKind = larger(this.tokenKind, size);
    this.tokenSubject = larger(this.tokenSubject, size);
    this.tokenGeneration = larger(this.tokenGeneration, size);
    this.tokenLive = larger(this.tokenLive, size);
    this.freeTokens = larger(this.freeTokens, size);
  }

  /** Grows the heap to hold at least `entries` entries. */
  private growHeap(entries: number): void {
    let size = this.f.byteLength * 2;
    while (size < entries * 16) size *= 2;
    const buffer = new ArrayBuffer(size);
    new Uint8Array(buffer).set(new Uint8Array(this.f.buffer));
    this.f = new Float64Array(buffer);
    this.u = new Uint32Array(buffer);
  }
}

/** A copy of a typed array in a larger one of the same type. */
function larger<T extends Uint8Array | Uint32Array | Int32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** The error of an event that does not fit the payload (kept out of push so push stays small). */
function misfit(kind: number, subject: number): RangeError {
  return new RangeError(`event (kind ${kind}, subject ${subject}) does not fit the queue (kind ≤ ${MAX_EVENT_KIND}, subject ≤ ${MAX_EVENT_SUBJECT})`);
}
