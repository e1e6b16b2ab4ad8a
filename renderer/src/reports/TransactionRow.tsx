import { formatDate, formatMoney } from './format';
import type { TransactionRow as Row } from './transactions';
import type { PlacedRow } from '../ui';

/** The table's row height in px: every row has it, so the table places rows by arithmetic (useFixedRowWindow). */
export const ROW_HEIGHT = 36;

/** The row's place in the table (0: the first row under the header) and its offset from the top of the rows. */
type Placed = PlacedRow;

/** One transaction as the table shows it. */
export function TransactionRow({
  row,
  at,
  gridClass,
  insights,
}: {
  row: Row;
  at: Placed;
  gridClass: string;
  insights: boolean;
}) {
  return (
    <div
      role="row"
      aria-rowindex={at.index + 2}
      // Reached with the arrow keys from the rows' box (TransactionsTable), not with Tab.
      tabIndex={-1}
      className={gridClass + ' rp-txn-row'}
      data-testid="txn-row"
      style={{ transform: `translateY(${at.start}px)`, height: ROW_HEIGHT }}
    >
      <div role="cell">{formatDate(row.date)}</div>
      <div role="cell" className="rp-txn-account" title={`${row.accountName} ${row.accountMask}`}>
        <span className="rp-ellipsis">{row.accountName}</span>
        {row.accountMask && <span className="rp-txn-mask">{row.accountMask}</span>}
      </div>
      <div role="cell" className="rp-ellipsis" title={row.description}>
        {row.description}
        {row.pending && <span className="rp-badge rp-badge-muted">pending</span>}
      </div>
      {insights && (
        <div role="cell" className="rp-ellipsis">
          {row.merchant ?? ''}
        </div>
      )}
      {insights && (
        <div role="cell" className="rp-ellipsis" title={row.category ?? ''}>
          {row.category ?? ''}
        </div>
      )}
      <div role="cell" className={row.amount < 0 ? 'rp-num rp-money-in' : 'rp-num'}>
        {row.amount < 0 ? '+' : '−'}
        {formatMoney(Math.abs(row.amount), row.currency)}
      </div>
    </div>
  );
}

/** The place of a transaction not here yet (the table is still reading the report's older transactions). */
export function PendingRow({ at, gridClass }: { at: Placed; gridClass: string }) {
  return (
    <div
      role="row"
      aria-rowindex={at.index + 2}
      tabIndex={-1}
      className={gridClass + ' rp-txn-row rp-txn-pending'}
      data-testid="txn-row-pending"
      style={{ transform: `translateY(${at.start}px)`, height: ROW_HEIGHT }}
    >
      <div role="cell">
        <span className="visually-hidden">Loading</span>
      </div>
    </div>
  );
}
