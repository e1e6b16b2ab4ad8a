/**
 * UTF-8 through the WHATWG encoding API, which both sides AssetDesk runs on have (Node and Chromium). `shared/`
 * compiles without either's library types, so it names the two constructors itself.
 */
declare const TextEncoder: new () => { encode(text: string): Uint8Array<ArrayBuffer> };
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const utf8 = {
  encode: (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text),
  decode: (bytes: Uint8Array): string => decoder.decode(bytes),
};
