// Python's string formatting: format specs (f"{x:.4f}", format(x, '>8')), str.format and the %
// operator, with Python's rounding (ties to even on the exact binary value) and messages.
import { EngineError } from '../../errors';
import { formatExponent, formatFixed, pythonFloatRepr } from '../../report/decimalFormat';
import { Tensor } from '../../tensor/tensor';
import { pythonScalar } from './convert';
import { pyRepr, pyStr } from './display';
import { MissingKeyError, PyDict } from './collections';
import { PyList, PyTuple, type PyValue, typeError, typeName } from './values';

type Spec = {
  fill: string;
  align: string | undefined;
  sign: string;
  alternate: boolean;
  zeroPad: boolean;
  width: number;
  grouping: string;
  precision: number | undefined;
  type: string;
};

const specPattern = /^(?:([\s\S])?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([_,])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function parseSpec(text: string, value: PyValue): Spec {
  const match = specPattern.exec(text);
  if (!match) throw new EngineError('ValueError', `Invalid format specifier '${text}' for object of type '${typeName(value)}'`);
  const [, fill, align, sign, , alternate, zero, width, grouping, precision, type] = match;
  return {
    fill: fill ?? (zero && !align ? '0' : ' '),
    align: align ?? (zero ? '=' : undefined),
    sign: sign ?? '-',
    alternate: alternate !== undefined,
    zeroPad: zero !== undefined,
    width: width ? Number(width) : 0,
    grouping: grouping ?? '',
    precision: precision === undefined ? undefined : Number(precision),
    type: type ?? '',
  };
}

/** format(value, spec): what f-strings and str.format call for each replacement. */
export function formatValue(value: PyValue, specText: string): string {
  // Tensor.__format__: a 0-d tensor formats as its Python number; other tensors only as str().
  if (value instanceof Tensor) {
    if (value.ndim === 0) return formatValue(pythonScalar(value.item(), value.dtype), specText);
    if (specText === '') return pyStr(value);
    throw typeError('unsupported format string passed to Tensor.__format__');
  }
  if (specText === '') return pyStr(value);
  const spec = parseSpec(specText, value);
  if (typeof value === 'string') {
    if (spec.type !== '' && spec.type !== 's') throw unknownCode(spec.type, value);
    const text = spec.precision === undefined ? value : value.slice(0, spec.precision);
    return pad(text, '', spec, '<');
  }
  if (typeof value === 'boolean' && spec.type === '') return pad(pyStr(value), '', spec, '<');
  if (typeof value === 'bigint' || typeof value === 'boolean') {
    const integer = BigInt(value);
    if (spec.type !== '' && 'eEfFgG%'.includes(spec.type)) return formatFloat(Number(integer), spec, value);
    return formatInteger(integer, spec, value);
  }
  if (typeof value === 'number') return formatFloat(value, spec, value);
  throw typeError(`unsupported format string passed to ${typeName(value)}.__format__`);
}

const unknownCode = (code: string, value: PyValue) => new EngineError('ValueError', `Unknown format code '${code}' for object of type '${typeName(value)}'`);

function formatInteger(value: bigint, spec: Spec, original: PyValue): string {
  const magnitude = value < 0n ? -value : value;
  let digits: string;
  let prefix = '';
  switch (spec.type) {
    case '':
    case 'd':
    case 'n':
      digits = group(magnitude.toString(), spec.grouping, 3);
      break;
    case 'b':
      digits = group(magnitude.toString(2), spec.grouping, 4);
      prefix = spec.alternate ? '0b' : '';
      break;
    case 'o':
      digits = group(magnitude.toString(8), spec.grouping, 4);
      prefix = spec.alternate ? '0o' : '';
      break;
    case 'x':
    case 'X':
      digits = group(magnitude.toString(16), spec.grouping, 4);
      if (spec.type === 'X') digits = digits.toUpperCase();
      prefix = spec.alternate ? (spec.type === 'x' ? '0x' : '0X') : '';
      break;
    case 'c':
      return pad(String.fromCodePoint(Number(value)), '', spec, '<');
    default:
      throw unknownCode(spec.type, original);
  }
  return pad(prefix + digits, signText(value < 0n, spec), spec, '>');
}

function formatFloat(value: number, spec: Spec, original: PyValue): string {
  const negative = value < 0 || Object.is(value, -0);
  const magnitude = Math.abs(value);
  let body: string;
  switch (spec.type) {
    case 'f':
    case 'F':
      body = formatFixed(magnitude, spec.precision ?? 6);
      break;
    case 'e':
    case 'E':
      body = formatExponent(magnitude, spec.precision ?? 6);
      break;
    case '%':
      body = `${formatFixed(magnitude * 100, spec.precision ?? 6)}%`;
      break;
    case 'g':
    case 'G':
    case 'n':
      body = generalFormat(magnitude, spec.precision ?? 6, spec.alternate);
      break;
    case '':
      body = spec.precision === undefined ? pythonFloatRepr(magnitude) : generalFormat(magnitude, spec.precision, spec.alternate, true);
      break;
    default:
      throw unknownCode(spec.type, original);
  }
  if (spec.type === 'F' || spec.type === 'E' || spec.type === 'G') body = body.toUpperCase();
  if (spec.alternate && !body.includes('.') && Number.isFinite(magnitude) && spec.type !== '' && 'fF%'.includes(spec.type)) body = body.replace(/^(\d+)/, '$1.');
  if (spec.grouping) {
    const [whole, rest] = splitNumber(body);
    body = group(whole, spec.grouping, 3) + rest;
  }
  return pad(body, signText(negative && !Number.isNaN(value), spec), spec, '>');
}

/** 'g': fixed or scientific by the exponent, trailing zeros dropped (kept with '#'). */
function generalFormat(x: number, precision: number, alternate: boolean, noType = false): string {
  if (!Number.isFinite(x)) return pythonFloatRepr(x);
  const p = precision === 0 ? 1 : precision;
  const exponent = x === 0 ? 0 : Number(formatExponent(x, p - 1).split('e')[1]);
  let text = exponent >= -4 && exponent < p ? formatFixed(x, p - 1 - exponent) : formatExponent(x, p - 1);
  if (!alternate) {
    const [mantissa, exp] = text.split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    text = exp === undefined ? trimmed : `${trimmed}e${exp}`;
  }
  // Without a type, a fixed result keeps one digit after the point, as repr does.
  if (noType && !text.includes('.') && !text.includes('e')) text += '.0';
  return text;
}

function splitNumber(body: string): [string, string] {
  const match = /^(\d*)([\s\S]*)$/.exec(body) as RegExpExecArray;
  return [match[1], match[2]];
}

function group(digits: string, separator: string, size: number): string {
  if (!separator) return digits;
  const parts: string[] = [];
  for (let end = digits.length; end > 0; end -= size) parts.unshift(digits.slice(Math.max(0, end - size), end));
  return parts.join(separator);
}

function signText(negative: boolean, spec: Spec): string {
  if (negative) return '-';
  return spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
}

function pad(body: string, sign: string, spec: Spec, defaultAlign: string): string {
  const length = [...sign].length + [...body].length;
  const padding = Math.max(0, spec.width - length);
  const fill = spec.fill.repeat(padding);
  switch (spec.align ?? defaultAlign) {
    case '<':
      return sign + body + fill;
    case '>':
      return fill + sign + body;
    case '^': {
      const left = spec.fill.repeat(Math.floor(padding / 2));
      return left + sign + body + spec.fill.repeat(padding - Math.floor(padding / 2));
    }
    case '=':
      return sign + fill + body;
    default:
      return sign + body;
  }
}

/** `!r`, `!s`, `!a` in f-strings and str.format. */
export function convertField(value: PyValue, conversion: string): PyValue {
  switch (conversion) {
    case '':
      return value;
    case 'r':
    case 'a':
      return pyRepr(value);
    case 's':
      return pyStr(value);
    default:
      throw new EngineError('ValueError', `Unknown conversion specifier ${conversion}`);
  }
}

/** str.format: `{}`, `{0}`, `{name}`, `{0.attr}`/`{0[1]}` are not supported; `{{` and `}}` escape. */
export function strFormat(template: string, args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>): string {
  let automatic = 0;
  let usedManual = false;
  return template.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::((?:[^{}]|\{[^{}]*\})*))?\}/g, (whole, field: string | undefined, conversion: string | undefined, spec: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    let value: PyValue | undefined;
    const name = (field ?? '').trim();
    if (name === '') {
      if (usedManual) throw new EngineError('ValueError', 'cannot switch from manual field specification to automatic field numbering');
      value = args[automatic++];
      if (value === undefined) throw new EngineError('IndexError', `Replacement index ${automatic - 1} out of range for positional args tuple`);
    } else if (/^\d+$/.test(name)) {
      usedManual = true;
      value = args[Number(name)];
      if (value === undefined) throw new EngineError('IndexError', `Replacement index ${name} out of range for positional args tuple`);
    } else {
      value = kwargs.get(name);
      if (value === undefined) throw new MissingKeyError(name);
    }
    // A nested `{}` inside the spec takes the next argument, as in '{:{}}'.format(x, 8).
    const resolvedSpec = (spec ?? '').replace(/\{([^{}]*)\}/g, (_, inner: string) => pyStr(inner.trim() === '' ? (args[automatic++] ?? '') : (kwargs.get(inner.trim()) ?? args[Number(inner)] ?? '')));
    return formatValue(convertField(value, conversion ?? ''), resolvedSpec);
  });
}

/** The % operator on strings: '%.3f' % x, '%d of %d' % (a, b), '%(name)s' % {...}. */
export function percentFormat(template: string, argument: PyValue): string {
  const items = argument instanceof PyTuple ? [...argument.items] : [argument];
  const mapping = argument instanceof PyDict ? argument : undefined;
  let next = 0;
  const take = (): PyValue => {
    if (next >= items.length) throw typeError('not enough arguments for format string');
    return items[next++];
  };
  const result = template.replace(/%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g, (whole, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, type: string) => {
    if (type === '%') return '%';
    const widthValue = width === '*' ? Number(take()) : width;
    const precisionValue = precision === '*' ? Number(take()) : precision;
    if (key !== undefined && !mapping) throw typeError('format requires a mapping');
    const value = key !== undefined && mapping ? mapping.getItem(key) : take();
    const align = flags.includes('-') ? '<' : flags.includes('0') && !'sra'.includes(type) ? '=' : '>';
    const fill = flags.includes('0') && !flags.includes('-') && !'sra'.includes(type) ? '0' : ' ';
    const sign = flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
    const specText = `${fill}${align}${sign}${flags.includes('#') ? '#' : ''}${widthValue ?? ''}`;
    const precisionText = precisionValue !== undefined ? `.${precisionValue}` : '';
    switch (type) {
      case 's':
      case 'r':
      case 'a':
        return formatValue(type === 's' ? pyStr(value) : pyRepr(value), `${specText}${precisionText}`);
      case 'd':
      case 'i':
      case 'u':
        return formatValue(integerOf(value, whole), `${specText}d`);
      case 'c':
        return formatValue(typeof value === 'string' ? value : integerOf(value, whole), `${specText}${typeof value === 'string' ? 's' : 'c'}`);
      case 'o':
      case 'x':
      case 'X':
        return formatValue(integerOf(value, whole), `${specText}${type}`);
      default:
        return formatValue(floatOf(value), `${specText}${precisionText}${type}`);
    }
  });
  if (!mapping && next < items.length && !(argument instanceof PyList)) throw typeError('not all arguments converted during string formatting');
  return result;
}

function integerOf(value: PyValue, directive: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return BigInt(value);
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (value instanceof Tensor && value.numel === 1) return BigInt(Math.trunc(value.item()));
  throw typeError(`${directive} format: a real number is required, not ${typeName(value)}`);
}

function floatOf(value: PyValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return Number(value);
  if (value instanceof Tensor && value.numel === 1) return value.item();
  throw typeError(`must be real number, not ${typeName(value)}`);
}
