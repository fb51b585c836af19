/**
 * The child_process peer of the pool benchmarks, forked by
 * bench/cases/pool-map.ts (`serialization: 'advanced'`) and
 * bench/cases/pool-dispatch.ts (the default JSON channel). Plain JavaScript,
 * run without a TypeScript loader.
 *
 *  - `{i, x}` (x a Float64Array): replies `{i, y}` with y[k] = f(x[k]).
 *  - `{i}`: replies `{i}` at once (IPC ping-pong).
 *
 * Never an orphan: it exits when the IPC channel closes (which the kernel
 * does when the parent dies, however it dies), and checks its parent pid
 * every second as well.
 *
 * @module
 */
import { mapInto } from './pool-fn.mjs';

const parentPid = Number(process.argv[2]);

process.on('message', (m) => {
  if (m.x !== undefined) process.send({ i: m.i, y: mapInto(m.x, new Float64Array(m.x.length)) });
  else process.send({ i: m.i });
});
process.on('disconnect', () => process.exit(0));
setInterval(() => {
  if (process.ppid !== parentPid) process.exit(3);
}, 1000).unref();
process.send({ ready: true });
