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

/** Strings at least this long (a report's JSON text) travel after the header in the binary wire. */
const RAW_STRING_MIN = 64 * 1024;

interface Extracted {
  /** Text wire: paths of the binary values, sent in place as base64. */
  bytes: Path[];
  /** Binary wire: binary values and long strings lifted out of the JSON, in order, with where they go. */
  lifted: { binary: { path: Path; bytes: Uint8Array }[]; strings: { path: Path; text: string }[] } | null;
}

/** Finds Uint8Array values (and, for the binary wire, long strings) and swaps them out, copying only the objects on the way. */
function extract(value: unknown, path: Path, found: Extracted, depth: number): unknown {
  if (value instanceof Uint8Array) {
    if (found.lifted) {
      found.lifted.binary.push({ path, bytes: value });
      return '';
    }
    found.bytes.push(path);
    return bytesToBase64Fast(value);
  }
  if (found.lifted && typeof value === 'string' && value.length >= RAW_STRING_MIN) {
    found.lifted.strings.push({ path, text: value });
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

/**
 * Text wire, for request bodies and the event stream (one line per message): {"b": [paths of binary values], "v":
 * value}. Plain JSON.stringify / JSON.parse do the work (no replacer or reviver callbacks); only the listed paths are
 * converted. Invoke answers, which can be tens of MB, use the binary wire below.
 */
export function encodeWire(value: unknown): string {
  const found: Extracted = { bytes: [], lifted: null };
  const v = extract(value, [], found, 0);
  return JSON.stringify({ b: found.bytes, v });
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
  const wire = JSON.parse(text) as { b?: unknown; v?: unknown };
  if (typeof wire !== 'object' || wire === null || !('v' in wire)) throw new Error('not a bridge message');
  if (wire.b !== undefined && !Array.isArray(wire.b)) throw new Error('bridge message has a malformed path list');
  let root = wire.v;
  for (const path of (wire.b as unknown[] | undefined) ?? []) {
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
  const lifted: NonNullable<Extracted['lifted']> = { binary: [], strings: [] };
  const v = extract(value, [], { bytes: [], lifted }, 0);
  const binary = lifted.binary;
  const strings = lifted.strings.map((r) => ({ path: r.path, bytes: utf8.encode(r.text) }));
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
