import {
  base64ToBytes,
  bytesToBase64,
  decodeWire,
  decodeWireBytes,
  encodeWire,
  encodeWireParts,
} from '../../shared/ipc/codec';

describe('web bridge wire codec', () => {
  it('round-trips bytes of every length and value', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('carries binary values inside envelopes and leaves other data untouched', () => {
    const pdf = new Uint8Array([37, 80, 68, 70, 0, 255]);
    const content = { report: { items: [{ name: 'x', amounts: [1, -2.5] }] } };
    const decoded = decodeWire(encodeWire({ ok: true, value: { pdf, content } })) as {
      value: { pdf: Uint8Array; content: unknown };
    };
    expect(decoded.value.pdf).toEqual(pdf);
    expect(decoded.value.content).toEqual(content);
    expect(decodeWire(encodeWire(pdf))).toEqual(pdf);
    expect(decodeWire(encodeWire({ text: 'plain' }))).toEqual({ text: 'plain' });
  });

  it('text wire (requests, event stream): long strings and bytes stay inside one line of JSON', () => {
    const long = `{"report":"${'x\\"\n€'.repeat(30_000)}"}`;
    const message = { a: long, b: { c: `${long}!`, pdf: new Uint8Array(200_000).map((_, i) => (i * 7) & 255) } };
    const wire = encodeWire(message);
    expect(wire).not.toContain('\n');
    expect(decodeWire(wire)).toEqual(message);
    expect(() => decodeWire(wire.slice(0, -1))).toThrow();
  });

  it('binary wire: long strings as UTF-8 and binary values as themselves, 8-byte aligned, read in place', () => {
    const long = `{"report":"${'x\\"\n€'.repeat(30_000)}"}`;
    const view = new Uint8Array(100_003).map((_, i) => (i * 13) & 255);
    const message = {
      ok: true,
      value: { summary: { id: 'r1', note: 'é' }, contentJson: long, view, pdf: new Uint8Array([1]) },
    };
    const parts = encodeWireParts(message);
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    expect(joined.length).toBeLessThan(new TextEncoder().encode(long).length + view.length + 300); // no base64, no escaping
    const decoded = decodeWireBytes(joined.buffer) as typeof message;
    expect(decoded).toEqual(message);
    // Views into the received buffer, each starting where a Float64Array may lie over it.
    expect(decoded.value.view.buffer).toBe(joined.buffer);
    expect(decoded.value.view.byteOffset % 8).toBe(0);
    expect(decoded.value.pdf.byteOffset % 8).toBe(0);
    // Cut short anywhere: refused, never read as something else.
    for (const cut of [10, joined.length - 1, joined.length - view.length])
      expect(() => decodeWireBytes(joined.slice(0, cut).buffer)).toThrow();
    expect(() => decodeWireBytes(new TextEncoder().encode('{"x":1}\n').buffer as ArrayBuffer)).toThrow(
      'not a bridge message',
    );
    const prototype = new TextEncoder().encode('{"s":[],"x":[[["__proto__"],0]],"v":{}}\n');
    expect(() => decodeWireBytes(prototype.buffer as ArrayBuffer)).toThrow(/prototype/);
  });

  it('rejects text that is not a bridge message', () => {
    expect(() => decodeWire('{"ok":true}')).toThrow();
    expect(() => decodeWire('not json')).toThrow();
  });

  it('refuses prototype path segments and leaves Object.prototype untouched', () => {
    for (const segment of ['__proto__', 'constructor', 'prototype']) {
      for (const path of [[segment], ['value', segment], [segment, 'polluted'], ['constructor', 'prototype', 'x']]) {
        const wire = `{"b":[${JSON.stringify(path)}],"v":{"value":{}}}`;
        expect(() => decodeWire(wire), wire).toThrow(/prototype/);
        // The binary wire's lifted strings and bytes are placed by path too.
        for (const list of ['s', 'x']) {
          const raw = `{"s":[],"x":[],"${list}":[[${JSON.stringify(path)},1]],"v":{"value":{}}}\n\0\0\0\0\0\0\0\0x`;
          const bytes = new TextEncoder().encode(raw);
          expect(() => decodeWireBytes(bytes.buffer), raw).toThrow(/prototype/);
        }
      }
    }
    // The payload from the attack: before the fix it planted a key on every object.
    expect(() => decodeWire('{"b":[["__proto__","polluted"]],"v":{"__proto__":{"polluted":"QUFB"}}}')).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('follows own properties only: an inherited name on the way is not written', () => {
    const decoded = decodeWire('{"b":[["toString","x"],["hasOwnProperty"]],"v":{"a":1}}');
    expect(decoded).toEqual({ a: 1 });
    expect(typeof Object.prototype.toString).toBe('function');
    expect(Object.hasOwn(decoded as object, 'hasOwnProperty')).toBe(false);
  });

  it('fuzz: random wire messages either decode or throw an Error, never touch prototypes', () => {
    // A small seeded generator, so a failure reproduces.
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const keys = ['__proto__', 'constructor', 'prototype', 'value', 'pdf', 'a', '0', 'toString', 'length'] as const;
    const segment = (): unknown => pick<unknown>([...keys, 0, 1, -1, 1.5, null, {}, [], true]);
    const value = (depth: number): unknown => {
      if (depth > 3 || next() < 0.3) return pick<unknown>(['QUFB', '', 1, null, true, 'x'.repeat(5)]);
      if (next() < 0.3) return Array.from({ length: Math.floor(next() * 3) }, () => value(depth + 1));
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 3); i > 0; i--) out[pick(keys)] = value(depth + 1);
      return out;
    };
    const path = (): unknown =>
      next() < 0.1 ? pick<unknown>(['x', 3, null, {}]) : Array.from({ length: Math.floor(next() * 4) }, segment);
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const arrayKeys = Object.getOwnPropertyNames(Array.prototype).sort();
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      const header: Record<string, unknown> = { v: value(0) };
      if (next() < 0.8) header.b = next() < 0.05 ? 'x' : Array.from({ length: Math.floor(next() * 3) }, path);
      let tail = '';
      if (next() < 0.3) {
        header.s = Array.from({ length: Math.floor(next() * 3) }, () => [path(), Math.floor(next() * 4) - 1]);
        tail = '\nabcdefgh';
      }
      // JSON.stringify drops a "__proto__" key set by assignment; write it as an own key the way an attacker would.
      const text = JSON.stringify(header).replace(/"a":/g, () => (next() < 0.2 ? '"__proto__":' : '"a":')) + tail;
      try {
        decodeWire(text);
        decoded += 1;
      } catch (error) {
        expect(error, text).toBeInstanceOf(Error);
      }
      expect(Object.getOwnPropertyNames(Object.prototype).sort(), text).toEqual(prototypeKeys);
      expect(Object.getOwnPropertyNames(Array.prototype).sort(), text).toEqual(arrayKeys);
      expect(({} as Record<string, unknown>).pdf).toBeUndefined();
      expect(({} as Record<string, unknown>).value).toBeUndefined();
      expect(typeof Object.prototype.toString).toBe('function');
      expect(Object.prototype.constructor).toBe(Object);
    }
    expect(decoded).toBeGreaterThan(300); // the generator also makes valid messages
    // Normal traffic still works after the storm.
    expect(decodeWire(encodeWire({ ok: true, value: { pdf: new Uint8Array([1]) } }))).toEqual({
      ok: true,
      value: { pdf: new Uint8Array([1]) },
    });
  });
});
