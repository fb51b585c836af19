/** Types of `pool-fn.mjs` (plain JS, shared with worker threads and child processes). */
export declare const f: (v: number) => number;
export declare function mapInto<T extends Float64Array>(x: Float64Array, out: T): T;
