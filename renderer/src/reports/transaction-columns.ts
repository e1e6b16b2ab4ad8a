import { NO_STRING, type StringTableData } from '../../../shared/report-view';

/**
 * The page's reader of the view block's string table (see shared/report-view): text fields of the transaction
 * columns are numbers into one table of distinct UTF-8 strings, decoded only when shown or searched.
 */
/** Each string decoded the first time it is asked for, then kept. */
export class StringTable {
  private readonly decoded: (string | undefined)[];
  private readonly decoder = new TextDecoder();

  constructor(private readonly data: StringTableData) {
    this.decoded = new Array<string | undefined>(Math.max(0, data.offsets.length - 1));
  }

  get size(): number {
    return this.decoded.length;
  }

  get(n: number): string | null {
    if (n === NO_STRING) return null;
    let text = this.decoded[n];
    if (text === undefined) {
      text = this.decoder.decode(this.data.bytes.subarray(this.data.offsets[n], this.data.offsets[n + 1]));
      this.decoded[n] = text;
    }
    return text;
  }
}
