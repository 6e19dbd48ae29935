// console.log's text, as Node writes it (util.inspect with its defaults: depth 2, compact 3,
// breakLength 80, at most 100 array items): short values on one line, `[ 1, 2 ]` with spaces
// inside the brackets, long arrays of numbers grouped into aligned columns, deeper values as
// [Array] and [Object]. Tensors print as the arrays of numbers they stand for.
import { Tensor } from '../../tensor/tensor';
import { JsArray, JsFunction, JsNamespace, type JsValue } from './values';

const depthLimit = 2;
const breakLength = 80;
const compact = 3;
const maxArrayLength = 100;

type Context = { indentationLvl: number; currentDepth: number };

/** console.log(...args): strings as they are, everything else inspected, separated by spaces. */
export function formatLogArguments(args: readonly JsValue[]): string {
  return args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
}

export function inspect(value: JsValue): string {
  return formatValue({ indentationLvl: 0, currentDepth: 0 }, value, 0);
}

const formatNumber = (value: number) => (Object.is(value, -0) ? '-0' : String(value));

/** Single quotes, unless the text holds one and no double quote (then double), as Node chooses. */
function quote(text: string): string {
  const escaped = text.replace(/[\\\n\t\r\b\f\v]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' })[c] as string);
  if (!text.includes("'")) return `'${escaped}'`;
  if (!text.includes('"')) return `"${escaped}"`;
  if (!text.includes('`') && !text.includes('${')) return `\`${escaped}\``;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

/** A tensor's elements as nested arrays (a 0-d tensor is its number). */
function tensorAsValue(tensor: Tensor): JsValue {
  const { data, shape } = tensor;
  let position = 0;
  const build = (axis: number): JsValue => {
    if (axis === shape.length) {
      const element = data[position++];
      return tensor.dtype === 'bool' ? element !== 0 : element;
    }
    return new JsArray(Array.from({ length: shape[axis] }, () => build(axis + 1)));
  };
  return build(0);
}

function formatValue(ctx: Context, value: JsValue, recurseTimes: number): string {
  if (value instanceof Tensor) return formatValue(ctx, tensorAsValue(value), recurseTimes);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return String(value);
    case 'string':
      return quote(value);
  }
  if (value instanceof JsFunction) return value.name === 'anonymous' ? '[Function (anonymous)]' : `[Function: ${value.name}]`;
  if (value instanceof JsNamespace) return value.name === 'Math' ? 'Object [Math] {}' : `Object [${value.name}] {}`;
  const isArray = value instanceof JsArray;
  if (recurseTimes > depthLimit) return isArray ? '[Array]' : '[Object]';
  const size = isArray ? value.items.length : value.properties.size;
  if (size === 0) return isArray ? '[]' : '{}';
  recurseTimes += 1;
  ctx.currentDepth = recurseTimes;
  const output: string[] = [];
  ctx.indentationLvl += 2;
  if (isArray) {
    for (const item of value.items.slice(0, maxArrayLength)) output.push(formatValue(ctx, item, recurseTimes));
    if (value.items.length > maxArrayLength) {
      const remaining = value.items.length - maxArrayLength;
      output.push(`... ${remaining} more item${remaining > 1 ? 's' : ''}`);
    }
  } else {
    for (const [key, item] of value.properties) output.push(`${/^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key) ? key : quote(key)}: ${formatValue(ctx, item, recurseTimes)}`);
  }
  ctx.indentationLvl -= 2;
  return reduceToSingleString(ctx, output, isArray ? ['[', ']'] : ['{', '}'], isArray, recurseTimes, isArray ? value.items : []);
}

function reduceToSingleString(ctx: Context, output: string[], braces: [string, string], isArray: boolean, recurseTimes: number, items: readonly JsValue[]): string {
  const entries = output.length;
  // An array of more than six entries is grouped into columns where that reads better.
  if (isArray && entries > 6) output = groupArrayElements(ctx, output, items);
  // Values nested at most `compact` levels deep go on one line when it stays short.
  if (ctx.currentDepth - recurseTimes < compact && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + 10;
    if (isBelowBreakLength(output, start)) {
      const joined = output.join(', ');
      if (!joined.includes('\n')) return `${braces[0]} ${joined} ${braces[1]}`;
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`;
  return `${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`;
}

function isBelowBreakLength(output: readonly string[], start: number): boolean {
  let totalLength = output.length + start;
  if (totalLength + output.length > breakLength) return false;
  for (const entry of output) {
    totalLength += entry.length;
    if (totalLength > breakLength) return false;
  }
  return true;
}

/** Node's column layout: about as many columns as make a square, numbers right-aligned. */
function groupArrayElements(ctx: Context, output: string[], items: readonly JsValue[]): string[] {
  let totalLength = 0;
  let maxLength = 0;
  const outputLength = items.length > maxArrayLength ? output.length - 1 : output.length;
  const separatorSpace = 2;
  const dataLength = new Array<number>(outputLength);
  for (let i = 0; i < outputLength; i++) {
    const length = output[i].length;
    dataLength[i] = length;
    totalLength += length + separatorSpace;
    if (maxLength < length) maxLength = length;
  }
  const actualMax = maxLength + separatorSpace;
  if (actualMax * 3 + ctx.indentationLvl < breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const approxCharHeights = 2.5;
    const averageBias = Math.sqrt(actualMax - totalLength / output.length);
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
    const columns = Math.min(Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax), Math.floor((breakLength - ctx.indentationLvl) / actualMax), compact * 4, 15);
    if (columns <= 1) return output;
    const maxLineLength: number[] = [];
    for (let i = 0; i < columns; i++) {
      let lineLength = 0;
      for (let j = i; j < output.length; j += columns) if (dataLength[j] > lineLength) lineLength = dataLength[j];
      maxLineLength.push(lineLength + separatorSpace);
    }
    const numbersOnly = items.slice(0, output.length).every((item) => typeof item === 'number' || (item instanceof Tensor && item.ndim === 0));
    const pad = (text: string, width: number) => (numbersOnly ? text.padStart(width) : text.padEnd(width));
    const grouped: string[] = [];
    for (let i = 0; i < outputLength; i += columns) {
      const max = Math.min(i + columns, outputLength);
      let line = '';
      let j = i;
      for (; j < max - 1; j++) line += pad(`${output[j]}, `, maxLineLength[j - i]);
      line += numbersOnly ? output[j].padStart(maxLineLength[j - i] - separatorSpace) : output[j];
      grouped.push(line);
    }
    if (items.length > maxArrayLength) grouped.push(output[outputLength]);
    return grouped;
  }
  return output;
}
