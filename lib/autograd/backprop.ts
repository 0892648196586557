/**
 * The one reverse-mode core. Graph, Value and Tensor autograd each describe their nodes through the
 * small interfaces below and then share two algorithms: a topological order (every node after its
 * inputs) and the backward loop (the lecture's slide: walk that order in reverse; at each node,
 * upstream gradient times local derivative goes to each input; a node used several times receives
 * the sum).
 */

/** How to walk a graph: a node's inputs, one by one. */
export interface Inputs<N> {
  /** How many inputs the node has (0 for a leaf). */
  arity(node: N): number;
  /** Input j of the node, or null where the graph stops (a plain number, a tensor without gradient). */
  input(node: N, j: number): N | null;
  /** Walk state per node (default: a Map); Value keeps it in fields, which large graphs need for speed. */
  marks?: Marks<N>;
  /** Called with the path of a cycle (first node repeated at the end); default: an error listing it. */
  cycle?(path: N[]): never;
}

export type Mark = "active" | "done";

export interface Marks<N> {
  get(node: N): Mark | undefined;
  set(node: N, mark: Mark): void;
}

/**
 * Nodes reachable from `roots`, every node after its inputs (roots and inputs in the order given).
 * Iterative depth-first search, so deep graphs (a long unrolled loop) do not overflow the stack: a
 * stack of nodes with, for each, the index of the next input to visit; a node is emitted after its
 * inputs. A node met again while still on the stack closes a cycle.
 */
export function topologicalOrder<N>(roots: Iterable<N>, graph: Inputs<N>): N[] {
  const marks = graph.marks ?? new Map<N, Mark>();
  const order: N[] = [], stack: (N | undefined)[] = [], next: number[] = [];
  let top = -1; // the stack's top (indices, not push/pop: shrinking arrays makes deep walks slow)
  for (const root of roots) {
    if (marks.get(root) !== undefined) continue;
    marks.set(root, "active");
    stack[++top] = root;
    next[top] = 0;
    while (top >= 0) {
      const node = stack[top]!, j = next[top];
      if (j < graph.arity(node)) {
        next[top] = j + 1;
        const x = graph.input(node, j);
        if (x === null) continue;
        const mark = marks.get(x);
        if (mark === undefined) {
          marks.set(x, "active");
          stack[++top] = x;
          next[top] = 0;
        } else if (mark === "active") {
          const path = stack.slice(0, top + 1) as N[];
          (graph.cycle ?? noCycle)([...path.slice(path.indexOf(x)), x]);
        }
      } else {
        stack[top--] = undefined; // no reference kept to a finished node
        marks.set(node, "done");
        order.push(node);
      }
    }
  }
  return order;
}

function noCycle(path: unknown[]): never {
  throw new Error(`the graph has a cycle (${path.length - 1} node(s)); a computational graph must be acyclic`);
}

/** Where the gradients arriving at each node are summed (a Map by default, see gradientMap). */
export interface Gradients<N, G> {
  /** The complete gradient of the output with respect to node, or undefined if none arrived (the store may then forget it). */
  take(node: N): G | undefined;
  /** Adds g to what node has received so far (fan-out: the uses of a node add up). */
  add(node: N, g: G): void;
}

/** What the backward loop needs to know about a node. */
export interface Chain<N, G> extends Inputs<N> {
  /**
   * The chain rule at one node: upstream times the local derivative, one gradient per input (null:
   * not needed). The loop reads the array at once, so it may be reused by the next call.
   */
  backward(node: N, upstream: G): readonly (G | null)[];
  /** Observes each node the gradient reached: its full upstream gradient and what it sent to its inputs. */
  reached?(node: N, upstream: G, downstream: readonly (G | null)[]): void;
}

const LEAF: readonly never[] = [];

/**
 * The backward loop. In reverse topological order every use of a node comes before the node itself,
 * so when the loop reaches a node its gradient is complete.
 */
export function backpropagate<N, G>(order: readonly N[], grads: Gradients<N, G>, chain: Chain<N, G>): void {
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k], upstream = grads.take(node);
    if (upstream === undefined) continue; // the output does not depend on this node
    const downstream = chain.arity(node) === 0 ? LEAF : chain.backward(node, upstream); // upstream × local
    for (let j = 0; j < downstream.length; j++) {
      const x = chain.input(node, j), g = downstream[j];
      if (x !== null && g !== null) grads.add(x, g); // fan-out: the gradients of a node's uses add up
    }
    chain.reached?.(node, upstream, downstream); // observers: leaf .grad, Graph's trace, drawings
  }
}

/**
 * Gradients in a fresh Map (nothing is left over from an earlier run), seeded at the output. A
 * node's entry is dropped when the loop takes it, so intermediate gradients are freed early.
 */
export function gradientMap<N, G>(output: N, seed: G, sum: (a: G, b: G) => G): Gradients<N, G> {
  const map = new Map<N, G>([[output, seed]]);
  return {
    take(node) {
      const g = map.get(node);
      map.delete(node);
      return g;
    },
    add(node, g) {
      const prev = map.get(node);
      map.set(node, prev === undefined ? g : sum(prev, g));
    },
  };
}
