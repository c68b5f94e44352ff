import type { Topology } from './topology.ts';

/**
 * Routes in use, interned: a route id names the directed links from one node to another for
 * one payload size (least-latency routing, {@link Topology}). Each (from, to, bytes) is routed
 * once, the first time a plan needs it. A route is stored where its id points — its length,
 * then its directed links — so a hop reads one place in memory, not three arrays.
 */
export class RouteTable {
  /** Route id r: data[r] = its number of links, data[r + 1 …] = its directed links in order. */
  data = new Int32Array(64);
  private used = 0;
  /** Route ids per payload size, then per (from, to) as from × nodes + to (no string made per query). */
  private readonly ids = new Map<number, Map<number, number>>();
  /** Ids of route parts, by `r/from/to`. */
  private readonly parts = new Map<string, number>();
  /** The links of the route being interned (reused). */
  private readonly links: number[] = [];

  /** Mobility: the access point each moving device is attached to (−1: not moving) and the directed link it sends on; undefined without mobility. */
  private attachedTo: Int32Array | undefined;
  private upLink: Int32Array | undefined;
  /** Per moving device: the routes interned from or to it, as (pairs map, key), forgotten when it moves. */
  private readonly ofDevice = new Map<number, { maps: Map<number, number>[]; keys: number[] }>();
  /** The middle of a route through moving devices' access points (reused). */
  private readonly middle: number[] = [];

  constructor(private readonly topology: Topology) {}

  /**
   * Mobility: moving device `device` is now attached to access point `ap`, sending on directed
   * link `up` (its one link; `up ^ 1` brings it what it receives). Routes from and to it are
   * forgotten — O(routes of the device) — and interned anew, through `ap`, when next asked for
   * (its access link, then the topology's route from `ap`): O(route length). The old routes' links
   * stay stored for the requests already on them. A moving device is a leaf (one link), so no
   * other route passes through it.
   */
  attach(device: number, ap: number, up: number): void {
    if (this.attachedTo === undefined) {
      this.attachedTo = new Int32Array(this.topology.nodeCount).fill(-1);
      this.upLink = new Int32Array(this.topology.nodeCount).fill(-1);
    }
    this.attachedTo[device] = ap;
    this.upLink![device] = up;
    const interned = this.ofDevice.get(device);
    if (interned === undefined) return;
    for (let x = 0; x < interned.keys.length; x++) interned.maps[x].delete(interned.keys[x]);
    interned.maps.length = 0;
    interned.keys.length = 0;
  }

  /** The links from `from` to `to` into `links`, through moving devices' access points; false when unreachable. */
  private routeLinks(from: number, to: number, bytes: number, links: number[]): boolean {
    const at = this.attachedTo;
    if (at === undefined || (at[from] < 0 && at[to] < 0)) return this.topology.routeLinks(from, to, bytes, links);
    links.length = 0;
    if (from === to) return true;
    const a = at[from] >= 0 ? at[from] : from;
    const b = at[to] >= 0 ? at[to] : to;
    if (a !== from) links.push(this.upLink![from]);
    if (a !== b) {
      if (!this.topology.routeLinks(a, b, bytes, this.middle)) return false;
      for (const d of this.middle) links.push(d);
    }
    if (b !== to) links.push(this.upLink![to] ^ 1);
    return true;
  }

  /** Notes a route interned from or to a moving device, to forget when it moves. */
  private note(node: number, pairs: Map<number, number>, key: number): void {
    if (this.attachedTo === undefined || this.attachedTo[node] < 0) return;
    let interned = this.ofDevice.get(node);
    if (interned === undefined) this.ofDevice.set(node, (interned = { maps: [], keys: [] }));
    interned.maps.push(pairs);
    interned.keys.push(key);
  }

  /** The route id from `from` to `to` for a payload of `bytes`; −1 when `to` is unreachable. */
  id(from: number, to: number, bytes: number): number {
    let pairs = this.ids.get(bytes);
    if (pairs === undefined) this.ids.set(bytes, (pairs = new Map()));
    const key = from * this.topology.nodeCount + to;
    let r = pairs.get(key);
    if (r === undefined) {
      const links = this.links;
      if (!this.routeLinks(from, to, bytes, links)) return -1;
      if (this.attachedTo !== undefined) {
        this.note(from, pairs, key);
        if (to !== from) this.note(to, pairs, key);
      }
      r = this.used;
      const need = r + 1 + links.length;
      if (need > this.data.length) {
        const data = new Int32Array(Math.max(need, this.data.length * 2));
        data.set(this.data.subarray(0, this.used));
        this.data = data;
      }
      this.data[r] = links.length;
      for (let h = 0; h < links.length; h++) this.data[r + 1 + h] = links[h];
      this.used = need;
      pairs.set(key, r);
    }
    return r;
  }

  /** The route id of hops [from, to) of route r (a part of it, interned like the whole routes). */
  segment(r: number, from: number, to: number): number {
    if (from === 0 && to === this.data[r]) return r;
    const key = `${r}/${from}/${to}`;
    let s = this.parts.get(key);
    if (s === undefined) {
      const links = Array.from(this.data.subarray(r + 1 + from, r + 1 + to));
      s = this.used;
      const need = s + 1 + links.length;
      if (need > this.data.length) {
        const data = new Int32Array(Math.max(need, this.data.length * 2));
        data.set(this.data.subarray(0, this.used));
        this.data = data;
      }
      this.data[s] = links.length;
      this.data.set(links, s + 1);
      this.used = need;
      this.parts.set(key, s);
    }
    return s;
  }

  /** Number of links of route r. */
  length(r: number): number {
    return this.data[r];
  }

  /** Directed link of hop h (from 0) of route r. */
  link(r: number, h: number): number {
    return this.data[r + 1 + h];
  }
}
