/** A 784-128-10 multilayer perceptron (MNIST-sized), biases included. */
import { Net, type ZooModel } from './layers.ts';

/** MLP: 784 inputs → 128 (ReLU) → 10 logits. */
export function mlp784(): ZooModel {
  const n = new Net([784]);
  n.linear('fc1', 128);
  n.linear('fc2', 10);
  return {
    name: 'mlp-784-128-10',
    title: 'MLP 784-128-10',
    source: 'two-layer perceptron 784→128 (ReLU)→10 with biases; layer figures computed by scripts/zoo/generate.ts',
    input: n.input,
    published: {
      params: 101_770,
      source: '784·128+128 + 128·10+10 (McMahan et al. 2017 use a 2NN of 200 units; this is the smaller 784-128-10 MLP)',
    },
    layers: n.layers,
  };
}
