/**
 * A worker process of the `weights` case: loads the weights one way, reads
 * every element of every tensor, says `ready` (with its checksum) on the IPC
 * channel, then waits for the parent to measure its memory and let it go.
 *
 *     node --import tsx weights-child.ts store <handle JSON> <names JSON>
 *     node --import tsx weights-child.ts mmap <path>
 *     node --import tsx weights-child.ts copy <path>
 *     node --import tsx weights-child.ts idle          (the runtime alone, for the baseline)
 *
 * Exits when the parent says `exit` or the IPC channel closes (parent gone).
 */
import { readFileSync } from 'node:fs';
import * as nd from '../../src/index.js';

const [mode, arg, namesJson] = process.argv.slice(2);

function total(tensors: Iterable<nd.NDArray>): number {
  let s = 0;
  for (const x of tensors) s += Number(nd.sum(x).item());
  return s;
}

let sum: number;
let keep: unknown; // the loaded weights stay referenced while the parent measures
if (mode === 'store') {
  const store = nd.Store.attach(JSON.parse(arg!));
  const names = JSON.parse(namesJson!) as string[];
  const tensors = names.map((n) => store.get(n));
  sum = total(tensors);
  keep = [store, tensors];
} else if (mode === 'mmap') {
  const tensors = nd.loadSafetensors(arg!);
  sum = total(Object.values(tensors));
  keep = tensors;
} else if (mode === 'copy') {
  // What a worker does without shared memory: its own copy of the file.
  const bytes = readFileSync(arg!);
  const tensors = nd.parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).tensors;
  sum = total(Object.values(tensors));
  keep = [bytes, tensors];
} else if (mode === 'idle') {
  sum = 0;
} else {
  throw new Error(`weights-child: unknown mode ${mode}`);
}

process.send!({ ready: true, sum });
process.on('message', (m) => {
  if (m === 'exit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
void keep;
