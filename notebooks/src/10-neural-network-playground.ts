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
// | data: *circle* | `data.circle` (400 points, two classes) |
// | ratio of training to test data: 50% | `trainRatio: 0.5` |
// | noise: 10 | `noise: 0.1` |
// | batch size: 10 | `batchSize: 10` |
// | hidden layers: 2 | `nn.MLP([2, 8, 8, 2])`, activation *tanh* |
// | learning rate | 0.1, plain SGD |

// %%
import { data, nn, optim, plot, tensor, assertAtLeast } from "gradlab";

// %% [markdown]
// ## The data
//
// One class inside a disc, the other in a ring around it; the noise blurs the border. No straight line
// separates them, so a linear classifier (notebook 1) cannot do this; a network with hidden layers can.

// %%
const circle = data.circle({ n: 400, noise: 0.1, trainRatio: 0.5, seed: 1 });
console.log(`train ${circle.train.X.shape[0]} points, test ${circle.test.X.shape[0]} points`);
plot.scatter(circle.train.X, circle.train.y, { title: "Training data (circle, noise 0.1)", width: 400, height: 400 })

// %% [markdown]
// ## Training, live
//
// Each step takes a mini-batch of 10 points, computes the softmax cross-entropy loss and its gradient by
// backpropagation through the two hidden layers, and moves every weight a little downhill (SGD). After
// each epoch (20 steps) the two pictures below are redrawn in place: `trainAsync` lets the notebook
// send each new picture while training goes on (`train()` would hold them all until the end).

// %%
const model = new nn.MLP([2, 8, 8, 2], { activation: "tanh", weightScale: "xavier", seed: 0 });
const predict = (points: number[][]) => nn.predictClasses(model.loss(tensor(points))).toFlat();
const boundary = (title: string) => plot.decisionBoundary(predict, circle.test.X, circle.test.y, { title, width: 400, height: 400, resolution: 120 });

const lossChart = display.markdown("*training: the loss curve appears after the first epoch*");
const picture = display(boundary("Test data and the untrained network's decision"));
const trainer = new optim.Trainer(model, {
  train: circle.train, val: circle.test, batchSize: 10, epochs: 20, optimizer: "sgd", lr: 0.1, seed: 0,
  restoreBest: false, quiet: true,
  onEpoch: ({ epoch, trainAcc, valAcc, history }) => {
    lossChart.update(plot.lossCurve(history.loss, { title: `Mini-batch loss (epoch ${epoch} of 20)`, width: 520, height: 280 }));
    if (epoch % 5 === 0) picture.update(boundary(`Epoch ${epoch}: train ${trainAcc.toFixed(3)}, test ${valAcc!.toFixed(3)}`));
  },
});
const result = await trainer.trainAsync();
const steps = result.history.loss.length;
console.log(`${steps} steps; loss ${result.history.loss[0].toFixed(3)} → ${result.history.loss[steps - 1].toFixed(3)}`);

// %% [markdown]
// The boundary starts as the random network's guess and bends, epoch by epoch, into a closed curve
// around the inner class. Training and test accuracy per epoch:

// %%
const finalTrain = result.history.trainAcc[19], finalTest = result.history.valAcc[19];
assertAtLeast("circle: training accuracy after 400 steps", finalTrain, 0.9);
assertAtLeast("circle: test accuracy after 400 steps", finalTest, 0.9);
plot.accuracyCurve(result.history, { title: "Accuracy per epoch (train and test)", valLabel: "test", width: 520, height: 280 })

// %% [markdown]
// Things to try (change a number and re-run the cells above): the learning rate 0.1 → 3 (the loss
// jumps up to 10 and ends near 3.5: the steps overshoot) or 0.003 (after 20 epochs the loss has hardly
// moved); `nn.MLP([2, 2, 2])`, one hidden layer of two units (two bent lines cannot enclose the disc:
// test accuracy drops to about 0.8); `data.xor` or `data.spiral` instead of the circle (the spiral needs
// a wider network, Adam and many more epochs).
//
// ## A two-layer network on handwritten digits
//
// The digits set has 1,797 grey-scale images of 8×8 pixels (values 0 to 16), ten classes. We hold out
// 20% for testing (stratified: every digit keeps its share), standardise each pixel with the training
// set's mean and deviation, and train CS231n's `TwoLayerNet`: affine (64 → 100), ReLU, affine
// (100 → 10), softmax.

// %%
const digits = data.loadDigits();
const split = data.stratifiedSplit(digits, { testFraction: 0.2, seed: 0 });
const scaled = data.standardizeSplit(split);
console.log(`digits: ${digits.X.shape.join("×")}; train ${split.train.X.shape[0]}, test ${split.test.X.shape[0]}`);
plot.imageGrid(split.train.X.slice([0, 10]), { captions: Array.from(split.train.y.slice([0, 10]).toFlat(), String), scale: 6, title: "The first 10 training images" })

// %%
const net = new nn.TwoLayerNet(64, 100, 10, { weightScale: 1e-2, reg: 1e-3, seed: 0 });
const digitChart = display.markdown("*training the two-layer network*");
const digitTrainer = new optim.Trainer(net, {
  train: scaled.train, val: scaled.test, batchSize: 50, epochs: 10, optimizer: "sgd", lr: 0.5, seed: 0, quiet: true,
  onEpoch: ({ history }) => digitChart.update(plot.lossCurve(history.loss, { title: "TwoLayerNet on digits: mini-batch loss", width: 520, height: 280 })),
});
const digitResult = await digitTrainer.trainAsync();
// The Trainer restores the parameters of the best validation epoch.
const testAccuracy = nn.accuracy(net.loss(scaled.test.X), scaled.test.y);
console.log(`best epoch ${digitResult.bestEpoch}; test accuracy ${testAccuracy.toFixed(4)}`);
assertAtLeast("digits: TwoLayerNet test accuracy", testAccuracy, 0.96);

// %% [markdown]
// Test images with the network's answers; a caption like `8→1` marks a mistake (label 8, predicted 1).

// %%
const predicted = nn.predictClasses(net.loss(scaled.test.X));
const mistakes = predicted.toFlat().map((p, i) => (p !== scaled.test.y.get(i) ? i : -1)).filter((i) => i >= 0);
console.log(`${mistakes.length} mistakes out of ${scaled.test.y.size} test images`);
const shown = [...mistakes, ...Array.from({ length: 40 }, (_, i) => i).filter((i) => !mistakes.includes(i))].slice(0, 20);
plot.imageGrid(split.test.X.take(shown), {
  captions: plot.digitCaptions(scaled.test.y.take(shown), predicted.take(shown)), scale: 6,
  title: "Test images: the mistakes first, then the rest",
})
