/**
 * The array header of a 3-D float64 array (shape [64, 128, 256], C order):
 *  - header-encode: `encodeHeader(headerOf(x))`, array -> FlatBuffers bytes;
 *  - header-decode: `readHeader(bytes, 0, bytes.length, bufferByteLength)`,
 *    bytes -> validated ArrayHeader.
 * NumPy twin (the closest equivalent, not the same format): the .npy v1.0
 * header, `write_array_header_1_0(BytesIO, header_data_from_array_1_0(a))` and
 * `read_magic` + `read_array_header_1_0` (a Python-literal text header).
 */
import { assert, main, measure, result } from '../harness.js';
import * as nd from '../../src/index.js';

const SHAPE = [64, 128, 256];
const note = 'NumPy twin: np.lib.format .npy v1.0 header (closest equivalent; text, not FlatBuffers)';

function setup() {
  const x = nd.random.uniform(SHAPE, { seed: 1 });
  const bytes = nd.encodeHeader(nd.headerOf(x));
  return { x, bytes, bufferByteLength: x.data.buffer.byteLength };
}

await main({
  'header-encode': () => {
    const { x, bytes } = setup();
    const m = measure(
      'header-encode',
      () => nd.encodeHeader(nd.headerOf(x)),
      (b) => {
        // Same input, same bytes: compare the length and a byte that varies (the shape vector).
        if (b.length !== bytes.length || b[b.length - 9] !== bytes[bytes.length - 9]) {
          throw new Error('encodeHeader: bytes differ from the first encoding');
        }
      },
    );
    const again = nd.encodeHeader(nd.headerOf(x));
    assert(Buffer.compare(again, bytes) === 0, 'encoding is deterministic');
    return result('header-encode', m, { shape: SHAPE, dtype: 'float64', bytes: bytes.length, per: 'op', note });
  },
  'header-decode': () => {
    const { x, bytes, bufferByteLength } = setup();
    const m = measure(
      'header-decode',
      () => nd.readHeader(bytes, 0, bytes.length, bufferByteLength),
      (h) => {
        if (h.shape[2] !== 256 || h.byteStrides[0] !== 128 * 256 * 8 || h.dtype !== 'float64') {
          throw new Error('readHeader: wrong header');
        }
      },
    );
    const h = nd.readHeader(bytes, 0, bytes.length, bufferByteLength);
    assert(JSON.stringify(h) === JSON.stringify(nd.headerOf(x)), 'decode(encode(h)) equals h');
    return result('header-decode', m, { shape: SHAPE, dtype: 'float64', bytes: bytes.length, per: 'op', note });
  },
});
