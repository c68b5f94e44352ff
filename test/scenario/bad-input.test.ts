import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildWorldSpec } from '../../src/scenario/build.ts';
import { loadCatalog } from '../../src/scenario/catalog.ts';
import { InputError } from '../../src/scenario/errors.ts';
import { loadScenario } from '../../src/scenario/load.ts';

// The bad-input corpus: each file in test/fixtures/bad/ is test/fixtures/good/minimal.yaml
// with exactly one mistake (its first line says which). Every mistake must be an InputError
// whose first problem names the path, the line where the input has one, and what was
// expected — the requirement of the bad-input issue: exit 2, one clear message, no stack trace.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BAD = 'test/fixtures/bad/';
const GOOD = 'test/fixtures/good/minimal.yaml';

interface Case {
  /** The scenario file, relative to the repository root. */
  readonly file: string;
  /** `--set path=value` overrides. */
  readonly overrides?: readonly string[];
  readonly expect: {
    /** 1-based line of the first problem; omitted where the input has no line for it. */
    readonly line?: number;
    /** Path inside the file ('' for the whole file). */
    readonly path: string;
    /** Must match the "what was expected" part of the message. */
    readonly message: RegExp;
    /** The file the error names when it is not the scenario (a trace CSV, a --set flag). */
    readonly in?: string;
  };
}

const cases: Case[] = [
  // The file as a whole
  { file: '01-empty-file.yaml', expect: { path: '', message: /the file is empty; expected a scenario mapping/ } },
  { file: '02-only-comments.yaml', expect: { path: '', message: /the file is empty; expected a scenario mapping/ } },
  { file: '03-invalid-yaml-syntax.yaml', expect: { line: 7, path: '', message: /not valid YAML: .*end with a \]/ } },
  { file: '04-duplicate-key.yaml', expect: { line: 7, path: 'duration', message: /duplicate key "duration"; expected each key once \(it is first given on line 3\)/ } },
  { file: '05-top-level-list.yaml', expect: { line: 2, path: '', message: /expected a mapping of scenario keys .*, got a list/ } },
  { file: '06-alias-bomb.yaml', expect: { path: '', message: /expected at most 1000 alias expansions/ } },
  { file: '42-json-error.json', expect: { line: 9, path: 'links[0].bandwidth', message: /expected a bandwidth such as "54 Mbit\/s".*got "5 kg", which is not a bandwidth/ } },
  { file: '43-json-syntax.json', expect: { line: 4, path: '', message: /not valid JSON: Missing , between flow map items/ } },
  { file: '82-two-documents.yaml', expect: { line: 4, path: '', message: /expected one YAML document, got more than one \(a line "---" starts another\)/ } },
  { file: '79-sweep-file.yaml', expect: { line: 1, path: '', message: /expected a scenario file \(nodes, links, workloads…\), got a sweep file .*run it with `edelear sweep FILE`/ } },
  { file: 'no-such-scenario.yaml', expect: { path: '', message: /cannot read the scenario file \(ENOENT: no such file\); expected a YAML or JSON file/ } },

  // Required keys, wrong types, unknown keys
  { file: '07-missing-duration.yaml', expect: { line: 2, path: 'duration', message: /expected a time such as "15 ms".*got nothing \(the key is required\)/ } },
  { file: '09-wrong-type-duration-list.yaml', expect: { line: 3, path: 'duration', message: /expected a time such as "15 ms".*got a list/ } },
  { file: '10-wrong-type-nodes-mapping.yaml', expect: { line: 6, path: 'nodes', message: /expected a list, got a mapping/ } },
  { file: '15-count-as-string.yaml', expect: { line: 7, path: 'nodes[0].count', message: /expected a number, got string "two"/ } },
  { file: '14-non-integer-count.yaml', expect: { line: 7, path: 'nodes[0].count', message: /expected an integer, got number 2.5/ } },
  { file: '11-unknown-key-typo.yaml', expect: { line: 10, path: 'links[0].bandwith', message: /unknown key "bandwith" \(did you mean "bandwidth"\?\); expected one of: between, pairing, bandwidth, delay, maxWait, energy/ } },
  { file: '12-unknown-top-level-key.yaml', expect: { line: 12, path: 'workload', message: /unknown key "workload" \(did you mean "workloads"\?\); expected one of: .*workloads/ } },
  { file: '66-nested-unknown-key.yaml', expect: { line: 8, path: 'nodes[1].power.bussy', message: /unknown key "bussy" \(did you mean "busy"\?\); expected one of: idle, busy/ } },
  { file: '38-unknown-arrivals-kind.yaml', expect: { line: 15, path: 'workloads[0].arrivals.poison', message: /unknown key "poison" \(did you mean "poisson"\?\); expected one of: \{ poisson \}, \{ periodic \}, \{ mmpp: \{ rates, sojourn \} \}, \{ trace: \{ file \} \}, \{ interarrival \}/ } },
  { file: '55-unknown-distribution.yaml', expect: { line: 15, path: 'workloads[0].arrivals.interarrival.exponentail', message: /did you mean "exponential"\?\); expected one of: \{ exponential: \{ mean \} \}, \{ deterministic \}, \{ uniform: \{ min, max \} \}/ } },
  { file: '39-unknown-node-kind.yaml', expect: { line: 8, path: 'nodes[1].kind', message: /expected one of "device", "gateway", "edge", "cloud", got string "server"/ } },
  { file: '57-unknown-precision.yaml', expect: { line: 15, path: 'workloads[0].precision', message: /expected one of "fp32", "fp16", "int8", got string "fp8"/ } },
  { file: '58-invalid-node-name.yaml', expect: { line: 8, path: 'nodes[1].name', message: /expected a name of letters, digits.*got string "edge server"/ } },
  { file: '49-placement-bare-string.yaml', expect: { line: 19, path: 'policies.placement', message: /expected one of: "local", \{ fixed \}, \{ nearest \}, .*got string "nearest"/ } },
  { file: '74-placement-candidates-unknown-tier.yaml', expect: { line: 19, path: 'policies.placement.random.tier', message: /the scenario has no gateway node; expected a kind it has: device, edge/ } },
  { file: '75-placement-no-candidates.yaml', expect: { line: 19, path: 'policies.placement.least-loaded', message: /expected `tier`, `nodes` or both: the candidate nodes/ } },
  { file: '76-partitioned-unknown-tenant.yaml', expect: { line: 8, path: 'nodes[1].scheduler.partitioned.clasify', message: /expected a workload name or "processes", got "clasify"; the tenants are: classify, processes/ } },
  { file: '78-placement-candidate-list-entry.yaml', expect: { line: 23, path: 'policies.placement.join-shortest-queue.nodes[1]', message: /"egde-\*" matches no node; expected a node name or a pattern/ } },
  { file: '77-interval-not-a-time.yaml', expect: { line: 20, path: 'policies.interval', message: /expected a time such as "15 ms".*got "5 apples"/ } },
  { file: '50-placement-unknown-tier.yaml', expect: { line: 19, path: 'policies.placement.nearest', message: /expected one of "device", "gateway", "edge", "cloud", got string "server"/ } },
  { file: '56-mmpp-one-rate.yaml', expect: { line: 15, path: 'workloads[0].arrivals.mmpp.rates', message: /expected at least 2 entries, got 1/ } },
  { file: '51-empty-node-list.yaml', expect: { line: 6, path: 'nodes', message: /expected at least 1 entry, got 0/ } },

  // Zero, negative and out-of-range numbers
  { file: '13-zero-count.yaml', expect: { line: 7, path: 'nodes[0].count', message: /expected a number ≥ 1, got number 0/ } },
  { file: '62-zero-slots.yaml', expect: { line: 8, path: 'nodes[1].slots', message: /expected a number ≥ 1, got number 0/ } },
  { file: '16-zero-bandwidth.yaml', expect: { line: 10, path: 'links[0].bandwidth', message: /expected a positive bandwidth, got "0 Mbit\/s"/ } },
  { file: '17-negative-bandwidth.yaml', expect: { line: 10, path: 'links[0].bandwidth', message: /expected a positive bandwidth, got "-54 Mbit\/s"/ } },
  { file: '18-zero-arrival-rate.yaml', expect: { line: 15, path: 'workloads[0].arrivals.poisson', message: /expected a positive rate, got "0\/s"/ } },
  { file: '19-negative-delay.yaml', expect: { line: 10, path: 'links[0].delay', message: /expected a non-negative time, got "-2 ms"/ } },
  { file: '20-zero-memory.yaml', expect: { line: 8, path: 'nodes[1].memory', message: /expected a positive size in bytes, got "0 GiB"/ } },
  { file: '64-zero-duration.yaml', expect: { line: 3, path: 'duration', message: /expected a positive time, got "0 s"/ } },
  { file: '34-negative-trust.yaml', expect: { line: 8, path: 'nodes[1].trust', message: /expected a number ≥ 0, got number -0.5/ } },
  { file: '35-trust-above-one.yaml', expect: { line: 8, path: 'nodes[1].trust', message: /expected a number ≤ 1, got number 1.5/ } },
  { file: '40-negative-seed.yaml', expect: { line: 5, path: 'seed', message: /expected a number ≥ 0, got number -1/ } },
  { file: '08-warmup-not-below-duration.yaml', expect: { line: 4, path: 'warmup', message: /expected a warm-up shorter than the duration \(10 s\), got 10 s/ } },
  { file: '33-busy-power-below-idle.yaml', expect: { line: 8, path: 'nodes[1].power.busy', message: /expected busy power ≥ idle power \(5 W\), got 3 W/ } },
  { file: '53-mmpp-all-rates-zero.yaml', expect: { line: 15, path: 'workloads[0].arrivals.mmpp.rates', message: /expected at least one positive rate, got 0 and 0/ } },
  { file: '54-uniform-max-below-min.yaml', expect: { line: 15, path: 'workloads[0].arrivals.interarrival.uniform.max', message: /expected max > min \(0.2 s\), got 0.1 s/ } },
  {
    file: '68-normal-sd-not-below-mean.yaml',
    expect: { line: 15, path: 'workloads[0].arrivals.interarrival.normal.sd', message: /expected sd < mean for a normal truncated at zero \(cv < 1\), got sd 1 s with mean 1 s.*use gamma or lognormal for cv ≥ 1/ },
  },

  // Compute-time variability (a mean-1 multiplier of FLOPs / throughput)
  { file: '69-compute-uniform-cv-too-large.yaml', expect: { line: 16, path: 'workloads[0].computeTime.uniform.cv', message: /expected cv ≤ 1\/√3 ≈ 0.577 for a uniform multiplier of mean 1 .*got 0.8/ } },
  { file: '70-compute-normal-cv-not-below-one.yaml', expect: { line: 16, path: 'workloads[0].computeTime.normal.cv', message: /expected cv < 1 for a normal truncated at zero, got 1.2; use gamma or lognormal for cv ≥ 1/ } },
  { file: '71-compute-erlang-zero-phases.yaml', expect: { line: 16, path: 'workloads[0].computeTime.erlang.k', message: /expected a number ≥ 1, got number 0/ } },
  { file: '72-compute-pareto-shape-one.yaml', expect: { line: 16, path: 'workloads[0].computeTime.pareto.shape', message: /expected shape > 1 for a Pareto multiplier of mean 1 \(its mean is infinite for shape ≤ 1\), got 1/ } },
  { file: '73-compute-empirical-all-zeros.yaml', expect: { line: 16, path: 'workloads[0].computeTime.empirical', message: /expected a column of compute times with a positive mean .*got only zeros/ } },

  // Units
  { file: '21-unknown-unit.yaml', expect: { line: 10, path: 'links[0].bandwidth', message: /expected a bandwidth such as "54 Mbit\/s" \(a bare number is in bit\/s\), got "54 Mbananas\/s": unit "Mbananas" not found$/ } },
  { file: '22-bandwidth-in-kg.yaml', expect: { line: 10, path: 'links[0].bandwidth', message: /expected a bandwidth such as "54 Mbit\/s".*got "5 kg", which is not a bandwidth/ } },
  { file: '23-bandwidth-as-time.yaml', expect: { line: 10, path: 'links[0].bandwidth', message: /expected a bandwidth such as "54 Mbit\/s".*got "5 ms", which is not a bandwidth/ } },
  { file: '24-unit-without-number.yaml', expect: { line: 10, path: 'links[0].bandwidth', message: /expected a bandwidth such as "54 Mbit\/s".*got "Mbit\/s" without a number/ } },
  { file: '65-deadline-rate-unit.yaml', expect: { line: 17, path: 'workloads[0].deadline', message: /expected a time such as "15 ms".*got "10\/s", which is not a time/ } },

  // References: profiles, models, nodes, patterns, placements
  { file: '25-unknown-profile.yaml', expect: { line: 7, path: 'nodes[0].profile', message: /unknown device profile "raspbery-pi-4"; expected one of the profiles in data\/devices: .*raspberry-pi-4/ } },
  { file: '26-unknown-model.yaml', expect: { line: 14, path: 'workloads[0].model', message: /unknown model "mobilenet-v9"; expected a zoo model .*mobilenet-v2/ } },
  { file: '60-zoo-model-name-reused.yaml', expect: { line: 12, path: 'models[0].name', message: /expected a name that no zoo model has, got "resnet18"/ } },
  { file: '61-node-without-kind-or-profile.yaml', expect: { line: 8, path: 'nodes[1].kind', message: /expected a kind \(device, gateway, edge or cloud\), or a profile that gives one/ } },
  { file: '28-duplicate-node-names.yaml', expect: { line: 8, path: 'nodes[1].name', message: /expected a unique node name, but "edge" is already used by nodes\[0\]/ } },
  { file: '59-duplicate-workload-names.yaml', expect: { line: 18, path: 'workloads[1].name', message: /expected a unique workload name, but "classify" is used twice/ } },
  { file: '29-link-pattern-matches-nothing.yaml', expect: { line: 10, path: 'links[0].between[0]', message: /"camera-\*" matches no node; expected a node name or a pattern matching some of: cam-1, cam-2, edge/ } },
  { file: '30-workload-on-matches-nothing.yaml', expect: { line: 13, path: 'workloads[0].on', message: /"camera-\*" matches no node; expected a node name or a pattern matching some of: cam-1, cam-2, edge/ } },
  { file: '52-self-link.yaml', expect: { line: 10, path: 'links[0].between', message: /expected two different nodes/ } },
  { file: '63-duplicate-link.yaml', expect: { line: 11, path: 'links[1].between', message: /expected each pair of nodes linked once, but cam-1 and edge are already linked/ } },
  { file: '36-fixed-placement-unknown-node.yaml', expect: { line: 19, path: 'policies.placement.fixed', message: /no node named "edge-1"; expected one of: cam-1, cam-2, edge/ } },
  { file: '37-nearest-tier-without-nodes.yaml', expect: { line: 19, path: 'policies.placement.nearest', message: /the scenario has no cloud node; expected a kind it has: device, edge/ } },
  { file: '27-disconnected-topology.yaml', expect: { line: 18, path: 'policies.placement', message: /no edge node is reachable from cam-1: the topology is disconnected \(add a link\)/ } },
  { file: '41-fixed-placement-unreachable.yaml', expect: { line: 12, path: 'workloads[0].on', message: /no route from cam-1 to edge: the topology is disconnected; expected links that connect them/ } },
  { file: '31-precision-missing.yaml', expect: { line: 15, path: 'workloads[0].precision', message: /expected a precision that node cam-1 computes in \(fp32, int8\), got fp16/ } },
  { file: '32-model-exceeds-memory.yaml', expect: { line: 14, path: 'workloads[0].model', message: /expected a model whose fp32 weights fit in edge's memory \(268435456 B\), but vgg16's take 553430176 B/ } },

  // Trace CSV files
  { file: '44-trace-missing-file.yaml', expect: { line: 15, path: 'workloads[0].arrivals.trace.file', message: /cannot read .*no-such-trace\.csv \(ENOENT: no such file\); expected a CSV file/ } },
  { file: '45-trace-missing-column.yaml', expect: { line: 15, path: 'workloads[0].arrivals.trace.column', message: /expected a column of .*45-trace-missing-column\.csv \("time"\), got "t"/ } },
  { file: '46-trace-non-monotonic.yaml', expect: { in: `${BAD}46-trace-non-monotonic.csv`, line: 4, path: 'column "t"', message: /expected non-decreasing values \(timestamps in order\), got 0.3 after 0.5 \(read as workloads\[0\]\.arrivals\.trace of .*46-trace-non-monotonic\.yaml\)$/ } },
  { file: '47-trace-non-numeric.yaml', expect: { in: `${BAD}47-trace-non-numeric.csv`, line: 3, path: 'column "t"', message: /expected a number, got "0.5s"/ } },
  { file: '48-trace-negative-timestamp.yaml', expect: { in: `${BAD}48-trace-negative-timestamp.csv`, line: 2, path: 'column "t"', message: /expected a non-negative number, got -0.1/ } },
  { file: '80-trace-no-header.yaml', expect: { in: `${BAD}80-trace-no-header.csv`, line: 1, path: '', message: /expected a header row naming the columns \(e\.g\. "t"\), got the number 0\.1: add a first line with the column's name/ } },
  { file: '81-trace-hex-number.yaml', expect: { in: `${BAD}81-trace-hex-number.csv`, line: 3, path: 'column "t"', message: /expected a number, got "0x10"/ } },
  { file: '83-trace-blank-line.yaml', expect: { in: `${BAD}83-trace-blank-line.csv`, line: 3, path: '', message: /expected a row of values, got a blank line \(a missing value\?\): remove it, or give the value \(read as workloads\[0\]\.arrivals\.trace of .*83-trace-blank-line\.yaml\)$/ } },
  { file: '67-trace-header-only.yaml', expect: { in: `${BAD}67-trace-header-only.csv`, line: 1, path: '', message: /expected a header row and at least one data row/ } },

  // --set overrides on the valid scenario
  { file: GOOD, overrides: ['duration'], expect: { in: '--set duration', path: '', message: /expected path=value/ } },
  { file: GOOD, overrides: ['nodes.0.name=x'], expect: { in: '--set nodes.0.name=x', path: '', message: /expected a path like nodes\[0\]\.power\.busy, got "nodes\.0\.name"/ } },
  { file: GOOD, overrides: ['__proto__.polluted=1'], expect: { in: '--set __proto__.polluted=1', path: '', message: /expected a path like nodes\[0\]\.power\.busy/ } },
  { file: GOOD, overrides: ['nodes.name=x'], expect: { in: '--set nodes.name=x', path: 'nodes', message: /expected an index such as \[0\] after nodes, which is a list/ } },
  { file: GOOD, overrides: ['nodes[5].count=1'], expect: { in: '--set nodes[5].count=1', path: 'nodes[5]', message: /expected a mapping or list in .*minimal\.yaml, but it is not there/ } },
  // A mapping --set creates (absent on the path) is checked like any other: a misspelt key is refused by name, from --set.
  { file: GOOD, overrides: ['policiez.partitioning=edelear'], expect: { path: 'policiez', message: /unknown key "policiez" \(did you mean "policies"\?\).* \(from --set\)$/ } },
  { file: GOOD, overrides: ['workloads[0].inputs.zipf=0.8'], expect: { path: 'workloads[0].inputs.catalog', message: /expected a number, got nothing.* \(from --set\)$/ } },
  // A key of the other mobility model is said to be one (helper-90: "unknown key \"range\" (did you mean \"range\"?)").
  { file: 'test/fixtures/good/partitioned-mobility.yaml', overrides: ['mobility.range=300 m'], expect: { path: 'mobility.range', message: /^unknown key "range" with model: nomadic \(it is a key of model: random-waypoint\); expected one of: model, devices, inFlight, start, next, placeTypes, places \(from --set\)$/ } },
  { file: 'test/fixtures/good/partitioned-mobility.yaml', overrides: ['mobility.dwel=3'], expect: { path: 'mobility.dwel', message: /^unknown key "dwel" \(a typo\?\); expected one of: model, devices, inFlight, start, next, placeTypes, places \(from --set\)$/ } },
  // A battery draws its radio energy over one transmission at a time per link; an analytic link's overlap (helper-92: it died early, its energy over the capacity).
  { file: 'scenarios/bench/edgecloudsim-app1-as-coded.yaml', overrides: ['links[1].energy={ tx: 100 nJ/bit, rx: 50 nJ/bit }', 'nodes[8].battery=1 kWh'], expect: { path: 'links[1].energy', message: /^expected no radio energy on a link with an analytic delay model whose end has a battery \(ap-1\): its transfers overlap/ } },
  // A trace's file or column written by --set is said to come from it (helper-90: no marker).
  { file: GOOD, overrides: ['workloads[0].arrivals={ trace: { file: no-such.csv } }'], expect: { path: 'workloads[0].arrivals.trace.file', message: /cannot read .*no-such\.csv .* \(from --set\)$/ } },
  { file: GOOD, overrides: ['workloads[0].arrivals={ trace: { file: ../bad/47-trace-non-numeric.csv, column: zz } }'], expect: { path: 'workloads[0].arrivals.trace.column', message: /expected a column of .*47-trace-non-numeric\.csv \("t"\), got "zz" \(from --set\)$/ } },
  { file: GOOD, overrides: ['nodes[0].name.first=x'], expect: { in: '--set nodes[0].name.first=x', path: 'nodes[0].name', message: /expected a mapping or list in .*minimal\.yaml, but it is string/ } },
  // A problem at a path no --set wrote, in a file --set changed: the --sets are named (they may be its cause).
  { file: GOOD, overrides: ['duration=0.5 s'], expect: { line: 5, path: 'warmup', message: /expected a warm-up shorter than the duration \(0\.5 s\), got 1 s \(in the file as changed by --set duration=0\.5 s\)$/ } },
  { file: GOOD, overrides: ['links=[]', 'seed=2', 'warmup=0', 'duration=5 s'], expect: { line: 20, path: 'policies.placement', message: /no edge node is reachable from cam-1: .* \(in the file as changed by --set links=\[\], --set seed=2, --set warmup=0 and 1 more\)$/ } },
  { file: GOOD, overrides: ['durration=5 s'], expect: { path: 'durration', message: /unknown key "durration" \(did you mean "duration"\?\); expected one of: .*duration.* \(from --set\)$/ } },
  { file: GOOD, overrides: ['links[0].bandwidth=5 kg'], expect: { path: 'links[0].bandwidth', message: /expected a bandwidth such as "54 Mbit\/s".*got "5 kg", which is not a bandwidth \(from --set\)$/ } },
  { file: GOOD, overrides: ['nodes[1].count=0'], expect: { path: 'nodes[1].count', message: /expected a number ≥ 1, got number 0 \(from --set\)$/ } },
  { file: GOOD, overrides: ['nodes[0].count=2000000'], expect: { path: 'nodes[0].count', message: /expected a number ≤ 1000000, got number 2000000 \(from --set\)$/ } },
  { file: GOOD, overrides: ['nodes[1].slots=1e12'], expect: { path: 'nodes[1].slots', message: /expected a number ≤ 100000/ } },
  {
    file: GOOD,
    overrides: ['workloads[0].inputs={zipf: 1, catalog: 1e10}'],
    expect: { path: 'workloads[0].inputs.catalog', message: /expected a number ≤ 10000000/ },
  },
  // Two models, each fitting alone in the 8 GiB (8.59 GB) Xavier NX, do not fit together: VGG-16 (553 MB) + an 8.2 GB custom model.
  {
    file: GOOD,
    overrides: [
      'models=[{name: huge, input: 1 KiB, layers: [{name: l, flops: 1 GFLOP, params: 2050000000, output: 4 KiB}]}]',
      'workloads[1]={name: big, on: cam-*, model: huge, arrivals: {poisson: 1/s}}',
      'workloads[0].model=vgg16',
    ],
    expect: { path: 'workloads[1].model', message: /expected the weights of every model placed on edge to fit in its memory \(\d+ B\) together/ },
  },
];

/** Loads and builds a scenario; returns the InputError it must throw. */
function inputErrorOf(file: string, overrides: readonly string[] = []): InputError {
  try {
    buildWorldSpec(loadScenario(file, overrides), loadCatalog());
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`${file}: expected an InputError, got ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  throw new Error(`${file}: expected an InputError, but the scenario loaded and built`);
}

// Paths in messages are as given, so run from the repository root like the CLI users do.
process.chdir(ROOT);

describe('bad-input corpus', () => {
  it('has at least 35 bad scenario files, each with a case below', async () => {
    const { readdirSync } = await import('node:fs');
    const scenarios = readdirSync(BAD).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(scenarios.length).toBeGreaterThanOrEqual(35);
    const covered = new Set(cases.map((c) => c.file));
    expect(scenarios.filter((f) => !covered.has(f))).toEqual([]);
  });

  it('builds the valid minimal scenario the bad files are copied from', () => {
    const loaded = loadScenario(GOOD);
    const spec = buildWorldSpec(loaded, loadCatalog());
    expect(spec.nodes.map((n) => n.name)).toEqual(['cam-1', 'cam-2', 'edge']);
    expect(spec.workloads).toHaveLength(2);
    expect(spec.duration).toBe(10);
  });

  it.each(cases.map((c) => [`${c.file}${c.overrides ? ` --set ${c.overrides.join(' --set ')}` : ''}`, c] as const))('%s', (_name, c) => {
    const file = c.file.includes('/') ? c.file : `${BAD}${c.file}`;
    const error = inputErrorOf(file, c.overrides);
    expect(error.file).toBe(c.expect.in ?? file);
    const [first] = error.problems;
    expect(first.path).toBe(c.expect.path);
    expect(first.line).toBe(c.expect.line);
    expect(first.message).toMatch(c.expect.message);
    // The printed message leads with the file, then the line and path.
    const where = `${error.file}${c.expect.line === undefined ? '' : `:${c.expect.line}`}: ${c.expect.path ? `${c.expect.path}: ` : ''}`;
    expect(error.message.startsWith(where)).toBe(true);
  });
});

describe('edelear CLI on bad input', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/edelear.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/^\s{4}at /m);

  it('validate: a bandwidth in kg exits 2 with file:line: path: what was expected', () => {
    const r = cli('validate', `${BAD}22-bandwidth-in-kg.yaml`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${BAD}22-bandwidth-in-kg.yaml:10: links[0].bandwidth: expected a bandwidth`);
    noStackTrace(r.stderr);
    expect(r.stdout).toBe('');
  });

  it('validate: normal inter-arrival times with sd ≥ mean exit 2, naming the sd and what was expected', () => {
    const r = cli('validate', `${BAD}68-normal-sd-not-below-mean.yaml`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${BAD}68-normal-sd-not-below-mean.yaml:15: workloads[0].arrivals.interarrival.normal.sd: expected sd < mean for a normal truncated at zero`);
    noStackTrace(r.stderr);
  });

  it('validate: a non-monotonic trace names the CSV file, its line and column', () => {
    const r = cli('validate', `${BAD}46-trace-non-monotonic.yaml`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${BAD}46-trace-non-monotonic.csv:4: column "t": expected non-decreasing values`);
    noStackTrace(r.stderr);
  });

  it('validate: an --set of an unknown key names the file and path', () => {
    const r = cli('validate', GOOD, '--set', 'durration=5 s');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${GOOD}: durration: unknown key "durration" (did you mean "duration"?)`);
    noStackTrace(r.stderr);
  });

  it('run: --seed abc exits 2 naming the flag and what was expected', () => {
    const r = cli('run', GOOD, '--seed', 'abc', '--out', 'results/never-written');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("option '--seed <n>' argument 'abc' is invalid. expected a whole number from 0 to 9007199254740991");
    noStackTrace(r.stderr);
  });

  it('run: a YAML alias bomb is refused quickly, exit 2', () => {
    const r = cli('run', `${BAD}06-alias-bomb.yaml`, '--out', 'results/never-written');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${BAD}06-alias-bomb.yaml: refused:`);
    noStackTrace(r.stderr);
  });
});

describe('trace CSV files as spreadsheets write them', () => {
  it('a UTF-8 byte-order mark and CRLF line ends are read: the column is "t", not "\\ufefft"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edelear-bom-'));
    writeFileSync(join(dir, 'trace.csv'), '\ufefft\r\n0.1\r\n2.5\r\n');
    const yaml = readFileSync(`${BAD}47-trace-non-numeric.yaml`, 'utf8').replace('47-trace-non-numeric.csv', 'trace.csv');
    writeFileSync(join(dir, 's.yaml'), yaml);
    const spec = buildWorldSpec(loadScenario(join(dir, 's.yaml')), loadCatalog());
    const arrivals = spec.workloads[0].arrivals;
    expect(arrivals.kind === 'trace' ? [...arrivals.times] : arrivals.kind).toEqual([0.1, 2.5]);
  });

  it('a quoted cell over several CRLF lines is no blank line (helper-92: csv-parse counts its \\r\\n as two lines, the check as one)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edelear-crlf-'));
    writeFileSync(join(dir, 'trace.csv'), 'name,t\r\n"a\r\nb",0.1\r\nc,1.2\r\n');
    const yaml = readFileSync(`${BAD}47-trace-non-numeric.yaml`, 'utf8').replace('47-trace-non-numeric.csv', 'trace.csv');
    writeFileSync(join(dir, 's.yaml'), yaml);
    const arrivals = buildWorldSpec(loadScenario(join(dir, 's.yaml')), loadCatalog()).workloads[0].arrivals;
    expect(arrivals.kind === 'trace' ? [...arrivals.times] : arrivals.kind).toEqual([0.1, 1.2]);
  });
});

describe('files not in UTF-8', () => {
  // Read as UTF-8, a Latin-1 "é" (byte 0xE9) became U+FFFD inside a name or a description:
  // the scenario changed silently and the manifest's SHA-256 was not the file's.
  const dir = mkdtempSync(join(tmpdir(), 'edelear-latin1-'));
  const good = readFileSync(GOOD);
  const errorOf = (load: () => unknown): InputError => {
    try {
      load();
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    throw new Error('expected an InputError');
  };

  it('a scenario with a Latin-1 byte is refused, naming the line of the first', () => {
    const file = join(dir, 'latin1.yaml');
    // Line 4 of minimal.yaml is "duration: 10 s"; a comment with a Latin-1 "é" goes after it.
    const lines = good.toString('utf8').split('\n');
    writeFileSync(file, Buffer.concat([Buffer.from(`${lines.slice(0, 4).join('\n')}\n# caf`), Buffer.from([0xe9]), Buffer.from(`\n${lines.slice(4).join('\n')}`)]));
    const e = errorOf(() => loadScenario(file));
    expect(e.file).toBe(file);
    expect(e.problems[0]).toEqual({ path: '', line: 5, message: expect.stringMatching(/not UTF-8 on this line .*expected UTF-8/) });
  });

  it('a scenario in UTF-16 is refused as such', () => {
    const file = join(dir, 'utf16.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(good.toString('utf8'), 'utf16le')]));
    expect(errorOf(() => loadScenario(file)).problems[0]).toEqual({ path: '', line: 1, message: expect.stringMatching(/the file is in UTF-16 .*expected UTF-8/) });
  });

  it('a trace CSV with a Latin-1 byte is refused, naming the CSV file and its line', () => {
    writeFileSync(join(dir, 'trace.csv'), Buffer.concat([Buffer.from('t\n0.1\n2.5 # caf'), Buffer.from([0xe9]), Buffer.from('\n3\n')]));
    const yaml = readFileSync(`${BAD}47-trace-non-numeric.yaml`, 'utf8').replace('47-trace-non-numeric.csv', 'trace.csv');
    writeFileSync(join(dir, 's.yaml'), yaml);
    const e = errorOf(() => buildWorldSpec(loadScenario(join(dir, 's.yaml')), loadCatalog()));
    expect(e.file).toBe(join(dir, 'trace.csv'));
    expect(e.problems[0].line).toBe(3);
  });

  it('a UTF-8 file with accents and a byte-order mark is read', () => {
    const file = join(dir, 'accents.yaml');
    writeFileSync(file, `\ufeff${good.toString('utf8').replace('# A minimal', '# Caméra: a minimal')}`);
    expect(loadScenario(file).scenario.name).toBe('minimal');
  });
});
