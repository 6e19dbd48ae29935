// str() and repr() of Python values, as CPython and PyTorch write them.
import { pythonFloatRepr } from '../../report/decimalFormat';
import { tensorRepr } from '../../report/tensorRepr';
import { Tensor } from '../../tensor/tensor';
import { parameters } from './torch/parameters';
import { PyBuiltin, PyList, PyModule, PyNamedTuple, PyObject, PyTuple, type PyValue } from './values';

export function pyStr(value: PyValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof PyObject && value.str) return value.str();
  return pyRepr(value);
}

export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  switch (typeof value) {
    case 'boolean':
      return value ? 'True' : 'False';
    case 'bigint':
      return value.toString();
    case 'number':
      return pythonFloatRepr(value);
    case 'string':
      return stringRepr(value);
  }
  if (value instanceof Tensor) return parameters.has(value) ? `Parameter containing:\n${tensorRepr(value)}` : tensorRepr(value);
  if (value.repr) return value.repr();
  if (value instanceof PyList) return `[${value.items.map(pyRepr).join(', ')}]`;
  if (value instanceof PyNamedTuple) {
    // A structseq: each field on its own line, as torch.return_types print.
    return `${value.typeName}(\n${value.fields.map((field, i) => `${field}=${pyRepr(value.items[i])}`).join(',\n')})`;
  }
  if (value instanceof PyTuple) {
    const items = value.items.map(pyRepr);
    if (value.typeName === 'torch.Size') return `torch.Size([${items.join(', ')}])`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  if (value instanceof PyModule) return `<module '${value.name}'>`;
  if (value instanceof PyBuiltin) return `<built-in function ${value.name}>`;
  return `<${value.typeName} object>`;
}

/** Single quotes unless the text holds a single quote and no double quote, as CPython chooses. */
function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/[\\\n\r\t]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string);
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
}
