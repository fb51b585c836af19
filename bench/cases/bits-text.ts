/**
 * Bit packing and text input (issue 16):
 *  - packbits-bool: `nd.packbits(b)` of 10M random bools -> 1.25M bytes;
 *    NumPy twin `np.packbits(b)`.
 *  - unpackbits-u8: `nd.unpackbits(p)` of 1.25M random bytes -> 10M;
 *    NumPy twin `np.unpackbits(p)`.
 *  - loadtxt-csv-10mb: `nd.loadtxt(path, {delimiter: ','})` of a 10 MB CSV
 *    (262144 rows × 5 columns of '%.3f' values, the same bytes on both sides);
 *    NumPy twin `np.loadtxt(path, delimiter=',')`.
 * One op = one whole call, allocation of the result included.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, main, measure, result } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;
const ROWS = 262_144;
const COLS = 5;

/** The CSV of the case: value (r, c) = ((r * 7919 + c * 104729) % 100000) / 8, printed with 3 decimals. */
export function csvText(): string {
  const parts: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    const row: string[] = [];
    for (let c = 0; c < COLS; c++) row.push((((r * 7919 + c * 104729) % 100000) / 8).toFixed(3));
    parts.push(row.join(','));
  }
  return parts.join('\n') + '\n';
}

function randomBits(): nd.NDArray {
  return nd.less(nd.random.uniform([N], { seed: 16 }), 0.5);
}

await main({
  'packbits-bool': () => {
    const b = randomBits();
    const src = b.data as Uint8Array;
    const m = measure(
      'packbits-bool',
      () => nd.packbits(b),
      (p, i) => {
        const k = (i * 7919) % (N >> 3);
        let v = 0;
        for (let j = 0; j < 8; j++) v = (v << 1) | src[8 * k + j]!;
        if (p.data[k] !== v) throw new Error(`packbits: byte ${k} is wrong`);
      },
    );
    assert(nd.packbits(b).size === N / 8, 'packbits gives N/8 bytes');
    return result('packbits-bool', m, { n: N, per: 'op' });
  },
  'unpackbits-u8': () => {
    const p = nd.packbits(randomBits());
    const src = p.data as Uint8Array;
    const m = measure(
      'unpackbits-u8',
      () => nd.unpackbits(p),
      (u, i) => {
        const k = (i * 7919) % N;
        if (u.data[k] !== ((src[k >> 3]! >> (7 - (k & 7))) & 1)) throw new Error(`unpackbits: element ${k} is wrong`);
      },
    );
    return result('unpackbits-u8', m, { n: N, per: 'op' });
  },
  'loadtxt-csv-10mb': () => {
    const path = join(tmpdir(), `ndshare-bench-${process.pid}.csv`);
    const text = csvText();
    writeFileSync(path, text);
    try {
      const m = measure(
        'loadtxt-csv-10mb',
        () => nd.loadtxt(path, { delimiter: ',' }),
        (x, i) => {
          const r = (i * 7919) % ROWS;
          const c = i % COLS;
          if (x.get(r, c) !== ((r * 7919 + c * 104729) % 100000) / 8) throw new Error(`loadtxt: element ${r}, ${c} is wrong`);
        },
        { minSamples: 5 },
      );
      return result('loadtxt-csv-10mb', m, { rows: ROWS, cols: COLS, bytes: text.length, per: 'op' });
    } finally {
      rmSync(path, { force: true });
    }
  },
});
