/**
 * One training step of CS231n's two-layer network at assignment size: N=200 rows of D=3072 (CIFAR-10
 * images), H=100 hidden, C=10 classes, float64, seeded: affine → ReLU → affine → softmax cross-entropy,
 * full backward, SGD update of W1, b1, W2, b2; median ms per step.
 * - mlp-step: the layer API (nn.TwoLayerNet's loss(X, y) and optim.SGD), as assignment 1 uses it;
 * - mlp-step-autograd: the same network through Tensor autograd (requiresGrad, backward()).
 * Both have a NumPy twin; mlp-step also runs on TensorFlow.js (float32).
 */
import { nn, optim, Random, Tensor } from "../../lib";
import { gradlabImpls } from "../backends";
import { numpyImpl } from "../python";
import { tfjsImpls } from "../tfjs";
import { Workload } from "../types";

export const SIZE = { n: 200, d: 3072, h: 100, c: 10, lr: 1e-3, seed: 0 };
const { n: N, d: D, h: H, c: C, lr: LR } = SIZE;

const labels = () => Int32Array.from({ length: N }, (_, i) => i % C);

function layerStep(): () => object {
  const model = new nn.TwoLayerNet(D, H, C, { weightScale: 1e-3, seed: SIZE.seed });
  const X = Tensor.randn([N, D], SIZE.seed + 1), y = labels();
  const sgd = new optim.SGD(model.params, { lr: LR });
  return () => {
    sgd.step(model.loss(X, y).grads);
    return {};
  };
}

function autogradStep(): () => object {
  const rng = new Random(SIZE.seed);
  const param = (shape: number[], scale: number) => {
    const p = scale ? Tensor.randn(shape, rng).mul(scale) : Tensor.zeros(shape);
    p.requiresGrad = true;
    return p;
  };
  const W1 = param([D, H], 1e-3), b1 = param([H], 0), W2 = param([H, C], 1e-3), b2 = param([C], 0);
  const X = Tensor.randn([N, D], SIZE.seed + 1);
  const onehot = Tensor.zeros([N, C]);
  labels().forEach((label, i) => (onehot.data[i * C + label] = 1));
  const sgd = new optim.SGD([W1, b1, W2, b2], { lr: LR });
  return () => {
    const scores = X.matmul(W1).add(b1).relu().matmul(W2).add(b2);
    const shifted = scores.sub(scores.max(1, true).detach());
    const logProbs = shifted.sub(shifted.exp().sum(1, true).log());
    const loss = logProbs.mul(onehot).sum().mul(-1 / N);
    sgd.zeroGrad();
    loss.backward();
    sgd.step();
    return {};
  };
}

const numpyArgs = Object.entries(SIZE).flatMap(([k, v]) => [`--${k}`, String(v)]);

export const workloads: Workload[] = [
  {
    name: "mlp-step",
    description: `TwoLayerNet ${D}-${H}-${C}, N=${N}, float64: forward, softmax loss, backward, SGD (nn layers); ms per step`,
    defaultRuns: 10,
    impls: [
      ...gradlabImpls(layerStep, { warmup: 2 }),
      numpyImpl("mlp_step.py", numpyArgs),
      // tfjs-core's gradients ship as ES modules Node cannot load without the tfjs umbrella package,
      // so the twin writes backward out, as the NumPy twin does.
      ...tfjsImpls((tf) => {
        const v = (shape: number[], seed: number) => tf.variable(tf.randomNormal(shape, 0, 1e-3, "float32", seed));
        const W1 = v([D, H], 1), b1 = tf.variable(tf.zeros([H])), W2 = v([H, C], 2), b2 = tf.variable(tf.zeros([C]));
        const X = tf.keep(tf.randomNormal([N, D], 0, 1, "float32", 3));
        const Y = tf.keep(tf.oneHot(tf.tensor1d(Array.from(labels()), "int32"), C));
        return () => {
          const h = tf.relu(tf.add(tf.matMul(X, W1), b1));
          const logProbs = tf.logSoftmax(tf.add(tf.matMul(h, W2), b2));
          const loss = tf.neg(tf.mean(tf.sum(tf.mul(logProbs, Y), 1)));
          const dScores = tf.div(tf.sub(tf.exp(logProbs), Y), N);
          const dh = tf.mul(tf.matMul(dScores, W2, false, true), tf.step(h));
          W2.assign(tf.sub(W2, tf.mul(LR, tf.matMul(h, dScores, true, false))));
          b2.assign(tf.sub(b2, tf.mul(LR, tf.sum(dScores, 0))));
          W1.assign(tf.sub(W1, tf.mul(LR, tf.matMul(X, dh, true, false))));
          b1.assign(tf.sub(b1, tf.mul(LR, tf.sum(dh, 0))));
          loss.dataSync();
          return {};
        };
      }),
    ],
  },
  {
    name: "mlp-step-autograd",
    description: `the same step through Tensor autograd (requiresGrad, backward()); ms per step`,
    defaultRuns: 10,
    impls: [...gradlabImpls(autogradStep, { warmup: 2 }), numpyImpl("mlp_step.py", numpyArgs)],
  },
];
