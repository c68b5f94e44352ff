import { createHash } from 'node:crypto';

/**
 * A run's identity: the content hash of what it simulates. Two runs with the same validated
 * scenario (after the point's and the arm's overrides, defaults filled in, units in SI) and the
 * same seed are the same run, whatever the sweep or arm that asked for it; a resumed sweep finds
 * its runs by these ids.
 */

/** Hex digits of the sha256 kept in an id: 64 bits, so a collision needs about 4·10^9 runs (birthday bound). */
export const RUN_ID_HEX = 16;

/** JSON with every mapping's keys sorted (lists keep their order): one text per value, whatever the order its keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The id of a run: the first {@link RUN_ID_HEX} hex digits of sha256(canonical JSON of { scenario, seed }), or of { data, scenario, seed } with the digest of the data files it reads (sweep/data-files.ts). */
export function runId(scenario: unknown, seed: number, data?: string): string {
  return runIdOfJson(canonicalJson(scenario), seed, data);
}

/**
 * {@link runId} from the scenario's canonical JSON, made once for all of a point's seeds: the
 * canonical JSON of { scenario, seed } is that text with its keys in order ("scenario" < "seed");
 * with the data files' digest, of { data, scenario, seed } ("data" first). A scenario that reads
 * no data file keeps the id it had before data was part of it.
 */
export function runIdOfJson(scenarioJson: string, seed: number, data?: string): string {
  const head = data === undefined ? '' : `"data":${JSON.stringify(data)},`;
  return createHash('sha256').update(`{${head}"scenario":${scenarioJson},"seed":${JSON.stringify(seed)}}`).digest('hex').slice(0, RUN_ID_HEX);
}
