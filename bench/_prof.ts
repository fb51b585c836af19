import * as nd from '../src/index.js';
const pool = await nd.Pool.start({ workers: 1, capacity: '64MiB' });
const x = pool.store.put(nd.array([1.5]));
const xv = pool.store.get(x);
const TASKS = new URL('./peers/pool-tasks.mjs', import.meta.url);
const mode = process.argv[2];
const N = 20000;
for (let r = 0; r < 2; r++) {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    if (mode === 'map') {
      const y = await pool.map(xv, (v: number) => v);
      pool.store.release(y);
    } else await pool.run(TASKS, 'noop');
  }
  console.log(mode, ((performance.now() - t0) * 1000 / N).toFixed(1), 'us/op');
}
pool.store.release(xv);
await pool.close();
