// A minimal WebAssembly binary writer: just what the generated kernels need (one imported memory,
// functions of i32 parameters, numeric and SIMD instructions). The bytes are compiled with
// WebAssembly.Module; nothing here evaluates JavaScript.

export const enum ValueType {
  I32 = 0x7f,
  F32 = 0x7d,
  V128 = 0x7b,
}

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

/** Signed LEB128 (for i32.const). */
export function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      bytes.push(byte);
      return bytes;
    }
    bytes.push(byte | 0x80);
  }
}

/** Names here are ASCII, so their UTF-8 bytes are their character codes. */
const name = (text: string) => [...uleb(text.length), ...[...text].map((c) => c.charCodeAt(0))];
const vector = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...uleb(content.length), ...content];

export type WasmFunction = {
  readonly exportName: string;
  readonly params: readonly ValueType[];
  /** Extra locals after the parameters, in order. */
  readonly locals: readonly ValueType[];
  readonly body: readonly number[];
};

/** A module importing `env.memory` and exporting the given functions (no results). */
export function wasmModuleBytes(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((p) => [p])), 0x00]);
  const imports = [[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]];
  const declarations = functions.map((_, i) => uleb(i));
  const exports = functions.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]);
  const bodies = functions.map((f) => {
    // Locals are declared in runs of the same type.
    const runs: number[][] = [];
    for (const type of f.locals) {
      const last = runs.at(-1);
      if (last && last[1] === type) last[0]++;
      else runs.push([1, type]);
    }
    const code = [...vector(runs.map(([count, type]) => [...uleb(count), type])), ...f.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(declarations)),
    ...section(7, vector(exports)),
    ...section(10, vector(bodies)),
  ]);
}

/** Instruction encoders, named after the WebAssembly text format. */
export const op = {
  block: () => [0x02, 0x40],
  loop: () => [0x03, 0x40],
  end: () => [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  localGet: (index: number) => [0x20, ...uleb(index)],
  localSet: (index: number) => [0x21, ...uleb(index)],
  localTee: (index: number) => [0x22, ...uleb(index)],
  i32Const: (value: number) => [0x41, ...sleb(value)],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32Mul: () => [0x6c],
  i32LtU: () => [0x49],
  i32GeU: () => [0x4f],
  f32Const0: () => [0x43, 0, 0, 0, 0],
  /** f32.load with a byte offset. */
  f32Load: (offset = 0) => [0x2a, 0x02, ...uleb(offset)],
  v128Load: (offset = 0) => [0xfd, ...uleb(0x00), 0x04, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, ...uleb(0x0b), 0x04, ...uleb(offset)],
  f32x4Splat: () => [0xfd, ...uleb(0x13)],
  f32x4Add: () => [0xfd, ...uleb(0xe4)],
  f32x4Mul: () => [0xfd, ...uleb(0xe6)],
};
