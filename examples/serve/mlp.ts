// The model task, run in the pool's worker processes: a 784-H-H-10 MLP
// (ReLU) over a batch of inputs. In 'shared' mode the weights are the
// store's arrays, found by name (every worker maps the same pages); in
// 'copies' mode each worker reads the safetensors file into its own memory
// once, as a server without shared memory would.
import * as nd from '../../src/index.js';

type Weights = Record<'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'b3', nd.NDArray>;
const NAMES = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;
let cached: { key: string; w: Weights } | undefined;

function weights(mode: 'shared' | 'copies', file: string): Weights {
  const key = `${mode}:${file}`;
  if (cached?.key === key) return cached.w;
  const w = {} as Weights;
  if (mode === 'shared') {
    // Pinned views of the store's objects, held for the worker's life.
    const store = nd.workerContext().store;
    for (const n of NAMES) w[n] = store.get(`mlp/${n}`);
  } else {
    // A private copy: the mapping's pages are dropped, the copy is this process's alone.
    const t = nd.loadSafetensors(file);
    for (const n of NAMES) w[n] = t[n]!.copy();
  }
  cached = { key, w };
  return w;
}

/** Logits [batch, 10] of a batch [batch, 784] float32. */
export function infer(x: nd.NDArray, mode: 'shared' | 'copies', file: string): nd.NDArray {
  const w = weights(mode, file);
  const h1 = nd.maximum(nd.add(nd.matmul(x, w.w1), w.b1), 0);
  const h2 = nd.maximum(nd.add(nd.matmul(h1, w.w2), w.b2), 0);
  return nd.add(nd.matmul(h2, w.w3), w.b3);
}
