"""The micrograd reference for scalar-mlp (bench/workloads/scalar-mlp.ts): one step of micrograd's demo,
an MLP 2-16-16-1 on 100 two-moons points, full batch, SVM hinge loss + 1e-4 L2, backward, SGD.

micrograd is not packaged for Debian, so its engine (Andrej Karpathy, MIT licence,
micrograd/engine.py and nn.py) is reproduced below, trimmed to the operations the demo uses and
otherwise unchanged: a Value per scalar with a _backward closure, a topological sort, and the demo's
loss. 1 warm-up step, then timed steps. Prints one JSON line: {"times_ms": [...]}."""
import argparse
import math
import random
from timing import report


class Value:
    def __init__(self, data, _children=(), _op=''):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), '*')

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(0 if self.data < 0 else self.data, (self,), 'ReLU')

        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)
        self.grad = 1
        for v in reversed(topo):
            v._backward()

    def __neg__(self): return self * -1
    def __radd__(self, other): return self + other
    def __rmul__(self, other): return self * other


class Neuron:
    def __init__(self, nin, nonlin=True):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self): return self.w + [self.b]


class Layer:
    def __init__(self, nin, nout, **kwargs):
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self): return [p for n in self.neurons for p in n.parameters()]


class MLP:
    def __init__(self, nin, nouts):
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self): return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0


def moons(n, noise, rng):
    """Two interleaving half circles (sklearn's make_moons), labels -1 and 1."""
    half = n // 2
    X, y = [], []
    for i in range(half):
        t = math.pi * i / (half - 1)
        X.append([math.cos(t) + rng.gauss(0, noise), math.sin(t) + rng.gauss(0, noise)])
        y.append(-1)
    for i in range(n - half):
        t = math.pi * i / (n - half - 1)
        X.append([1 - math.cos(t) + rng.gauss(0, noise), 1 - math.sin(t) - 0.5 + rng.gauss(0, noise)])
        y.append(1)
    return X, y


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--root")
    p.add_argument("--points", type=int, default=100)
    p.add_argument("--lr", type=float, default=0.5)
    args = p.parse_args()
    random.seed(1337)
    X, y = moons(args.points, 0.1, random.Random(0))
    model = MLP(2, [16, 16, 1])

    def step():
        scores = [model(x) for x in X]
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum((q * q for q in model.parameters()))
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        for q in model.parameters():
            q.data -= args.lr * q.grad
        return total.data

    report(step, args.runs, warmup=1)


if __name__ == "__main__":
    main()
