import type { LinkSpec } from './link.ts';
import { float64Array, int32Array, uint8Array } from '../core/typed-arrays.ts';

/** A route: the directed links crossed in order, and the nodes visited (source first). */
export interface Route {
  readonly links: readonly number[];
  readonly nodes: readonly number[];
  /** Unloaded latency of the route for the payload it was computed for, s. */
  readonly latency: number;
}

/** Shortest-path tree towards one root: distance and next hop of every node. */
interface Tree {
  readonly dist: Float64Array;
  /** Directed link to take from a node towards the root, −1 at the root or when unreachable. */
  readonly nextLink: Int32Array;
  readonly nextNode: Int32Array;
}

/** Nearest of a set of sources for every node: its distance and which source (−1 when none is reachable). */
interface Nearest {
  readonly dist: Float64Array;
  readonly origin: Int32Array;
}

/** How much {@link Topology} keeps (the defaults suit any size; tests set them to reach every path). */
export interface TopologyOptions {
  /** Queries a destination answers by searches that stop early before it keeps its whole tree (default nodes / 16; Infinity never, 0 always). */
  readonly keepTreeAfter?: number;
  /** Labels all paused searches together may keep (default 4 × nodes; 0: none is paused). */
  readonly pausedLabels?: number;
  /** Labels past which a destination's paused search gives way to its whole tree (default nodes / 16). */
  readonly pausedMax?: number;
}

const shared = new WeakMap<readonly LinkSpec[], Topology>();

/**
 * The topology of a list of links with the default options, made once per list (by identity):
 * building a scenario, checking its offered load and running its world share one, so the routes
 * the load check found are not searched again by the run.
 */
export function sharedTopology(nodeCount: number, links: readonly LinkSpec[]): Topology {
  let t = shared.get(links);
  if (t === undefined || t.nodeCount !== nodeCount) shared.set(links, (t = new Topology(nodeCount, links)));
  return t;
}

/**
 * The network graph with least-latency routing. A link costs its propagation delay plus
 * the payload's transmission time; costs are symmetric, so a Dijkstra from a destination gives
 * routes to it from everywhere.
 *
 * Memory grows with the nodes, not their square: a route is found by a Dijkstra from its
 * destination that pauses as soon as the source is settled and is resumed, where it stopped,
 * for the next source asking for that destination (in a tree-like deployment — devices behind an
 * access point behind an edge server — the search stays in the destination's neighbourhood, and
 * the hundred devices behind one access point share one search rather than each repeating it).
 * Paused searches keep labels only for the nodes they reached, at most 4 × nodes labels in all
 * (past that, searches stop at their source and keep nothing); a destination whose search
 * reaches more than nodes / 16 nodes (a cloud behind every edge, say), or, without a paused
 * search, is asked for by more than nodes / 16 sources, keeps its whole shortest-path tree
 * instead (its O(nodes) memory paid for by work already done). Pausing changes nothing:
 * Dijkstra settles nodes in the same order whether it pauses or not, so a route is exactly the
 * one the whole tree gives. Reachability is read from connected components, and "the nearest
 * node of a set" from one Dijkstra from the whole set at once.
 */
export class Topology {
  /**
   * Adjacency in compressed rows: node u's neighbours are `neighbour[first[u] … first[u+1])`,
   * reached over directed link `directed[…]` (from u); `cost0[…]` is that link's delay and
   * `bandwidth[…]` its bit/s, side by side so a search reads one place per edge.
   */
  private readonly first: Int32Array;
  private readonly neighbour: Int32Array;
  private readonly directed: Int32Array;
  private readonly cost0: Float64Array;
  private readonly bandwidth: Float64Array;
  /** Whole trees kept, per (destination, payload) key ({@link key}). */
  private readonly trees = new Map<number, WholeTree>();
  /** Route and latency queries per (destination, payload) not answered by a kept tree. */
  private readonly asked = new Map<number, number>();
  /** A small number per payload size met, for the numeric (destination, payload) keys. */
  private readonly payloads = new Map<number, number>();
  /** Per set (by identity: callers pass the same array each time) and payload. */
  private readonly nearestCache = new WeakMap<readonly number[], Map<number, Nearest>>();
  private component: Int32Array | undefined;

  /** Queries a destination answers by searches that stop early before it keeps its whole tree. */
  private readonly keepTreeAfter: number;
  /** Paused searches per (destination, payload), resumed for the next source asking. */
  private readonly partials = new Map<number, PartialSearch>();
  /** Labels the paused searches may keep in all, and keep now. */
  private readonly partialBudget: number;
  private partialLabels = 0;
  /** Labels the paused searches have made in all, kept or since dropped: their work (for tests and benches). */
  pausedLabelled = 0;
  /** Labels past which a paused search gives way to its whole tree. */
  private readonly partialMax: number;

  constructor(
    readonly nodeCount: number,
    readonly links: readonly LinkSpec[],
    options: TopologyOptions = {},
  ) {
    this.keepTreeAfter = options.keepTreeAfter ?? nodeCount / 16;
    this.partialBudget = options.pausedLabels ?? 4 * nodeCount;
    this.partialMax = options.pausedMax ?? nodeCount / 16;
    const first = (this.first = int32Array(nodeCount + 1));
    for (const l of links) {
      first[l.a + 1]++;
      first[l.b + 1]++;
    }
    for (let u = 0; u < nodeCount; u++) first[u + 1] += first[u];
    const m = first[nodeCount];
    this.neighbour = int32Array(m);
    this.directed = int32Array(m);
    this.cost0 = float64Array(m);
    this.bandwidth = float64Array(m);
    const fill = first.slice(0, nodeCount);
    // Each node's edges in link order (as the lists of objects had them: ties settle alike).
    const edge = (u: number, v: number, d: number, l: LinkSpec) => {
      const e = fill[u]++;
      this.neighbour[e] = v;
      this.directed[e] = d;
      this.cost0[e] = l.delay;
      this.bandwidth[e] = l.bandwidth;
    };
    links.forEach((l, i) => {
      edge(l.a, l.b, 2 * i, l);
      edge(l.b, l.a, 2 * i + 1, l);
    });
  }

  /** Least-latency route from `from` to `to` for a payload of `bytes`; undefined when unreachable. */
  route(from: number, to: number, bytes: number): Route | undefined {
    if (from === to) return { links: [], nodes: [from], latency: 0 }; // computing where it is: no search
    if (!this.connected(from, to)) return undefined;
    const links: number[] = [];
    const nodes: number[] = [from];
    const e = this.leafEdge(from);
    let start = from;
    if (e >= 0) {
      start = this.neighbour[e];
      links.push(this.directed[e]);
      nodes.push(start);
    }
    const tree = this.towards(to, bytes, start);
    for (let v = start; v !== to; v = tree.nextNode(v)) {
      links.push(tree.nextLink(v));
      nodes.push(tree.nextNode(v));
    }
    return { links, nodes, latency: e >= 0 ? this.overLeafEdge(tree.dist(start), e, bytes) : tree.dist(from) };
  }

  /**
   * The one adjacency entry of `u` when u is a leaf (one link, not to itself), else −1. A route
   * from a leaf is its link then the route from its neighbour: the search towards the destination
   * need only settle the neighbour (the access point a thousand devices share), not the leaf, whose
   * only label comes from it — the same links, and the same latency to the bit (the sum below is
   * the search's own, in its order).
   */
  private leafEdge(u: number): number {
    const e = this.first[u];
    return this.first[u + 1] - e === 1 && this.neighbour[e] !== u ? e : -1;
  }

  /**
   * The directed link a leaf sends on (its one link, not to itself), −1 when `u` is not a leaf. A
   * route from a leaf to another node is this link, then the route from its other end
   * ({@link leafNeighbour}) for the same payload: the same links {@link routeLinks} gives.
   */
  leafLink(u: number): number {
    const e = this.leafEdge(u);
    return e < 0 ? -1 : this.directed[e];
  }

  /** The node at the other end of a leaf's link ({@link leafLink}), −1 when `u` is not a leaf. */
  leafNeighbour(u: number): number {
    const e = this.leafEdge(u);
    return e < 0 ? -1 : this.neighbour[e];
  }

  /** The search's label of a leaf whose neighbour's is `d`, over the leaf's edge e. */
  private overLeafEdge(d: number, e: number, bytes: number): number {
    return d + this.cost0[e] + (bytes * 8) / this.bandwidth[e];
  }

  /**
   * The directed links of {@link route}'s route, written to `links` (emptied first), with nothing
   * else allocated: for callers that walk many routes and keep none (the offered-load check, the
   * route table). Returns false when `to` is unreachable.
   */
  routeLinks(from: number, to: number, bytes: number, links: number[]): boolean {
    links.length = 0;
    if (from === to) return true;
    if (!this.connected(from, to)) return false;
    const e = this.leafEdge(from);
    let start = from;
    if (e >= 0) {
      start = this.neighbour[e];
      links.push(this.directed[e]);
    }
    const tree = this.towards(to, bytes, start);
    for (let v = start; v !== to; v = tree.nextNode(v)) links.push(tree.nextLink(v));
    return true;
  }

  /** Unloaded latency from `from` to `to` for a payload (Infinity when unreachable). */
  latency(from: number, to: number, bytes: number): number {
    if (from === to) return 0;
    if (!this.connected(from, to)) return Infinity;
    const e = this.leafEdge(from);
    if (e < 0) return this.towards(to, bytes, from).dist(from);
    const start = this.neighbour[e];
    return this.overLeafEdge(this.towards(to, bytes, start).dist(start), e, bytes);
  }

  /** Whether a path joins nodes a and b (connected components, found once). */
  connected(a: number, b: number): boolean {
    if (!this.component) this.component = this.components();
    return this.component[a] === this.component[b];
  }

  /**
   * The node of `set` with the least latency from `from` for a payload of `bytes` (ties: the
   * one first in `set`), −1 when none is reachable. One Dijkstra from the whole set, cached per
   * (set, payload), answers every source: labels are (latency, position in the set), compared
   * in that order. Pass the same array for the same set (it is cached by identity).
   */
  nearest(from: number, set: readonly number[], bytes: number): number {
    let bySize = this.nearestCache.get(set);
    if (!bySize) this.nearestCache.set(set, (bySize = new Map()));
    let n = bySize.get(bytes);
    if (!n) bySize.set(bytes, (n = this.multiSource(set, bytes)));
    const o = n.origin[from];
    return o < 0 ? -1 : set[o];
  }

  /**
   * Labels towards `root` valid at least for `source` and the nodes on its path: a kept whole
   * tree; else the destination's paused search, resumed until `source` is settled (Dijkstra
   * settles nodes in one order whether it pauses or not, so it answers as the whole tree would,
   * and the devices behind one access point asking for one edge server share one search instead
   * of each repeating it); else, past the paused searches' budget, a search that stops at `source`.
   */
  private towards(root: number, bytes: number, source: number): Labelled {
    const key = this.key(root, bytes);
    const kept = this.trees.get(key);
    if (kept) return kept;
    let partial = this.partials.get(key);
    if (!partial && this.partialLabels < this.partialBudget) {
      partial = new PartialSearch(root);
      this.partials.set(key, partial);
    }
    if (partial) {
      const before = partial.size;
      this.resume(partial, bytes, source, this.partialMax);
      this.partialLabels += partial.size - before;
      this.pausedLabelled += partial.size - before;
      // Grown past nodes / 16 labels (a cloud behind every edge, say): as dear as the whole tree, so keep that
      // (the search stopped growing there: its labels in a Map cost far more than the tree's arrays).
      if (partial.size <= this.partialMax) return partial;
      this.partials.delete(key);
      this.partialLabels -= partial.size;
      const t = new WholeTree(this.dijkstra(root, bytes, -1));
      this.trees.set(key, t);
      return t;
    }
    const asked = (this.asked.get(key) ?? 0) + 1;
    this.asked.set(key, asked);
    if (asked <= this.keepTreeAfter) {
      const t = this.dijkstra(root, bytes, source);
      // A search that had to settle much of the graph is as dear as the whole tree: keep the tree,
      // so the next sources asking for this destination are O(1).
      if (this.touched.length * 16 <= this.nodeCount || this.keepTreeAfter === Infinity) return new WholeTree(t);
    }
    const t = new WholeTree(this.dijkstra(root, bytes, -1));
    this.trees.set(key, t);
    this.asked.delete(key);
    return t;
  }

  /**
   * The number naming (destination, payload) in the searches' maps: payload sizes are numbered as
   * they come (as a Map tells numbers apart: 0 and −0 alike), so no string is made per query.
   */
  private key(root: number, bytes: number): number {
    let b = this.payloads.get(bytes);
    if (b === undefined) this.payloads.set(bytes, (b = this.payloads.size));
    return b * this.nodeCount + root;
  }

  /**
   * Runs a paused search on until `source` is settled (at once when it already is), or until it has
   * labelled more than `max` nodes (the caller then drops it for the whole tree: settling every node
   * of a million-node graph ahead of the source — its neighbours tied with it, say — in the search's
   * Map would cost several times the tree). It pauses as soon as the source is settled, before
   * relaxing the source's links (an edge server's search, asked for its access point, would
   * otherwise label the hundreds of devices behind it); the next resume relaxes them first, so the
   * search runs the steps of one uninterrupted Dijkstra in the same order.
   */
  private resume(p: PartialSearch, bytes: number, source: number, max: number): void {
    if (p.isSettled(source)) return;
    if (p.unrelaxed >= 0) {
      this.relax(p, p.unrelaxed, p.dist(p.unrelaxed), bytes);
      p.unrelaxed = -1;
    }
    const heap = p.heap;
    while (heap.size > 0 && p.size <= max) {
      const u = heap.pop();
      const su = p.slotOf(u);
      if (p.settled[su]) continue;
      p.settled[su] = 1;
      if (u === source) {
        p.unrelaxed = u;
        return;
      }
      this.relax(p, u, p.d[su], bytes);
    }
  }

  /** Relaxes the links of node u, settled by paused search p at distance du. */
  private relax(p: PartialSearch, u: number, du: number, bytes: number): void {
    const end = this.first[u + 1];
    for (let e = this.first[u]; e < end; e++) {
      const v = this.neighbour[e];
      const d = du + this.cost0[e] + (bytes * 8) / this.bandwidth[e];
      const sv = p.slotOf(v);
      if (sv < 0 || d < p.d[sv]) {
        // Travelling from v towards u: the other direction of the link u's edge crosses.
        p.label(v, d, u, this.directed[e] ^ 1, sv);
        p.heap.push(d, 0, v);
      }
    }
  }

  private components(): Int32Array {
    const c = int32Array(this.nodeCount).fill(-1);
    const stack: number[] = [];
    for (let s = 0; s < this.nodeCount; s++) {
      if (c[s] >= 0) continue;
      c[s] = s;
      stack.push(s);
      while (stack.length > 0) {
        const u = stack.pop()!;
        for (let e = this.first[u]; e < this.first[u + 1]; e++) {
          const v = this.neighbour[e];
          if (c[v] < 0) {
            c[v] = s;
            stack.push(v);
          }
        }
      }
    }
    return c;
  }

  /** Scratch arrays of the searches that stop early (reset where they touched), and what they touched. */
  private scratch: Labels | undefined;
  private readonly touched: number[] = [];
  /** The searches' heap, emptied by each (a device's route search, run once per device, allocates nothing). */
  private readonly heap = new MinHeap();

  /**
   * Dijkstra from `root` (costs are symmetric, so distances to the root); stops once `stop` is
   * settled (−1: settles everything, into arrays of its own). Labels of nodes settled by then
   * are final. A search that stops early reuses scratch arrays, so its cost is what it visits,
   * not the size of the graph: read its answer before the next search.
   */
  private dijkstra(root: number, bytes: number, stop: number): Tree {
    if (stop < 0) return this.search([root], bytes, -1, labels(this.nodeCount), undefined);
    const t = (this.scratch ??= labels(this.nodeCount));
    for (const v of this.touched) {
      t.dist[v] = Infinity;
      t.nextLink[v] = -1;
      t.nextNode[v] = -1;
      t.origin[v] = -1;
      t.done[v] = 0;
    }
    this.touched.length = 0;
    return this.search([root], bytes, stop, t, this.touched);
  }

  /** Dijkstra from every node of `set` at once, labels (latency, position in the set). */
  private multiSource(set: readonly number[], bytes: number): Nearest {
    return this.search(set, bytes, -1, labels(this.nodeCount), undefined);
  }

  /**
   * The search behind both: Dijkstra from the nodes of `sources` at once, labels (latency,
   * position of the source in the list) compared in that order, each node's next hop towards its
   * source recorded; stops once `stop` is settled (−1: never), noting in `touched` every node
   * it labelled. With one source the positions are all 0: plain Dijkstra.
   */
  private search(sources: readonly number[], bytes: number, stop: number, t: Labels, touched: number[] | undefined): Labels {
    const { dist, nextLink, nextNode, origin, done } = t;
    const heap = this.heap;
    heap.clear();
    sources.forEach((k, j) => {
      if (origin[k] >= 0) return; // listed twice: the first position stands
      dist[k] = 0;
      origin[k] = j;
      touched?.push(k);
      heap.push(0, j, k);
    });
    while (heap.size > 0) {
      const u = heap.pop();
      if (done[u]) continue;
      done[u] = 1;
      const o = origin[u];
      const end = this.first[u + 1];
      for (let e = this.first[u]; e < end; e++) {
        const v = this.neighbour[e];
        const d = dist[u] + this.cost0[e] + (bytes * 8) / this.bandwidth[e];
        if (d < dist[v] || (d === dist[v] && o < origin[v])) {
          if (origin[v] < 0) touched?.push(v);
          dist[v] = d;
          origin[v] = o;
          nextNode[v] = u;
          // Travelling from v towards u: the other direction of the link u's edge crosses.
          nextLink[v] = this.directed[e] ^ 1;
          heap.push(d, o, v);
        }
      }
      if (u === stop) break;
    }
    return t;
  }
}

/** Labels towards one destination, read through functions so that arrays and paused searches answer alike. */
interface Labelled {
  dist(v: number): number;
  nextNode(v: number): number;
  nextLink(v: number): number;
}

/** A whole tree's arrays as {@link Labelled} (one object per tree kept, made once). */
class WholeTree implements Labelled {
  constructor(private readonly t: Tree) {}
  dist(v: number): number {
    return this.t.dist[v];
  }
  nextNode(v: number): number {
    return this.t.nextNode[v];
  }
  nextLink(v: number): number {
    return this.t.nextLink[v];
  }
}

/**
 * A Dijkstra from one destination, paused once the source asked for is settled and resumed for
 * the next ({@link Topology.resume}): labels only for the nodes it reached (a slot per node), and
 * its own heap of (latency, 0, node).
 */
class PartialSearch implements Labelled {
  private readonly slot = new Map<number, number>();
  d = new Float64Array(8);
  link = new Int32Array(8);
  next = new Int32Array(8);
  settled = new Uint8Array(8);
  readonly heap = new MinHeap();
  size = 0;
  /** A settled node whose links are not relaxed yet (the source the search paused at), −1 when none. */
  unrelaxed = -1;

  constructor(root: number) {
    this.label(root, 0, -1, -1, -1);
    this.heap.push(0, 0, root);
  }

  dist(v: number): number {
    return this.d[this.slotOf(v)];
  }
  nextNode(v: number): number {
    return this.next[this.slotOf(v)];
  }
  nextLink(v: number): number {
    return this.link[this.slotOf(v)];
  }

  /** Node v's slot, −1 when the search has not reached it. */
  slotOf(v: number): number {
    return this.slot.get(v) ?? -1;
  }

  isSettled(v: number): boolean {
    const s = this.slotOf(v);
    return s >= 0 && this.settled[s] === 1;
  }

  /** Labels node v (in slot `known`, or a new one when −1). */
  label(v: number, d: number, next: number, link: number, known: number): void {
    let i = known;
    if (i < 0) {
      i = this.size++;
      if (i === this.d.length) this.grow();
      this.slot.set(v, i);
    }
    this.d[i] = d;
    this.next[i] = next;
    this.link[i] = link;
  }

  private grow(): void {
    this.d = doubled(this.d);
    this.link = doubled(this.link);
    this.next = doubled(this.next);
    this.settled = doubled(this.settled);
  }
}

/** Everything a search labels: a tree towards its sources, which source each node reached, and which are settled. */
interface Labels extends Tree, Nearest {
  readonly done: Uint8Array;
}

/** Fresh labels for n nodes: nothing reached. */
function labels(n: number): Labels {
  return {
    dist: float64Array(n).fill(Infinity),
    nextLink: int32Array(n).fill(-1),
    nextNode: int32Array(n).fill(-1),
    origin: int32Array(n).fill(-1),
    done: uint8Array(n),
  };
}

/**
 * Binary heap of (distance, tie-break, node) with lazy deletion, for the searches above. Its
 * arrays only grow, so one heap serves every search of a topology without allocating.
 */
class MinHeap {
  private d = new Float64Array(8);
  private t = new Int32Array(8);
  private v = new Int32Array(8);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  /** Whether entry i comes strictly before (d, t). */
  private less(i: number, d: number, t: number): boolean {
    return this.d[i] < d || (this.d[i] === d && this.t[i] < t);
  }

  push(d: number, t: number, v: number): void {
    if (this.size === this.v.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.d[p] < d || (this.d[p] === d && this.t[p] <= t)) break; // the parent comes first (ties: it was there first)
      this.d[i] = this.d[p];
      this.t[i] = this.t[p];
      this.v[i] = this.v[p];
      i = p;
    }
    this.d[i] = d;
    this.t[i] = t;
    this.v[i] = v;
  }

  pop(): number {
    const top = this.v[0];
    const m = --this.size;
    const d = this.d[m];
    const t = this.t[m];
    const v = this.v[m];
    if (m > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && this.less(c + 1, this.d[c], this.t[c])) c++;
        if (!this.less(c, d, t)) break;
        this.d[i] = this.d[c];
        this.t[i] = this.t[c];
        this.v[i] = this.v[c];
        i = c;
      }
      this.d[i] = d;
      this.t[i] = t;
      this.v[i] = v;
    }
    return top;
  }

  private grow(): void {
    this.d = doubled(this.d);
    this.t = doubled(this.t);
    this.v = doubled(this.v);
  }
}

/** A typed array twice as long holding a's numbers first. */
function doubled<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}
