/**
 * TwoLayerNet against the numbers published in CS231n's two_layer_net notebook (2017): a toy net with
 * np.random.seed(0) weights (std 1e-1) and np.random.seed(1) inputs. numpy (Debian's) only regenerates
 * those random numbers; the expected scores and loss are the notebook's own.
 */
import { spawnSync } from "child_process";
import { nn, Tensor } from "gradlab";
import { describeWith, requirements, DEBIAN_PYTHON } from "../support/requirements";

describeWith([requirements.numpy], "TwoLayerNet reproduces CS231n's toy-model check", () => {
  const script = `
import json, numpy as np
np.random.seed(0); W1 = 1e-1 * np.random.randn(4, 10); W2 = 1e-1 * np.random.randn(10, 3)
np.random.seed(1); X = 10 * np.random.randn(5, 4)
print(json.dumps({"W1": W1.tolist(), "W2": W2.tolist(), "X": X.tolist()}))`;
  const toy = () => {
    const r = spawnSync(DEBIAN_PYTHON, ["-c", script], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    const t = JSON.parse(r.stdout);
    // The notebook's loss used reg·ΣW² with reg = 0.05; ours is 0.5·reg·ΣW², hence reg = 0.1.
    const net = new nn.TwoLayerNet(4, 10, 3, { reg: 0.1 });
    net.params.W1.data.set(Tensor.from(t.W1).data);
    net.params.W2.data.set(Tensor.from(t.W2).data);
    return { net, X: Tensor.from(t.X) };
  };

  test("scores and loss match the notebook's correct_scores and correct_loss", () => {
    const { net, X } = toy();
    const correctScores = [
      [-0.81233741, -1.27654624, -0.70335995],
      [-0.17129677, -1.18803311, -0.47310444],
      [-0.51590475, -1.01354314, -0.8504215],
      [-0.15419291, -0.48629638, -0.52901952],
      [-0.00618733, -0.12435261, -0.15226949],
    ];
    expect(net.loss(X).allClose(correctScores, 0, 1e-8)).toBe(true);
    expect(Math.abs(net.loss(X, [0, 1, 2, 2, 1]).loss - 1.30378789133)).toBeLessThan(1e-11);
  });
});
