// Methods of Python's builtin types as scripts call them: str, list, tuple, dict and set.
import { EngineError } from '../../errors';
import { MissingKeyError, PyDict, PySet } from './collections';
import { truthy } from './convert';
import { pyRepr } from './display';
import { strFormat } from './formatting';
import { itemsOf } from './iteration';
import { compare, equal } from './operators';
import { type Args, type Site, boundMethod } from './torch/signature';
import { PyList, PyTuple, type PyValue, typeError, typeName } from './values';

type Method = readonly [signature: string, body: (args: Args, site: Site) => PyValue];
type MethodTable = ReadonlyMap<string, Method>;

const table = (...methods: Method[]): MethodTable => new Map(methods.map((m) => [m[0].slice(0, m[0].indexOf('(')), m]));

const text = (a: Args) => a.string('self');
const list = (a: Args) => a.raw('self') as PyList;
const dict = (a: Args) => a.raw('self') as PyDict;
const set = (a: Args) => a.raw('self') as PySet;
const sequenceItems = (a: Args) => (a.raw('self') as PyList | PyTuple).items;

function optionalString(a: Args, name: string): string | undefined {
  const value = a.raw(name);
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw typeError(`${a.functionName} arg must be None or str`);
  return value;
}

function strip(value: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars ?? ' \t\n\r\f\v';
  let start = 0;
  let end = value.length;
  if (left) while (start < end && set.includes(value[start])) start++;
  if (right) while (end > start && set.includes(value[end - 1])) end--;
  return value.slice(start, end);
}

function split(value: string, separator: string | undefined, maxSplit: number): PyList {
  if (separator === '') throw new EngineError('ValueError', 'empty separator');
  const parts: string[] = [];
  if (separator === undefined) {
    const words = value.trim().split(/\s+/).filter(Boolean);
    if (maxSplit < 0 || words.length <= maxSplit + 1) return new PyList(words);
    let rest = value.trimStart();
    for (let i = 0; i < maxSplit; i++) {
      const match = /^(\S+)\s+/.exec(rest) as RegExpExecArray;
      parts.push(match[1]);
      rest = rest.slice(match[0].length);
    }
    parts.push(rest);
    return new PyList(parts);
  }
  let rest = value;
  while (maxSplit < 0 || parts.length < maxSplit) {
    const at = rest.indexOf(separator);
    if (at < 0) break;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + separator.length);
  }
  parts.push(rest);
  return new PyList(parts);
}

/** The [start, end) a string method's start and end arguments select, clamped as Python clamps them. */
function bounds(a: Args): [number, number] {
  const length = text(a).length;
  const resolve = (name: string, fallback: number) => {
    if (!a.has(name)) return fallback;
    const index = a.int(name);
    return index < 0 ? Math.max(0, length + index) : Math.min(index, length);
  };
  return [resolve('start', 0), resolve('end', length)];
}

function window(a: Args): string {
  return text(a).slice(...bounds(a));
}

/** str.find: the first index of sub within [start, end), or -1. */
function find(a: Args): number {
  const [start, end] = bounds(a);
  const sub = a.string('sub');
  const at = text(a).slice(0, end).indexOf(sub, start);
  return at >= 0 && at + sub.length <= end ? at : -1;
}

function prefixTest(a: Args, test: (value: string, affix: string) => boolean): boolean {
  const affix = a.raw('affix');
  const value = window(a);
  if (affix instanceof PyTuple) return affix.items.some((item) => typeof item === 'string' && test(value, item));
  if (typeof affix !== 'string') throw typeError(`${a.functionName} first arg must be str or a tuple of str, not ${typeName(affix ?? null)}`);
  return test(value, affix);
}

const strMethods = table(
  ['upper(self)', (a) => text(a).toUpperCase()],
  ['lower(self)', (a) => text(a).toLowerCase()],
  ['title(self)', (a) => text(a).replace(/[A-Za-z]+/g, (w) => w[0].toUpperCase() + w.slice(1).toLowerCase())],
  ['capitalize(self)', (a) => (text(a) ? text(a)[0].toUpperCase() + text(a).slice(1).toLowerCase() : '')],
  ['strip(self, chars=None)', (a) => strip(text(a), optionalString(a, 'chars'), true, true)],
  ['lstrip(self, chars=None)', (a) => strip(text(a), optionalString(a, 'chars'), true, false)],
  ['rstrip(self, chars=None)', (a) => strip(text(a), optionalString(a, 'chars'), false, true)],
  ['split(self, sep=None, maxsplit=-1)', (a) => split(text(a), optionalString(a, 'sep'), a.int('maxsplit'))],
  ['splitlines(self)', (a) => new PyList(text(a).split(/\r\n|\r|\n/).filter((line, i, all) => i < all.length - 1 || line !== ''))],
  [
    'join(self, iterable)',
    (a) =>
      itemsOf(a.raw('iterable') ?? null)
        .map((item, i) => {
          if (typeof item !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(item)} found`);
          return item;
        })
        .join(text(a)),
  ],
  ['replace(self, old, new, count=-1)', (a) => {
    const count = a.int('count');
    const parts = text(a).split(a.string('old'));
    if (count < 0 || count >= parts.length - 1) return parts.join(a.string('new'));
    return parts.slice(0, count + 1).join(a.string('new')) + a.string('old') + parts.slice(count + 1).join(a.string('old'));
  }],
  ['startswith(self, affix, start=None, end=None)', (a) => prefixTest(a, (value, affix) => value.startsWith(affix))],
  ['endswith(self, affix, start=None, end=None)', (a) => prefixTest(a, (value, affix) => value.endsWith(affix))],
  ['find(self, sub, start=None, end=None)', (a) => BigInt(find(a))],
  ['index(self, sub, start=None, end=None)', (a) => {
    const at = find(a);
    if (at < 0) throw new EngineError('ValueError', 'substring not found');
    return BigInt(at);
  }],
  ['count(self, sub, start=None, end=None)', (a) => {
    const sub = a.string('sub');
    const value = window(a);
    return BigInt(sub === '' ? value.length + 1 : value.split(sub).length - 1);
  }],
  ['format(self, *args, **kwargs)', (a) => strFormat(text(a), (a.raw('args') as PyTuple).items, new Map((a.raw('kwargs') as PyDict).items() as [string, PyValue][]))],
  ['center(self, width, fillchar=\' \')', (a) => {
    const value = text(a);
    const total = Math.max(0, a.int('width') - value.length);
    const left = Math.floor(total / 2) + (total % 2 && a.int('width') % 2 ? 1 : 0);
    return a.string('fillchar').repeat(left) + value + a.string('fillchar').repeat(total - left);
  }],
  ['ljust(self, width, fillchar=\' \')', (a) => text(a).padEnd(a.int('width'), a.string('fillchar'))],
  ['rjust(self, width, fillchar=\' \')', (a) => text(a).padStart(a.int('width'), a.string('fillchar'))],
  ['zfill(self, width)', (a) => {
    const value = text(a);
    const sign = /^[+-]/.test(value) ? value[0] : '';
    return sign + value.slice(sign.length).padStart(a.int('width') - sign.length, '0');
  }],
  ['isdigit(self)', (a) => /^\d+$/.test(text(a))],
  ['isalpha(self)', (a) => /^[\p{L}]+$/u.test(text(a))],
  ['isalnum(self)', (a) => /^[\p{L}\d]+$/u.test(text(a))],
  ['isspace(self)', (a) => /^\s+$/.test(text(a))],
  ['isupper(self)', (a) => /[A-Z]/.test(text(a)) && text(a) === text(a).toUpperCase()],
  ['islower(self)', (a) => /[a-z]/.test(text(a)) && text(a) === text(a).toLowerCase()],
);

function position(items: readonly PyValue[], index: number, forInsert = false): number {
  const resolved = index < 0 ? index + items.length : index;
  if (forInsert) return Math.min(Math.max(resolved, 0), items.length);
  return resolved;
}

function indexOf(items: readonly PyValue[], value: PyValue, what: string): bigint {
  const at = items.findIndex((item) => equal(item, value));
  if (at < 0) throw new EngineError('ValueError', `${what}`);
  return BigInt(at);
}

/** Sorts in place by Python's `<` on each item's key (stable, as list.sort and sorted() are). */
export function sortItems(items: PyValue[], key: PyValue, reverse: boolean, site: Site): void {
  const keyed = items.map((item) => ({ item, key: key === null ? item : site.call(key, [item]) }));
  keyed.sort((x, y) => {
    if (truthy(compare('<', x.key, y.key))) return reverse ? 1 : -1;
    if (truthy(compare('<', y.key, x.key))) return reverse ? -1 : 1;
    return 0;
  });
  keyed.forEach((entry, i) => (items[i] = entry.item));
}

const listMethods = table(
  ['append(self, object)', (a) => (list(a).items.push(a.raw('object') ?? null), null)],
  ['extend(self, iterable)', (a) => (list(a).items.push(...itemsOf(a.raw('iterable') ?? null)), null)],
  ['insert(self, index, object)', (a) => (list(a).items.splice(position(list(a).items, a.int('index'), true), 0, a.raw('object') ?? null), null)],
  ['pop(self, index=-1)', (a) => {
    const items = list(a).items;
    if (items.length === 0) throw new EngineError('IndexError', 'pop from empty list');
    const at = position(items, a.int('index'));
    if (at < 0 || at >= items.length) throw new EngineError('IndexError', 'pop index out of range');
    return items.splice(at, 1)[0];
  }],
  ['remove(self, value)', (a) => {
    const items = list(a).items;
    items.splice(Number(indexOf(items, a.raw('value') ?? null, 'list.remove(x): x not in list')), 1);
    return null;
  }],
  ['index(self, value)', (a) => indexOf(sequenceItems(a), a.raw('value') ?? null, `${pyRepr(a.raw('value') ?? null)} is not in list`)],
  ['count(self, value)', (a) => BigInt(sequenceItems(a).filter((item) => equal(item, a.raw('value') ?? null)).length)],
  ['sort(self, *, key=None, reverse=False)', (a, site) => (sortItems(list(a).items, a.raw('key') ?? null, a.bool('reverse'), site), null)],
  ['reverse(self)', (a) => (list(a).items.reverse(), null)],
  ['copy(self)', (a) => new PyList([...list(a).items])],
  ['clear(self)', (a) => ((list(a).items.length = 0), null)],
);

const tupleMethods = table(
  ['index(self, value)', (a) => indexOf(sequenceItems(a), a.raw('value') ?? null, 'tuple.index(x): x not in tuple')],
  ['count(self, value)', (a) => BigInt(sequenceItems(a).filter((item) => equal(item, a.raw('value') ?? null)).length)],
);

/** dict.keys() and friends print as dict_keys([...]); here they are lists that say so. */
class PyDictView extends PyList {
  override readonly typeName: string;
  constructor(typeName: string, items: PyValue[]) {
    super(items);
    this.typeName = typeName;
  }
  override repr(): string {
    return `${this.typeName}([${this.items.map(pyRepr).join(', ')}])`;
  }
}

/** dict.update and dict(): from a dict or a sequence of pairs, then keyword items. */
export function updateDict(target: PyDict, source: PyValue | undefined, extra: ReadonlyMap<string, PyValue> | PyDict | undefined): void {
  if (source instanceof PyDict) for (const [key, value] of source.items()) target.set(key, value);
  else if (source !== undefined && source !== null) {
    itemsOf(source).forEach((pair, i) => {
      const items = itemsOf(pair);
      if (items.length !== 2) throw new EngineError('ValueError', `dictionary update sequence element #${i} has length ${items.length}; 2 is required`);
      target.set(items[0], items[1]);
    });
  }
  if (extra) for (const [key, value] of extra instanceof PyDict ? extra.items() : extra) target.set(key, value);
}

const dictMethods = table(
  ['keys(self)', (a) => new PyDictView('dict_keys', dict(a).keys())],
  ['values(self)', (a) => new PyDictView('dict_values', dict(a).values())],
  ['items(self)', (a) => new PyDictView('dict_items', dict(a).items().map((pair) => new PyTuple(pair)))],
  ['get(self, key, default=None)', (a) => dict(a).get(a.raw('key') ?? null) ?? a.raw('default') ?? null],
  ['pop(self, key, *default)', (a) => {
    const key = a.raw('key') ?? null;
    const value = dict(a).get(key);
    const fallback = (a.raw('default') as PyTuple).items;
    if (value === undefined) {
      if (fallback.length > 0) return fallback[0];
      throw new MissingKeyError(key);
    }
    dict(a).delete(key);
    return value;
  }],
  ['setdefault(self, key, default=None)', (a) => {
    const key = a.raw('key') ?? null;
    if (!dict(a).has(key)) dict(a).set(key, a.raw('default') ?? null);
    return dict(a).get(key) as PyValue;
  }],
  ['update(self, *other, **kwargs)', (a) => (updateDict(dict(a), (a.raw('other') as PyTuple).items[0], a.raw('kwargs') as PyDict), null)],
  ['copy(self)', (a) => PyDict.of(dict(a).items())],
  ['clear(self)', (a) => (dict(a).entries.clear(), null)],
);

const setMethods = table(
  ['add(self, element)', (a) => (set(a).add(a.raw('element') ?? null), null)],
  ['remove(self, element)', (a) => (set(a).remove(a.raw('element') ?? null), null)],
  ['discard(self, element)', (a) => (set(a).discard(a.raw('element') ?? null), null)],
  ['union(self, *others)', (a) => new PySet([...set(a).iterate(), ...(a.raw('others') as PyTuple).items.flatMap(itemsOf)])],
  ['intersection(self, *others)', (a) => new PySet([...set(a).iterate()].filter((item) => (a.raw('others') as PyTuple).items.every((other) => new PySet(itemsOf(other)).has(item))))],
  ['difference(self, *others)', (a) => new PySet([...set(a).iterate()].filter((item) => !(a.raw('others') as PyTuple).items.some((other) => new PySet(itemsOf(other)).has(item))))],
  ['update(self, *others)', (a) => ((a.raw('others') as PyTuple).items.forEach((other) => itemsOf(other).forEach((item) => set(a).add(item))), null)],
  ['copy(self)', (a) => new PySet(set(a).iterate())],
);

const floatMethods = table(['is_integer(self)', (a) => Number.isInteger(a.float('self'))]);

function tableFor(value: PyValue): MethodTable | undefined {
  if (typeof value === 'string') return strMethods;
  if (typeof value === 'number') return floatMethods;
  if (value instanceof PyDictView) return undefined;
  if (value instanceof PyList) return listMethods;
  if (value instanceof PyTuple) return tupleMethods;
  if (value instanceof PyDict) return dictMethods;
  if (value instanceof PySet) return setMethods;
  return undefined;
}

/** `value.name` for a builtin type's method, bound to the value; undefined when there is none. */
export function typeMethod(value: PyValue, name: string): PyValue | undefined {
  const entry = tableFor(value)?.get(name);
  if (!entry) return undefined;
  const [signature, body] = entry;
  return boundMethod(signature, value, body);
}
