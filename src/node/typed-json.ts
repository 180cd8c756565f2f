// JSON that keeps typed arrays exactly: each becomes {"$typed": "Float64Array", "base64": …} of
// its bytes, so a chunk's statistics cross Redis bit for bit (a number written as decimal text
// and read back is the same double, but this is smaller and cannot lose a NaN's payload or -0).

const constructors = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type TypedName = keyof typeof constructors;

interface Encoded {
  $typed: TypedName;
  base64: string;
}

export function toTypedJson(value: unknown): string {
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name as TypedName;
      if (!(name in constructors)) throw new Error(`internal: cannot encode a ${name}`);
      return { $typed: name, base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64") };
    }
    return v;
  });
}

export function fromTypedJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    const e = v as Encoded | null;
    if (typeof e === "object" && e !== null && typeof e.$typed === "string" && typeof e.base64 === "string") {
      const Ctor = constructors[e.$typed];
      if (!Ctor) throw new Error(`unknown typed array '${e.$typed}'`);
      const bytes = Buffer.from(e.base64, "base64");
      // A fresh, aligned buffer of its own.
      const copy = new Uint8Array(bytes.byteLength);
      copy.set(bytes);
      return new Ctor(copy.buffer, 0, bytes.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    return v;
  }) as T;
}
