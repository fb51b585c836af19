/**
 * The other process of `bench/cases/store-handoff.ts`. Two modes:
 *
 *     node --import tsx handoff-child.ts ndshare <json {handle, control, parentPid}>   # store fd inherited as fd 3
 *     node --import tsx handoff-child.ts ipc <parentPid>                               # forked, with an IPC channel
 *
 * `ndshare`: attaches the store, gets the control block (bench/peers/protocol.ts)
 * and serves requests in a synchronous loop, blocked in `futexWait` between
 * them: for each request it does `store.get(id)`, reads the first and last
 * element, `store.release(view)`, and writes their sum back.
 *
 * `ipc`: answers each message (`{i, b64}` with `serialization: 'json'`, `{i, x}`
 * with `'advanced'`) with `{i, sum}` after decoding the array and reading its
 * first and last element.
 *
 * Never an orphan: in `ndshare` mode the loop wakes every CHILD_POLL_MS and
 * exits when its parent is gone (`process.ppid` changed); in `ipc` mode it
 * exits when the IPC channel closes, which the kernel does when the parent
 * dies, however it dies.
 *
 * @module
 */
import { native } from '../../src/binding.js';
import * as nd from '../../src/index.js';
import { CHILD_POLL_MS, CONTROL_WORDS, Cmd, REPLY_BYTE, W_CMD, W_GEN, W_READY, W_REP_SEQ, W_REQ_SEQ, W_SLOT, W_STATUS } from './protocol.js';

const [mode, arg] = process.argv.slice(2);

function parentGone(parentPid: number): boolean {
  return process.ppid !== parentPid;
}

function serveStore(args: { handle: nd.StoreHandle; control: string; parentPid: number }): void {
  const store = nd.Store.attach(args.handle, { fd: 3 });
  const block = store.get(args.control);
  const data = block.data as Int32Array;
  const sab = data.buffer as SharedArrayBuffer;
  const base = data.byteOffset;
  const ctl = new Int32Array(sab, base, CONTROL_WORDS);
  const reply = new Float64Array(sab, base + REPLY_BYTE, 1);
  const reqOffset = base + W_REQ_SEQ * 4;
  const repOffset = base + W_REP_SEQ * 4;

  Atomics.store(ctl, W_READY, 1);
  native.sync.futexWake(sab, base + W_READY * 4, Infinity);

  let seen = Atomics.load(ctl, W_REQ_SEQ);
  for (;;) {
    const seq = Atomics.load(ctl, W_REQ_SEQ);
    if (seq === seen) {
      const r = native.sync.futexWait(sab, reqOffset, seen, CHILD_POLL_MS);
      if (r === 'timed-out' && parentGone(args.parentPid)) {
        process.stderr.write('handoff-child: parent gone, exiting\n');
        process.exit(3);
      }
      continue;
    }
    seen = seq;
    const cmd = ctl[W_CMD];
    if (cmd === Cmd.Exit) break;
    let sum = 0;
    try {
      if (cmd === Cmd.Read) {
        const v = store.get(`#${ctl[W_SLOT]}.${ctl[W_GEN]! >>> 0}`);
        // Both ends, through the public accessor: the view is real and maps the bytes.
        sum = (v.get(0) as number) + (v.get(v.size - 1) as number);
        store.release(v);
      }
    } catch (e) {
      // Tell the parent at once (it is blocked waiting for this reply), then fail.
      Atomics.store(ctl, W_STATUS, 1);
      Atomics.store(ctl, W_REP_SEQ, seq);
      native.sync.futexWake(sab, repOffset, 1);
      throw e;
    }
    reply[0] = sum;
    Atomics.store(ctl, W_REP_SEQ, seq);
    native.sync.futexWake(sab, repOffset, 1);
  }
  // Answer the exit request too, so the parent knows the loop ended cleanly.
  Atomics.store(ctl, W_REP_SEQ, seen);
  native.sync.futexWake(sab, repOffset, 1);
  store.release(block);
  store.close();
}

interface IpcRequest {
  i: number;
  /** serialization 'json': the array's bytes, base64. */
  b64?: string;
  /** serialization 'advanced': the array itself (structured clone). */
  x?: Float64Array;
}

function serveIpc(parentPid: number): void {
  process.on('message', (m: IpcRequest) => {
    let x: Float64Array;
    if (m.b64 !== undefined) {
      const buf = Buffer.from(m.b64, 'base64');
      // A Float64Array over the decoded bytes (a copy only if the pool handed out an unaligned slice).
      x =
        buf.byteOffset % 8 === 0
          ? new Float64Array(buf.buffer, buf.byteOffset, buf.length / 8)
          : new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    } else x = m.x!;
    process.send!({ i: m.i, sum: x[0]! + x[x.length - 1]! });
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ ready: true });
  // Belt and braces: the channel closes when the parent dies, but check anyway.
  setInterval(() => {
    if (parentGone(parentPid)) process.exit(3);
  }, CHILD_POLL_MS).unref();
}

try {
  if (mode === 'ndshare') serveStore(JSON.parse(arg!));
  else if (mode === 'ipc') serveIpc(Number(arg));
  else throw new Error(`handoff-child: unknown mode ${JSON.stringify(mode)}`);
} catch (e) {
  process.stderr.write(`handoff-child (${mode}): ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
}
