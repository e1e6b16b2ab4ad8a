import { decodeWire, decodeWireBytes, encodeWire, encodeWireParts } from './codec';
import type { Envelope } from './contract';

/**
 * The web bridge's socket (`npm run web`, the browser tests and the benches): one WebSocket per page carries its
 * window-API calls, as Electron's IPC does in the app. A call is a text message, the codec's JSON wire of
 * {id, channel, request}; its answer is a binary message, an 8-byte head (the call's id, little-endian, then
 * four zero bytes) and the envelope in the binary wire, so a report view's columns stay 8-byte aligned where
 * they land. Answers come in any order; the id pairs each with its call.
 */
export const BRIDGE_SOCKET_PATH = '/__bridge/socket';

const HEAD_BYTES = 8;
const CHANNEL = /^[a-zA-Z]+:[a-zA-Z]+$/;

export interface BridgeCall {
  id: number;
  channel: string;
  request: unknown;
}

export function encodeBridgeCall(call: BridgeCall): string {
  return encodeWire(call);
}

/** Reads a call; throws on anything that is not one (the id is kept when it can be read, to answer it). */
export function decodeBridgeCall(text: string): BridgeCall {
  const call = decodeWire(text) as Partial<BridgeCall> | null;
  if (typeof call !== 'object' || call === null) throw new BridgeCallError('a call must be an object', null);
  const id = readId(call.id);
  if (id === null) throw new BridgeCallError('a call needs a whole-number id', null);
  if (typeof call.channel !== 'string' || !CHANNEL.test(call.channel))
    throw new BridgeCallError('a call names its channel as "area:action"', id);
  return { id, channel: call.channel, request: call.request ?? {} };
}

export class BridgeCallError extends Error {
  constructor(
    message: string,
    /** The call's id when it could be read, so the answer can say what was wrong. */
    readonly id: number | null,
  ) {
    super(message);
  }
}

function readId(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? value : null;
}

/** An answer as the parts to send one after another (no copy of a report view into one buffer). */
export function encodeBridgeAnswer(id: number, envelope: Envelope<unknown>): Uint8Array[] {
  const head = new Uint8Array(HEAD_BYTES);
  new DataView(head.buffer).setUint32(0, id, true);
  return [head, ...encodeWireParts(envelope)];
}

/** Reads an answer; binary values in it are views into `buffer`. */
export function decodeBridgeAnswer(buffer: ArrayBuffer): { id: number; envelope: Envelope<unknown> } {
  if (buffer.byteLength < HEAD_BYTES) throw new Error('bridge answer cut short');
  const id = new DataView(buffer).getUint32(0, true);
  return { id, envelope: decodeWireBytes(buffer, HEAD_BYTES) as Envelope<unknown> };
}
