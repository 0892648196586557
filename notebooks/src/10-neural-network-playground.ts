// %% [markdown]
// # 10. A neural network playground
//
// The [TensorFlow Playground](https://playground.tensorflow.org) trains a small network in the browser
// and shows what it learns. This notebook rebuilds its default setup with gradlab, trains it live (the
// loss chart and the decision boundary update in place while the cell runs), and then trains the
// course's two-layer network on real data: 8×8 images of handwritten digits.
//
// | Playground control | here |
// |---|---|
// | data: *circle* | `data.circle` (500 points, the Playground's number, two classes) |
// | ratio of training to test data: 50% | `trainRatio: 0.5` |
// | noise: 0 | `noise: 0` |
// | batch size: 10 | `batchSize: 10` |
// | 2 hidden layers (4 and 2 neurons, the Playground's default) | `nn.MLP([2, 4, 2, 2])`, activation *tanh* |
// | learning rate | 0.1, plain SGD |
//
// One thing the Playground does not do: it shows the test loss while you tune. Here a fifth of the
// training points are held out as a **validation** set to watch; the test set is used once, at the end.

// %%
import { data, nn, optim, plot, tensor, assertAtLeast } from "gradlab";

// %% [markdown]
// ## The data
//
// One class inside a disc, the other in a ring around it; the noise blurs the border. No straight line
// separates them, so a linear classifier (notebook 1) cannot do this; a network with hidden layers can.

// %%
const circle = data.circle({ n: 500, noise: 0, trainRatio: 0.5, seed: 1 });
// Validation comes out of the training half; the test half stays untouched until the end.
const held = data.stratifiedSplit(circle.train, { testFraction: 0.2, seed: 2 });
const trainSet = held.train, valSet = held.test;
console.log(`train ${trainSet.X.shape[0]}, validation ${valSet.X.shape[0]}, test ${circle.test.X.shape[0]} points`);
plot.scatter(trainSet.X, trainSet.y, { title: "Training data (circle, noise 0)", width: 400, height: 400 })

// %% [markdown]
// ## Training, live
//
// Each step takes a mini-batch of 10 points, computes the softmax cross-entropy loss and its gradient by
// backpropagation through the two hidden layers, and moves every weight a little downhill (SGD). After
// each epoch (20 steps) the two pictures below are redrawn in place: `trainAsync` lets the notebook
// send each new picture while training goes on (`train()` would hold them all until the end).

// %%
const model = new nn.MLP([2, 4, 2, 2], { activation: "tanh", weightScale: "xavier", seed: 0 });
const predict = (points: number[][]) => nn.predictClasses(model.loss(tensor(points))).toFlat();
const boundary = (title: string) => plot.decisionBoundary(predict, valSet.X, valSet.y, { title, width: 400, height: 400, resolution: 120 });

const lossChart = display.markdown("*training: the loss curve appears after the first epoch*");
const picture = display(boundary("Validation data and the untrained network's decision"));
const trainer = new optim.Trainer(model, {
  train: trainSet, val: valSet, batchSize: 10, epochs: 20, optimizer: "sgd", lr: 0.1, seed: 0,
  restoreBest: false, quiet: true,
  onEpoch: ({ epoch, trainAcc, valAcc, history }) => {
    lossChart.update(plot.lossCurve(history.loss, { title: `Mini-batch loss (epoch ${epoch} of 20)`, width: 520, height: 280 }));
    if (epoch % 5 === 0) picture.update(boundary(`Epoch ${epoch}: train ${trainAcc.toFixed(3)}, validation ${valAcc!.toFixed(3)}`));
  },
});
const result = await trainer.trainAsync();
// One mini-batch's loss jumps around; the mean over an epoch's 20 mini-batches is the fair summary.
const epochMean = (e: number) => result.history.loss.slice(20 * e, 20 * (e + 1)).reduce((a, b) => a + b, 0) / 20;
console.log(`${result.history.loss.length} steps; mean mini-batch loss, first epoch ${epochMean(0).toFixed(3)} → last epoch ${epochMean(19).toFixed(3)}`);

// %% [markdown]
// The boundary starts as the random network's guess and bends, epoch by epoch, into a closed curve
// around the inner class. Training and validation accuracy per epoch, then the test set, once:

// %%
assertAtLeast("circle: training accuracy after 400 steps", result.history.trainAcc[19], 0.9);
assertAtLeast("circle: validation accuracy after 400 steps", result.history.valAcc[19], 0.9);
assertAtLeast("circle: test accuracy after 400 steps", nn.accuracy(model.loss(circle.test.X), circle.test.y), 0.9);
plot.accuracyCurve(result.history, { title: "Accuracy per epoch (train and validation)", valLabel: "validation", width: 520, height: 280 })

// %% [markdown]
// ## Varying the slide's settings
//
// Now move the Playground's controls one at a time, everything else as above, and compare the
// validation accuracy after 20 epochs (the test set stays out of it):

// %%
/** Validation accuracy after 20 epochs of SGD for one choice of noise and hidden layers. */
function validationAccuracy(noise: number, hidden: number[], batchSize = 10): number {
  const d = data.stratifiedSplit(data.circle({ n: 500, noise, trainRatio: 0.5, seed: 1 }).train, { testFraction: 0.2, seed: 2 });
  const m = new nn.MLP([2, ...hidden, 2], { activation: "tanh", weightScale: "xavier", seed: 0 });
  const epochs = 20 * batchSize / 10;   // the same number of steps (400) whatever the batch size
  new optim.Trainer(m, { train: d.train, batchSize, epochs, optimizer: "sgd", lr: 0.1, seed: 0, restoreBest: false, quiet: true }).train();
  return nn.accuracy(m.loss(d.test.X), d.test.y);
}
const variations: [string, number, number[], number?][] = [
  ["the slide: noise 0, layers 4 and 2", 0, [4, 2]], ["noise 20", 0.2, [4, 2]], ["noise 50", 0.5, [4, 2]],
  ["one hidden layer of 2", 0, [2]], ["two hidden layers of 8", 0, [8, 8]], ["batch size 1", 0, [4, 2], 1],
];
const accs = variations.map(([, noise, hidden, batch]) => validationAccuracy(noise, hidden, batch));
display.markdown(["| setting | validation accuracy |", "|---|---|", ...variations.map(([name], i) => `| ${name} | ${accs[i].toFixed(3)} |`)].join("\n"));
assertAtLeast("circle, the slide's settings: validation accuracy", accs[0], 0.9);

// %% [markdown]
// ## A two-layer network on handwritten digits
//
// The digits set has 1,797 grey-scale images of 8×8 pixels (values 0 to 16), ten classes. We hold out
// 20% for testing and 10% of the rest for validation (stratified: every digit keeps its share),
// standardise each pixel with the training set's mean and deviation, and train CS231n's `TwoLayerNet`:
// affine (64 → 100), ReLU, affine (100 → 10), softmax. The epoch to keep is chosen on the validation set;
// the test set is used once, at the very end.

// %%
const digits = data.loadDigits();
const scaled = data.trainValTestSplit(digits, { testFraction: 0.2, valFraction: 0.1, seed: 0 });
const raw = data.trainValTestSplit(digits, { testFraction: 0.2, valFraction: 0.1, seed: 0, standardize: false });   // the same rows, for pictures
console.log(`digits: ${digits.X.shape.join("×")}; train ${scaled.train.X.shape[0]}, validation ${scaled.val.X.shape[0]}, test ${scaled.test.X.shape[0]}`);
plot.imageGrid(raw.train.X.slice([0, 10]), { captions: Array.from(raw.train.y.slice([0, 10]).toFlat(), String), columns: 5, scale: 18, title: "The first 10 training images" })

// %%
const net = new nn.TwoLayerNet(64, 100, 10, { weightScale: 1e-2, reg: 1e-3, seed: 0 });
const digitChart = display.markdown("*training the two-layer network*");
const digitTrainer = new optim.Trainer(net, {
  train: scaled.train, val: scaled.val, batchSize: 50, epochs: 10, optimizer: "sgd", lr: 0.5, seed: 0, quiet: true,
  onEpoch: ({ history }) => digitChart.update(plot.lossCurve(history.loss, { title: "TwoLayerNet on digits: mini-batch loss", width: 520, height: 280 })),
});
const digitResult = await digitTrainer.trainAsync();
// The Trainer restores the parameters of the best validation epoch; only then do we look at the test set.
console.log(`best validation epoch ${digitResult.bestEpoch} (validation accuracy ${digitResult.bestAcc.toFixed(4)})`);
const testAccuracy = nn.accuracy(net.loss(scaled.test.X), scaled.test.y);
console.log(`test accuracy of that model: ${testAccuracy.toFixed(4)}`);
assertAtLeast("digits: TwoLayerNet test accuracy", testAccuracy, 0.96);

// %% [markdown]
// Test images with the network's answers; a caption like `8→1` marks a mistake (label 8, predicted 1).

// %%
const predicted = nn.predictClasses(net.loss(scaled.test.X));
const mistakes = predicted.toFlat().map((p, i) => (p !== scaled.test.y.get(i) ? i : -1)).filter((i) => i >= 0);
console.log(`${mistakes.length} mistakes out of ${scaled.test.y.size} test images`);
const shown = [...mistakes, ...Array.from({ length: 40 }, (_, i) => i).filter((i) => !mistakes.includes(i))].slice(0, 20);
plot.imageGrid(raw.test.X.take(shown), {
  captions: plot.digitCaptions(scaled.test.y.take(shown), predicted.take(shown)), columns: 5, scale: 18,
  title: "Test images: the mistakes first, then the rest",
})

// %% [markdown]
// ## Summary
//
// * The Playground slide's setup (noise 0, batch size 10, 50% train:test, two hidden layers) learns the
//   circle; more noise or a single layer of two units cannot enclose it as well.
// * Model choices (which epoch, which settings) are made on a validation set split from the training
//   data; the test set is used once, at the end.
//
// ## Exercise
//
// With noise 20 (`0.2`) some labels are flipped near the border, so no network gets them all. Use
// `validationAccuracy(noise, hidden, batchSize)` from above: which network does best, and does a larger
// one help? Try other learning-rate-free knobs too (batch size). Keep the test set out of it.

// %% tags=["exercise"]
for (const hidden of [[2], [4], [4, 2], [8, 4]]) {
  console.log(`noise 20, hidden ${JSON.stringify(hidden)}: validation accuracy ${validationAccuracy(0.2, hidden).toFixed(3)}`);
}
