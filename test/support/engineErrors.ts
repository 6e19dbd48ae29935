// An assertion for the engine's errors: thrown as EngineError, with the message PyTorch gives.
import assert from 'node:assert/strict';
import { EngineError } from '../../engine/errors';

export function throwsMessage(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EngineError, String(error));
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}
