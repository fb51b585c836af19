/**
 * Stream comparison against NumPy's Generator: each case is a Python
 * expression over `g` (a fresh `np.random.Generator(np.random.<BitGen>(seed))`)
 * and the same draws in ndshare; all cases of a batch run in one python3
 * process, which writes each result's raw bytes and dtype. Equality is
 * byte for byte (bit for bit).
 */
import * as nd from '../../src/index.js';
import { python } from './python.js';

export type BitGenName = 'PCG64' | 'PCG64DXSM' | 'MT19937' | 'Philox' | 'SFC64';

export interface StreamCase {
  label: string;
  bitgen?: BitGenName;
  /** A seed literal valid in both languages (JS value, Python text). */
  seed: number | bigint | (number | bigint)[];
  /** Python expression over g. */
  py: string;
  /** The same with ndshare's Generator. */
  js: (g: nd.random.Generator) => nd.NDArray | Uint8Array;
  /**
   * 'exact' (default): byte for byte. A number: float results may differ by this relative error
   * (integer results must still be equal), for the draws that go through the ziggurat tables.
   */
  tol?: 'exact' | number;
}

export interface StreamResult {
  label: string;
  equal: boolean;
  /** Elements that differ, and the first one. */
  detail: string;
}

function pySeed(s: StreamCase['seed']): string {
  return Array.isArray(s) ? `[${s.map(String).join(', ')}]` : String(s);
}

function bytesOfResult(r: nd.NDArray | Uint8Array): { bytes: Buffer; dtype: string } {
  if (r instanceof Uint8Array) return { bytes: Buffer.from(r), dtype: 'bytes' };
  const c = r.flags.cContiguous ? r : r.copy();
  return { bytes: Buffer.from(c.data.buffer, c.data.byteOffset + c.offset * c.itemsize, c.nbytes), dtype: c.dtype };
}

/** Runs every case in NumPy and in ndshare and compares bytes and dtypes. */
export function compareStreams(cases: readonly StreamCase[]): StreamResult[] {
  const lines = cases.map((c, i) => {
    const bg = c.bitgen ?? 'PCG64';
    return `g = np.random.Generator(np.random.${bg}(${pySeed(c.seed)}))
try:
    r = ${c.py}
except Exception as e:
    r = None; dt.append('raise:' + type(e).__name__)
if r is None:
    pass
elif isinstance(r, bytes):
    open(os.path.join(D, 'out${i}'), 'wb').write(r); dt.append('bytes')
else:
    a = np.ascontiguousarray(np.asarray(r)); open(os.path.join(D, 'out${i}'), 'wb').write(a.tobytes()); dt.append(str(a.dtype).replace('bool', 'bool'))`;
  });
  const script = `dt = []\n${lines.join('\n')}\nprint(json.dumps(dt))`;
  const { stdout, files } = python("exec(open(os.path.join(D, 'script.py')).read())", { 'script.py': new TextEncoder().encode(script) });
  const dtypes = JSON.parse(stdout) as string[];
  return cases.map((c, i) => {
    const bg = c.bitgen ?? 'PCG64';
    const Ctor = nd.random[bg];
    const g = new nd.random.Generator(new Ctor(c.seed));
    if (dtypes[i]!.startsWith('raise:')) return { label: `${bg}(${pySeed(c.seed)}) ${c.label}`, equal: false, detail: `NumPy raised ${dtypes[i]!.slice(6)}` };
    const ours = bytesOfResult(c.js(g));
    const theirs = files[`out${i}`] ?? Buffer.alloc(0);
    const dtypeOk = ours.dtype === dtypes[i];
    let eq = dtypeOk && ours.bytes.equals(theirs);
    const tol = c.tol ?? 'exact';
    if (!eq && dtypeOk && tol !== 'exact' && ours.bytes.length === theirs.length && (ours.dtype === 'float64' || ours.dtype === 'float32')) {
      const A = ours.dtype === 'float64' ? Float64Array : Float32Array;
      const a = new A(Uint8Array.from(ours.bytes).buffer);
      const b = new A(Uint8Array.from(theirs).buffer);
      let worst = 0;
      for (let k = 0; k < a.length; k++) {
        const d = Math.abs(a[k]! - b[k]!) / Math.max(Math.abs(b[k]!), Number.MIN_VALUE);
        if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
      }
      eq = worst <= tol;
      if (!eq) return { label: `${bg}(${pySeed(c.seed)}) ${c.label}`, equal: false, detail: `max relative difference ${worst} > ${tol}` };
    }
    let detail = '';
    if (!eq) {
      let first = -1;
      let count = 0;
      for (let k = 0; k < Math.min(ours.bytes.length, theirs.length); k++) {
        if (ours.bytes[k] !== theirs[k]) {
          count++;
          if (first < 0) first = k;
        }
      }
      detail = `dtype ours ${ours.dtype} numpy ${dtypes[i]}; bytes ours ${ours.bytes.length} numpy ${theirs.length}; ${count} bytes differ, first at byte ${first}`;
    }
    return { label: `${bg}(${pySeed(c.seed)}) ${c.label}`, equal: eq, detail };
  });
}
