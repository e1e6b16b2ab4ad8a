import { utf8 } from '../utf8';

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
  toBase64: (bytes: Uint8Array) => string;
  /** Binary values kept as they are (the binary wire), instead of base64 inside the JSON. */
  binary?: { path: Path; bytes: Uint8Array }[];
  /** Long strings lifted out of the JSON, in order, with where they go. */
  raw: { path: Path; text: string }[] | null;
}

/** Finds Uint8Array values (and long strings, when asked) and swaps them out, copying only the objects on the way. */
function extract(value: unknown, path: Path, found: Extracted, depth: number): unknown {
  if (value instanceof Uint8Array) {
    if (found.binary) {
      found.binary.push({ path, bytes: value });
      return '';
    }
    found.bytes.push(path);
    const base64 = found.toBase64(value);
    // A large one (a report view) also goes after the JSON: no copy through JSON.stringify and JSON.parse.
    if (found.raw && base64.length >= RAW_STRING_MIN) {
      found.raw.push({ path, text: base64 });
      return '';
    }
    return base64;
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
  /**
   * The sending side's own base64 encoder, when it has a native one the codec cannot name (Node's Buffer): the
   * portable loop takes about 60 ms per MB, a report view is several MB.
   */
  toBase64?: (bytes: Uint8Array) => string;
}

/**
 * Wire format: {"b": [paths of binary values], "v": value}. Plain JSON.stringify / JSON.parse do
 * the heavy lifting (no replacer or reviver callbacks, which are several times slower on the
 * 20 MB of a large report); only the listed paths are converted. With rawStrings, the header also
 * lists "s": [[path, length]…], and after a newline the strings follow one after another.
 */
export function encodeWire(value: unknown, options: EncodeWireOptions = {}): string {
  const found: Extracted = {
    bytes: [],
    raw: options.rawStrings ? [] : null,
    toBase64: options.toBase64 ?? bytesToBase64Fast,
  };
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
  // Raw strings first: a large binary value travels as one, and is turned into bytes below.
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
  for (const path of wire.b ?? []) {
    root = setAt(root, checkPath(path), (current) =>
      typeof current === 'string' ? base64ToBytesFast(current) : current,
    );
  }
  return root;
}

/** The binary wire's content type (the bridge answers every invoke in it). */
export const WIRE_CONTENT_TYPE = 'application/x-assetdesk-wire';

/** Binary values start on 8-byte boundaries, so the receiver can lay any typed array over them in place. */
const ALIGN = 8;
const padTo = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;

/**
 * Binary wire, for invoke responses over the web bridge (what Electron's IPC gives for free): a JSON header line
 * {"s": [[path, bytes]…], "x": [[path, bytes]…], "v": value}, then the long strings as UTF-8 and the binary values
 * as they are, each padded to 8 bytes. No base64 and no escaping: a report view arrives as the bytes the main
 * process read, and the page reads it where it landed. Returns the parts to write one after another.
 */
export function encodeWireParts(value: unknown): Uint8Array[] {
  const binary: { path: Path; bytes: Uint8Array }[] = [];
  const found: Extracted = { bytes: [], raw: [], toBase64: bytesToBase64Fast, binary };
  const v = extract(value, [], found, 0);
  const strings = found.raw!.map((r) => ({ path: r.path, bytes: utf8.encode(r.text) }));
  const header = utf8.encode(
    JSON.stringify({
      s: strings.map((r) => [r.path, r.bytes.length]),
      x: binary.map((r) => [r.path, r.bytes.length]),
      v,
    }) + '\n',
  );
  const parts: Uint8Array[] = [header, ...strings.map((r) => r.bytes)];
  let length = header.length + strings.reduce((n, r) => n + r.bytes.length, 0);
  for (const { bytes } of binary) {
    parts.push(new Uint8Array(padTo(length)));
    length += padTo(length);
    parts.push(bytes);
    length += bytes.length;
  }
  return parts.filter((p) => p.length > 0);
}

/** Reads what encodeWireParts wrote; binary values are views into `buffer`, not copies. */
export function decodeWireBytes(buffer: ArrayBuffer): unknown {
  const all = new Uint8Array(buffer);
  const headerEnd = all.indexOf(0x0a);
  if (headerEnd === -1) throw new Error('bridge message cut short');
  const wire = JSON.parse(utf8.decode(all.subarray(0, headerEnd))) as { s?: unknown; x?: unknown; v?: unknown };
  if (typeof wire !== 'object' || wire === null || !('v' in wire)) throw new Error('not a bridge message');
  let root = wire.v;
  let offset = headerEnd + 1;
  const entries = (list: unknown, what: string): [Path, number][] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) throw new Error(`bridge message has a malformed ${what} list`);
    return list.map((entry: unknown) => {
      if (!Array.isArray(entry)) throw new Error(`bridge message has a malformed ${what} list`);
      const length: unknown = entry[1];
      if (typeof length !== 'number' || !Number.isInteger(length) || length < 0)
        throw new Error(`bridge message has a malformed ${what} length`);
      return [checkPath(entry[0]), length];
    });
  };
  for (const [path, length] of entries(wire.s, 'string')) {
    if (offset + length > all.length) throw new Error('bridge message cut short');
    const text = utf8.decode(all.subarray(offset, offset + length));
    offset += length;
    root = setAt(root, path, () => text);
  }
  for (const [path, length] of entries(wire.x, 'binary')) {
    offset += padTo(offset);
    if (offset + length > all.length) throw new Error('bridge message cut short');
    const bytes = new Uint8Array(buffer, offset, length);
    offset += length;
    root = setAt(root, path, () => bytes);
  }
  return root;
}
