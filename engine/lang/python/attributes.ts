// `value.name` and `value.name = x` for every kind of value, in one place: tensors, the builtin
// types' methods, and objects that answer for themselves.
import { EngineError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { PyInstance } from './classes';
import { missingAttribute } from './sandbox';
import type { ScriptSession } from './session';
import { setTensorAttribute, tensorAttribute } from './torch/tensorMethods';
import { typeMethod } from './typeMethods';
import { PyObject, type PyValue, typeName } from './values';

export function getAttribute(value: PyValue, name: string, session: ScriptSession): PyValue {
  const own = value instanceof Tensor ? tensorAttribute(value, name, session) : value instanceof PyObject ? value.getAttribute(name) : undefined;
  // An attribute may be None (null): only undefined means there is none.
  const found = own !== undefined || value instanceof Tensor ? own : typeMethod(value, name);
  if (found === undefined) throw missingAttribute(typeName(value), name);
  return found;
}

export function setAttribute(value: PyValue, name: string, newValue: PyValue): void {
  if (value instanceof Tensor) return setTensorAttribute(value, name, newValue);
  if (value instanceof PyObject && value.setAttribute(name, newValue)) return;
  if (typeMethod(value, name) !== undefined) throw new EngineError('AttributeError', `'${typeName(value)}' object attribute '${name}' is read-only`);
  throw missingAttribute(typeName(value), name);
}

/** `del obj.name`: only a script's own instances have attributes that can go. */
export function deleteAttribute(value: PyValue, name: string): void {
  if (value instanceof PyInstance && value.dict.delete(name)) return;
  throw missingAttribute(typeName(value), name);
}
