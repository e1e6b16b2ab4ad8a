import { base64ToBytes, bytesToBase64, decodeWire, encodeWire } from '../../shared/ipc/codec';

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

  it('sends long strings after the JSON header, unescaped, when asked', () => {
    const long = `{"report":"${'x\\"\n€'.repeat(30_000)}"}`;
    const pdf = new Uint8Array([1, 2, 3]);
    const message = { ok: true, value: { summary: { id: 'r1', note: 'short' }, contentJson: long, pdf } };
    const wire = encodeWire(message, { rawStrings: true });
    expect(wire.length).toBeLessThan(long.length + 200); // no escaping of the long text
    expect(wire.endsWith(long)).toBe(true);
    expect(decodeWire(wire)).toEqual(message);
    // Two long strings, and long strings left inside the JSON without the option (event streams).
    const two = { a: long, b: { c: `${long}!` } };
    expect(decodeWire(encodeWire(two, { rawStrings: true }))).toEqual(two);
    expect(encodeWire(two)).not.toContain('\n');
    expect(decodeWire(encodeWire(two))).toEqual(two);
    expect(() => decodeWire(wire.slice(0, -1))).toThrow();
  });

  it('rejects text that is not a bridge message', () => {
    expect(() => decodeWire('{"ok":true}')).toThrow();
    expect(() => decodeWire('not json')).toThrow();
  });
});
