// Lifetimes (DESIGN Guarantee 7), pool.run: a loop of results the task
// returns as arrays, never released, runs in the default store. Its own file:
// a 1,000-iteration loop takes minutes on a loaded 2-core machine.
import { loop } from './helpers/lifetime.js';

loop('run');
