import { NO_STRING, type StringTableData } from '../../../shared/report-view';

/**
 * A report's transactions as columns of typed arrays (built in the main process when the report is stored,
 * see shared/report-view), read in place by the page: it never holds 50,000 transaction objects. Text
 * fields are numbers into one table of distinct strings stored as UTF-8, so a repeated description is stored once.
 */
export {
  accountLabel,
  dayOf,
  descriptionOf,
  isoDateOf,
  NO_STRING,
  type StringTableData,
  type TransactionAccount,
  type TransactionColumnsData,
} from '../../../shared/report-view';

/** Reads the string table on the page: each string decoded the first time it is asked for, then kept. */
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
