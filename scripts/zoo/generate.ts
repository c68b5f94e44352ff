/**
 * Writes the model zoo to data/models/<id>.json. Run: npx tsx scripts/zoo/generate.ts
 * Prints, per model, the computed parameters and GMACs next to the published figures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { alexnet } from './alexnet.ts';
import { efficientnetB0 } from './efficientnet.ts';
import { FP32_BYTES, numel, type ZooModel } from './layers.ts';
import { mlp784 } from './mlp.ts';
import { mobilenetV2 } from './mobilenetv2.ts';
import { mobilenetV3Small } from './mobilenetv3.ts';
import { resnet18, resnet50 } from './resnet.ts';
import { squeezenet11 } from './squeezenet.ts';
import { vgg16 } from './vgg.ts';

/** Every model of the zoo, in the order they are written. */
const ZOO: readonly (() => ZooModel)[] = [
  alexnet,
  vgg16,
  resnet18,
  resnet50,
  mobilenetV2,
  mobilenetV3Small,
  squeezenet11,
  efficientnetB0,
  mlp784,
];

/** The data-file text of a model: fixed key order, one layer record per line. */
function toJson(m: ZooModel): string {
  const head = {
    name: m.name,
    title: m.title,
    source: m.source,
    flopConvention: '1 MAC = 2 FLOP',
    input: { shape: m.input, bytes: numel(m.input) * FP32_BYTES },
    published: m.published,
    ...(m.accuracy ? { accuracy: m.accuracy } : {}),
  };
  const body = JSON.stringify(head, null, 2).replace(/\[\s+([\d,\s]+?)\s+\]/g, (_, xs: string) => `[${xs.split(/,\s*/).join(', ')}]`);
  const layers = m.layers.map((l) => `    ${JSON.stringify(l)}`).join(',\n');
  return `${body.slice(0, -2)},\n  "layers": [\n${layers}\n  ]\n}\n`;
}

/** Writes every zoo file and prints the computed-vs-published table. */
function main(): void {
  const dir = fileURLToPath(new URL('../../data/models/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const build of ZOO) {
    const m = build();
    writeFileSync(`${dir}${m.name}.json`, toJson(m));
    const params = m.layers.reduce((a, l) => a + l.params, 0);
    const gmacs = m.layers.reduce((a, l) => a + l.flops, 0) / 2 / 1e9;
    const pub = m.published.gmacs;
    const err = pub === undefined ? '' : `${(((gmacs - pub) / pub) * 100).toFixed(2)}%`;
    console.log(
      [m.name.padEnd(20), String(params).padStart(10), String(m.published.params).padStart(10),
        gmacs.toFixed(4).padStart(8), String(pub ?? '-').padStart(6), err.padStart(7), `${m.layers.length} layers`].join('  '),
    );
  }
}

main();
