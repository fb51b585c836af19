// Lifetimes (DESIGN Guarantee 7), nd.parallelMap: a loop of results never
// released runs in the default store. Its own file: a 1,000-iteration loop
// takes minutes on a loaded 2-core machine (test/44: pool.run; test/46: the rest).
import { loop } from './helpers/lifetime.js';

loop('map');
