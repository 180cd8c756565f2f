// Opcodes the quasi-random fill's WebAssembly uses beyond wasm.ts's own tables (WebAssembly core
// specification, sections 5.4.1–5.4.8).

/** SIMD opcodes (fixed-width SIMD, WebAssembly core specification section 5.4.8). */
export const S = {
  load: 0x00,
  store: 0x0b,
  v128Const: 0x0c,
  shuffle: 0x0d,
  swizzle: 0x0e,
  i8ShrU: 0x6d,
  splat: 0x11,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
  shl: 0xab,
  shrU: 0xad,
  add: 0xae,
  mul: 0xb5,
  anyTrue: 0x53,
  bitselect: 0x52,
  f64Gt: 0x4a,
  f64Abs: 0xec,
  f64Add: 0xf0,
  f64Sub: 0xf1,
  f64Mul: 0xf2,
  f64Div: 0xf3,
  f64FromU32Low: 0xff,
  i64FromI32Low: 0xc7,
  i64FromI32High: 0xc8,
} as const;

export const F64X2_SPLAT = 0x14;
export const I64X2_SPLAT = 0x12;
export const F64X2_LT = 0x49;
export const I64X2_SHL = 0xcb;
export const I64X2_SHR_S = 0xcc;
export const I64X2_SHR_U = 0xcd;
export const I64X2_ADD = 0xce;
export const I64X2_SUB = 0xd1;
export const I64X2_LT_S = 0xd8;
export const I64X2_GT_S = 0xd9;
export const F64X2_NEG = 0xed;
export const F64X2_SQRT = 0xef;
/** f64x2.convert_low_i32x4_s */
export const F64X2_FROM_I32_LOW = 0xfe;
export const F64X2_EXTRACT_LANE = 0x21;
export const F64X2_REPLACE_LANE = 0x22;
export const I32_EQ = 0x46;
export const I64 = 0x7e;
export const ELSE = 0x05;
export const I64_CONST = 0x42;
export const F64_EQ = 0x61;
export const F64_LE = 0x65;
export const I32_OR = 0x72;
export const I32_SHR_S = 0x75;
export const I64_OR = 0x84;
export const I64_SHL = 0x86;
export const I64_SHR_U = 0x88;
export const F64_NEG = 0x9a;
export const F64_SQRT = 0x9f;
export const F64_SUB = 0xa1;
export const F64_MUL = 0xa2;
export const F64_DIV = 0xa3;
export const I32_WRAP_I64 = 0xa7;
export const I64_EXTEND_I32_U = 0xad;
export const F64_CONVERT_I32_S = 0xb7;
export const I64_REINTERPRET_F64 = 0xbd;
export const F64_REINTERPRET_I64 = 0xbf;
export const I32_CTZ = 0x68;
