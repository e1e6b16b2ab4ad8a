/**
 * JSON with binary: the web bridge sends Uint8Array values (PDFs) as {"$bytes": base64}.
 * Electron's IPC carries Uint8Array natively, so only the web bridge uses this.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

export function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63]! + ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63]! : '=';
  }
  return out;
}

export function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n =
      ((LOOKUP.get(clean[i]!) ?? 0) << 18) |
      ((LOOKUP.get(clean[i + 1] ?? 'A') ?? 0) << 12) |
      ((LOOKUP.get(clean[i + 2] ?? 'A') ?? 0) << 6) |
      (LOOKUP.get(clean[i + 3] ?? 'A') ?? 0);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

type Path = (string | number)[];

/** Strings at least this long travel outside the JSON (see encodeWire). */
const RAW_STRING_MIN = 64 * 1024;

interface Extracted {
  bytes: Path[];
  /** Long strings lifted out of the JSON, in order, with where they go. */
  raw: { path: Path; text: string }[] | null;
}

/** Finds Uint8Array values (and long strings, when asked) and swaps them out, copying only the objects on the way. */
function extract(value: unknown, path: Path, found: Extracted, depth: number): unknown {
  if (value instanceof Uint8Array) {
    found.bytes.push(path);
    return bytesToBase64Fast(value);
  }
  if (found.raw && typeof value === 'string' && value.length >= RAW_STRING_MIN) {
    found.raw.push({ path, text: value });
    return '';
  }
  // Binary only ever sits near the top of an envelope ({ value: { pdf } }); stop before big data.
  if (depth > 4 || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, child] of Object.entries(value)) {
    const replaced = extract(child, [...path, key], found, depth + 1);
    if (replaced !== child) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = replaced;
    }
  }
  return copy ?? value;
}

// Native base64 where the runtime has it (Chromium, newer V8), the portable loop elsewhere.
const nativeTo = (Uint8Array.prototype as { toBase64?: () => string }).toBase64;
const nativeFrom = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
function bytesToBase64Fast(bytes: Uint8Array): string {
  return nativeTo ? nativeTo.call(bytes) : bytesToBase64(bytes);
}
function base64ToBytesFast(text: string): Uint8Array {
  return nativeFrom ? nativeFrom(text) : base64ToBytes(text);
}

export interface EncodeWireOptions {
  /**
   * Send strings of 64 KiB and more (a report's JSON text) after the JSON instead of inside it: no
   * escaping on the way out, no unescaping on the way in. The text then holds raw newlines, so only
   * for whole-body messages (invoke responses), not for line-framed event streams.
   */
  rawStrings?: boolean;
}

/**
 * Wire format: {"b": [paths of binary values], "v": value}. Plain JSON.stringify / JSON.parse do
 * the heavy lifting (no replacer or reviver callbacks, which are several times slower on the
 * 20 MB of a large report); only the listed paths are converted. With rawStrings, the header also
 * lists "s": [[path, length]…], and after a newline the strings follow one after another.
 */
export function encodeWire(value: unknown, options: EncodeWireOptions = {}): string {
  const found: Extracted = { bytes: [], raw: options.rawStrings ? [] : null };
  const v = extract(value, [], found, 0);
  if (!found.raw || found.raw.length === 0) return JSON.stringify({ b: found.bytes, v });
  // JSON.stringify never emits a raw newline, so the first one ends the header.
  const header = JSON.stringify({ b: found.bytes, s: found.raw.map((r) => [r.path, r.text.length]), v });
  return `${header}\n${found.raw.map((r) => r.text).join('')}`;
}

// Path segments that would reach an object's prototype instead of its own data.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function checkPath(path: unknown): Path {
  if (!Array.isArray(path)) throw new Error('bridge message has a malformed path');
  for (const key of path) {
    if (typeof key === 'number' ? !Number.isInteger(key) || key < 0 : typeof key !== 'string')
      throw new Error('bridge message has a malformed path');
    if (FORBIDDEN_SEGMENTS.has(key as string)) throw new Error('bridge message path names a prototype');
  }
  return path as Path;
}

/** Follows own properties only, so a path can never walk into (and rewrite) a shared prototype. */
function setAt(root: unknown, path: Path, convert: (current: unknown) => unknown): unknown {
  if (path.length === 0) return convert(root);
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) {
    parent =
      typeof parent === 'object' && parent !== null && Object.hasOwn(parent, key)
        ? (parent as Record<string | number, unknown>)[key]
        : null;
  }
  const last = path[path.length - 1]!;
  if (typeof parent === 'object' && parent !== null && Object.hasOwn(parent, last)) {
    const record = parent as Record<string | number, unknown>;
    record[last] = convert(record[last]);
  }
  return root;
}

export function decodeWire(text: string): unknown {
  const headerEnd = text.indexOf('\n');
  const wire = JSON.parse(headerEnd === -1 ? text : text.slice(0, headerEnd)) as {
    b?: Path[];
    s?: [Path, number][];
    v?: unknown;
  };
  if (typeof wire !== 'object' || wire === null || !('v' in wire)) throw new Error('not a bridge message');
  let root = wire.v;
  if (wire.b !== undefined && !Array.isArray(wire.b)) throw new Error('bridge message has a malformed path list');
  if (wire.s !== undefined && !Array.isArray(wire.s)) throw new Error('bridge message has a malformed string list');
  for (const path of wire.b ?? []) {
    root = setAt(root, checkPath(path), (current) =>
      typeof current === 'string' ? base64ToBytesFast(current) : current,
    );
  }
  let offset = headerEnd + 1;
  for (const entry of wire.s ?? []) {
    if (!Array.isArray(entry)) throw new Error('bridge message has a malformed string list');
    const path = checkPath(entry[0]);
    const length = entry[1];
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0)
      throw new Error('bridge message has a malformed string length');
    if (headerEnd === -1 || offset + length > text.length) throw new Error('bridge message cut short');
    const raw = text.slice(offset, offset + length);
    offset += length;
    root = setAt(root, path, () => raw);
  }
  return root;
}
