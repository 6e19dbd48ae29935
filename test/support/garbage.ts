// Collecting garbage from a test, as the tests of what the engine lets go need it (unit tests run
// with --expose-gc).
import assert from 'node:assert/strict';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Ends the current job first (a WeakRef keeps its target to the end of the job that made it),
 * collects, then turns the event loop once more (finalizers run in a task of their own).
 */
export async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  assert.ok(gc, 'unit tests run with --expose-gc');
  await nextTurn();
  gc();
  await nextTurn();
}
