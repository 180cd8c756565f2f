// A minimal WebAssembly assembler: the opcodes the engine's few hand-written functions use and
// the encoding of a one-function module that imports its memory (env.memory) and exports the
// function. Byte layouts follow the WebAssembly core specification (sections 5.2–5.5) and the
// fixed-width SIMD proposal (prefix 0xfd), now part of the standard.

export const I32 = 0x7f;
export const F64 = 0x7c;
export const VOID = 0x40;
export const V128 = 0x7b;

// Opcodes used below (WebAssembly core specification, section 5.4).
export const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  select: 0x1b,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  i32Store: 0x36,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32GeU: 0x4f,
  f64Lt: 0x63,
  f64Gt: 0x64,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Xor: 0x73,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  i32ShrU: 0x76,
  i32Mul: 0x6c,
  i32Or: 0x72,
  f64Add: 0xa0,
} as const;

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export function f64Bytes(x: number): number[] {
  return [...new Uint8Array(new Float64Array([x]).buffer)];
}

/** Appends `bytes` to `out` (a loop, not a spread: a body of thousands of bytes is spread-heavy). */
function append(out: number[], bytes: readonly number[]): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
}

function section(id: number, body: number[]): number[] {
  const out = [id, ...uleb(body.length)];
  append(out, body);
  return out;
}

function vec(items: number[][]): number[] {
  const out = uleb(items.length);
  for (const item of items) append(out, item);
  return out;
}

function name(s: string): number[] {
  return vec([...s].map((c) => [c.charCodeAt(0)]));
}

/** A SIMD instruction: the 0xfd prefix and its opcode. */
export function simd(code: number): number[] {
  return [0xfd, ...uleb(code)];
}

/** SIMD opcodes used (fixed-width SIMD, section 5.4.8). */
export const simdOp = {
  v128Load: 0x00,
  v128Store: 0x0b,
  v128Const: 0x0c,
  i32x4Splat: 0x11,
  v128Xor: 0x51,
  i32x4ShrU: 0xad,
  i32x4Add: 0xae,
  i32x4Mul: 0xb5,
} as const;

/** A module with one function `exportName` of the given signature (no results), importing env.memory. */
export function wasmModule(f: {
  params: number[];
  locals: [number, number][];
  body: number[];
  exportName: string;
}): Uint8Array<ArrayBuffer> {
  const code = vec(f.locals.map(([n, t]) => [...uleb(n), t]));
  append(code, f.body);
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  append(bytes, section(1, vec([[0x60, ...vec(f.params.map((t) => [t])), ...vec([])]])));
  append(bytes, section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(1)]])));
  append(bytes, section(3, vec([uleb(0)])));
  append(bytes, section(7, vec([[...name(f.exportName), 0x00, ...uleb(0)]])));
  const entry = uleb(code.length);
  append(entry, code);
  append(bytes, section(10, vec([entry])));
  return new Uint8Array(bytes);
}

/** Bytes per WebAssembly memory page. */
export const WASM_PAGE = 65536;

/**
 * Grows a throwaway WebAssembly memory once, detaching its first buffer. V8 compiles typed-array
 * code on the assumption that no buffer was ever detached, and throws away every optimisation in
 * progress the first time one is ("dependency change"); the engine's memories grow (and detach
 * their buffers) in a run's first blocks, which cost the kernel its first optimised code, about
 * 30 ms of its first blocks unoptimised. Done once, before any kernel is compiled.
 */
export function detachOnce(): void {
  if (detached || typeof WebAssembly !== "object") return;
  detached = true;
  try {
    const memory = new WebAssembly.Memory({ initial: 0 });
    void memory.buffer;
    memory.grow(1);
  } catch {
    // nothing to do: without WebAssembly memories there is nothing to detach later either
  }
}
let detached = false;

/**
 * Instantiates one-function modules (wasmModule's) on one new memory of `initialPages`: the
 * memory and each module's export, in order; null where WebAssembly (or a feature a module uses,
 * such as SIMD) is unavailable, so the caller runs its JavaScript fallback.
 */
export function instantiateAll<F>(
  modules: readonly { bytes: Uint8Array<ArrayBuffer>; exportName: string }[],
  initialPages: number,
): { memory: WebAssembly.Memory; fns: F[] } | null {
  try {
    if (typeof WebAssembly !== "object" || !modules.every((m) => WebAssembly.validate(m.bytes))) return null;
    const memory = new WebAssembly.Memory({ initial: initialPages });
    const fns = modules.map(
      (m) => new WebAssembly.Instance(new WebAssembly.Module(m.bytes), { env: { memory } }).exports[m.exportName] as F,
    );
    return { memory, fns };
  } catch {
    return null;
  }
}
