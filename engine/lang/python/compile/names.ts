// Reading, writing and deleting a name, as its scope resolution decided at compile time.
import { EngineError } from '../../../errors';
import type { SourceSpan } from '../../../sourceSpan';
import type { Evaluate, Frame } from '../frame';
import { undefinedName } from '../sandbox';
import type { PyValue } from '../values';
import type { CompileContext } from './context';
import type { Resolution } from './scopes';

export type Store = (frame: Frame, value: PyValue) => void;

function outFrame(frame: Frame, depth: number): Frame {
  let current = frame;
  for (let i = 0; i < depth; i++) current = current.enclosing as Frame;
  return current;
}

export function compileLoad(context: CompileContext, name: string, span: SourceSpan): Evaluate {
  return load(context, context.scope.resolve(name), name, span);
}

function load(context: CompileContext, resolution: Resolution, name: string, span: SourceSpan): Evaluate {
  const { globals, builtins } = context.runtime;
  switch (resolution.kind) {
    case 'global': {
      const cell = globals.cell(name);
      return () => {
        const value = cell.value;
        if (value !== undefined) return value;
        const builtin = builtins.get(name);
        if (builtin !== undefined) return builtin;
        throw withSpan(undefinedName(name), span);
      };
    }
    case 'local':
      return (frame) => {
        const value = frame.locals.get(name);
        if (value !== undefined) return value;
        throw new EngineError('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`, span);
      };
    case 'free': {
      const { depth } = resolution;
      return (frame) => {
        const value = outFrame(frame, depth).locals.get(name);
        if (value !== undefined) return value;
        throw new EngineError('NameError', `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`, span);
      };
    }
    case 'classBody': {
      const outer = load(context, resolution.outer, name, span);
      return (frame) => frame.locals.get(name) ?? outer(frame);
    }
  }
}

export function compileStore(context: CompileContext, name: string): Store {
  const resolution = context.scope.resolve(name);
  const { globals } = context.runtime;
  switch (resolution.kind) {
    case 'global': {
      const cell = globals.cell(name);
      return (_frame, value) => {
        cell.value = value;
      };
    }
    case 'local':
    case 'classBody':
      return (frame, value) => void frame.locals.set(name, value);
    case 'free': {
      const { depth } = resolution;
      return (frame, value) => void outFrame(frame, depth).locals.set(name, value);
    }
  }
}

export function compileDelete(context: CompileContext, name: string, span: SourceSpan): (frame: Frame) => void {
  const resolution = context.scope.resolve(name);
  if (resolution.kind === 'global') {
    const cell = context.runtime.globals.cell(name);
    return () => {
      if (cell.value === undefined) throw withSpan(undefinedName(name), span);
      cell.value = undefined;
    };
  }
  const target = (frame: Frame): Map<string, PyValue> => {
    switch (resolution.kind) {
      case 'free':
        return outFrame(frame, resolution.depth).locals;
      default:
        return frame.locals;
    }
  };
  return (frame) => {
    if (!target(frame).delete(name)) throw withSpan(undefinedName(name), span);
  };
}

function withSpan(error: EngineError, span: SourceSpan): EngineError {
  error.sourceSpan = span;
  return error;
}
