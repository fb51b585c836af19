/**
 * The bridge a Python process (python/ndshare) runs as its child: one store
 * client, driven by JSON lines on stdin, answering JSON lines on stdout.
 *
 * The Python package keeps no copy of the store's rules (allocation, eviction,
 * pins, sealing, repair): every mutation runs here, through the same `Store`
 * a Node application uses. Python maps the same segment (it opens
 * `/proc/<bridge pid>/fd/<fd>`, the way `Store.attach` does) and builds its
 * numpy views over the offsets this bridge reports, so the data never passes
 * through the pipe. The pins Python holds are this client's pins: when the
 * Python process exits or is killed, stdin reaches EOF and the bridge closes
 * the store (pins released, unsealed objects deleted); if both are killed,
 * the store's reaper does it (the client's liveness mutex). See docs/python.md.
 *
 * Requests: `{op, ...}`; answers `{ok: true, ...}` or `{ok: false, code, message}`,
 * one per request, in order.
 *
 * @module
 */
import { writeSync } from 'node:fs';
import { native } from '../binding.js';
import { codes, NdshareError, type ErrorCode } from '../errors.js';
import { Store, type NDArray, type StoreHandle } from '../index.js';
import { DTYPES, type DType } from '../types.js';

/** Version of the line protocol; the Python side checks it in the `hello` answer. */
export const BRIDGE_PROTOCOL = 1;

type Request = Record<string, unknown> & { op?: unknown };
type Answer = Record<string, unknown>;

let store: Store | undefined;
/** Arrays whose pin this bridge holds for Python, by reference number. */
const refs = new Map<number, NDArray>();
let nextRef = 1;

function fail(message: string, code: ErrorCode = codes.INVALID_ARG_VALUE): never {
  throw new NdshareError(message, { code });
}

function str(req: Request, key: string): string {
  const v = req[key];
  if (typeof v !== 'string') fail(`bridge: '${key}' must be a string`, codes.INVALID_ARG_TYPE);
  return v;
}

function optStr(req: Request, key: string): string | undefined {
  return req[key] === undefined || req[key] === null ? undefined : str(req, key);
}

function num(req: Request, key: string, dflt: number): number {
  const v = req[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number') fail(`bridge: '${key}' must be a number`, codes.INVALID_ARG_TYPE);
  return v;
}

function open(): Store {
  if (!store) fail('bridge: no store is open', codes.CLOSED);
  return store;
}

function ref(req: Request): [number, NDArray] {
  const r = num(req, 'ref', -1);
  const x = refs.get(r);
  if (!x) fail(`bridge: no array with reference ${r}`, codes.NOT_FOUND);
  return [r, x];
}

/** Where an array of the store lies in the segment: what Python builds its view from. */
function describe(r: number, x: NDArray, s: Store): Answer {
  const data = x.data;
  return {
    ref: r,
    id: s.idOf(x),
    dtype: x.dtype,
    shape: x.shape,
    offset: data.byteOffset + x.offset * data.BYTES_PER_ELEMENT,
    nbytes: x.size * data.BYTES_PER_ELEMENT,
  };
}

/**
 * Keeps `x` (and its pin) until Python releases it. The store reports a pinned array's bytes to V8
 * as external memory, so that dropped arrays get collected; here nothing is ever dropped (Python
 * releases explicitly, or the bridge exits), and that pressure would only make V8 run a full GC
 * per large get (tens of ms for a 100 MB object). The bridge takes the report back while it holds x.
 */
function hold(x: NDArray, s: Store): Answer {
  const r = nextRef++;
  refs.set(r, x);
  native.shm.adjustExternalMemory(-heldBytes(x));
  return describe(r, x, s);
}

function heldBytes(x: NDArray): number {
  return x.size * x.data.BYTES_PER_ELEMENT;
}

/** Gives `x` back to the store's accounting (see hold), then its pin. */
function unhold(r: number, x: NDArray, s: Store): void {
  refs.delete(r);
  native.shm.adjustExternalMemory(heldBytes(x));
  s.release(x);
}

function opened(s: Store): Answer {
  store = s;
  return { pid: process.pid, fd: s.fd, handle: s.handle, name: s.name ?? null };
}

async function handle(req: Request): Promise<Answer> {
  switch (req.op) {
    case 'hello':
      return { protocol: BRIDGE_PROTOCOL, dtypes: DTYPES, pid: process.pid };
    case 'open':
      if (store) fail('bridge: a store is already open');
      return opened(Store.open(str(req, 'name'), { timeout: num(req, 'timeout', 0) }));
    case 'attach':
      if (store) fail('bridge: a store is already open');
      return opened(Store.attach(req.handle as StoreHandle));
    case 'create': {
      if (store) fail('bridge: a store is already open');
      const capacity = req.capacity;
      if (typeof capacity !== 'number' && typeof capacity !== 'string') fail("bridge: 'capacity' must be a number or a string", codes.INVALID_ARG_TYPE);
      return opened(Store.create({ name: optStr(req, 'name'), capacity }));
    }
    case 'get': {
      const s = open();
      return hold(await s.getAsync(str(req, 'key'), { timeout: num(req, 'timeout', 0) }), s);
    }
    case 'release': {
      const [r, x] = ref(req);
      unhold(r, x, open());
      return {};
    }
    case 'empty': {
      const s = open();
      const dtype = str(req, 'dtype') as DType;
      if (!(DTYPES as readonly string[]).includes(dtype)) fail(`bridge: unknown dtype '${dtype}'`, codes.DTYPE);
      const evictable = req.evictable === undefined ? true : req.evictable === true;
      return hold(s.empty(req.shape as number[], { dtype, name: optStr(req, 'name'), evictable }), s);
    }
    case 'seal': {
      const s = open();
      const [r, x] = ref(req);
      const id = s.seal(x);
      if (req.keep !== true) unhold(r, x, s);
      return { id };
    }
    case 'list':
      return { objects: open().list() };
    case 'stats':
      return { stats: open().stats() };
    case 'delete':
      open().delete(str(req, 'key'));
      return {};
    case 'has':
      return { has: open().has(str(req, 'key')) };
    case 'close':
      closeStore();
      return {};
    default:
      return fail(`bridge: unknown op ${JSON.stringify(req.op)}`);
  }
}

/** Closes the store: every pin Python still holds is released with this client. */
function closeStore(): void {
  for (const x of refs.values()) native.shm.adjustExternalMemory(heldBytes(x));
  refs.clear();
  store?.close();
  store = undefined;
}

function send(a: Answer): void {
  const line = Buffer.from(JSON.stringify(a) + '\n');
  for (let off = 0; off < line.length;) off += writeSync(1, line, off);
}

async function answer(line: string): Promise<void> {
  let req: Request;
  try {
    req = JSON.parse(line) as Request;
  } catch {
    send({ ok: false, code: codes.INVALID_ARG_VALUE, message: 'bridge: a request is not JSON' });
    return;
  }
  try {
    send({ ok: true, ...(await handle(req)) });
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown; limit?: unknown };
    send({
      ok: false,
      code: typeof err.code === 'string' && err.code.startsWith('ERR_NDSHARE_') ? err.code : codes.NATIVE,
      message: typeof err.message === 'string' ? err.message : String(e),
      ...(typeof err.limit === 'string' ? { limit: err.limit } : {}),
    });
  }
}

/** Runs the bridge on this process's stdin/stdout until stdin closes (the Python side exited). */
export function runBridge(): void {
  let buffered = '';
  let chain = Promise.resolve();
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      chain = chain.then(() => answer(line));
    }
  });
  process.stdin.on('end', () => {
    void chain.then(() => {
      closeStore();
      process.exit(0);
    });
  });
}

runBridge();
