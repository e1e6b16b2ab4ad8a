import {
  useDeferredValue,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import {
  categoriesOf,
  emptyFilters,
  filterTransactions,
  readFilterInputs,
  rowAt,
  sortTransactions,
  totalsOf,
  type MoneyDirection,
  type SortDirection,
  type SortKey,
  type TransactionColumns,
  type TransactionFilters,
} from './transactions';
import { formatMoney } from './format';
import { PendingRow, ROW_HEIGHT, TransactionRow } from './TransactionRow';
import { Button, EmptyState, boundedBoxHeight, toAppError, useFixedRowWindow } from '../ui';
import type { FindingFocus } from './FindingsPanel';

/** The rows' scroll box: 60% of the window, at most 640 px. */
const SCROLL_BOX_HEIGHT = boundedBoxHeight(60, 640);

/** A finding's link narrows the table to the transactions or days behind it. */
export type TransactionsFocus = FindingFocus;

interface Props {
  /** The newest transactions while the rest are on their way (the report's first screen), then all of them. */
  columns: TransactionColumns;
  /** How many transactions the report has. */
  total: number;
  /** The rest of the transactions could not be read: why, and a way to ask again. */
  failure: { error: unknown; retry(): void } | null;
  accounts: { id: string; label: string }[];
  focus: TransactionsFocus | null;
  onClearFocus(): void;
  /** The report's first frame on screen: the rows beyond the box's edges wait for it (see usePainted). */
  shown?: Promise<void>;
}

/**
 * The report's transactions, virtualized so tens of thousands of rows stay smooth: only the rows
 * in view (plus a few) are in the DOM, and only they become row objects (see ./transactions).
 * Until every transaction is here, the table shows the newest ones in the report's order, holds a row's place
 * for each of the others (the scroll bar already has its final size), and its filters wait.
 */
export function TransactionsTable({ columns, total, failure, accounts, focus, onClearFocus, shown }: Props) {
  const { hasInsights } = columns;
  const complete = columns.count === total;
  const ids = useId();
  const [query, setQuery] = useState('');
  const [accountId, setAccountId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [minAmount, setMinAmount] = useState('');
  const [maxAmount, setMaxAmount] = useState('');
  const [direction, setDirection] = useState<MoneyDirection>('all');
  const [category, setCategory] = useState('');
  const [showInsights, setShowInsights] = useState(hasInsights);
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({ key: 'date', direction: 'desc' });

  // The input stays responsive while React filters with the deferred value.
  const deferredQuery = useDeferredValue(query);
  const categories = useMemo(
    () => (hasInsights && complete ? categoriesOf(columns) : []),
    [columns, hasInsights, complete],
  );

  const reading = readFilterInputs({ from, to, minAmount, maxAmount });
  const filters: TransactionFilters = {
    ...emptyFilters,
    query: deferredQuery,
    accountId: focus?.accountId ?? (accountId || null),
    from: focus?.from ?? reading.from,
    to: focus?.to ?? reading.to,
    minAmount: reading.minAmount,
    maxAmount: reading.maxAmount,
    direction,
    category: category || null,
    ids: focus?.ids ?? null,
  };
  const filterErrors = Object.entries(reading.errors) as [keyof typeof errorIdOf, string][];
  const filterKey = JSON.stringify({ ...filters, ids: null });
  const visible = useMemo(
    () =>
      complete
        ? sortTransactions(columns, filterTransactions(columns, filters), sort.key, sort.direction)
        : Array.from({ length: columns.count }, (_, i) => i), // newest first, as stored
    // filterKey captures every filter value but the focus, which is listed directly.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columns, complete, filterKey, focus, sort.key, sort.direction],
  );
  const totals = useMemo(() => (complete ? totalsOf(columns, visible) : null), [columns, complete, visible]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const windowed = useFixedRowWindow({
    count: complete ? visible.length : total,
    rowHeight: ROW_HEIGHT,
    overscan: 10,
    scrollRef,
    initialHeight: SCROLL_BOX_HEIGHT.px,
    shown,
  });

  const rowCount = complete ? visible.length : total;
  const rowKeys = useRowKeys(scrollRef, rowCount);
  // The row the keyboard is on stays drawn while the box scrolls away from it, so the focus is never dropped.
  const placed =
    rowKeys.active !== null && rowKeys.active < rowCount && !windowed.rows.some((row) => row.index === rowKeys.active)
      ? [...windowed.rows, { index: rowKeys.active, start: rowKeys.active * ROW_HEIGHT }]
      : windowed.rows;

  const insightsColumns = hasInsights && showInsights;
  const gridClass = insightsColumns ? 'rp-txn-grid rp-txn-grid-insights' : 'rp-txn-grid';
  const anyFilter =
    query !== '' ||
    accountId !== '' ||
    from !== '' ||
    to !== '' ||
    minAmount !== '' ||
    maxAmount !== '' ||
    direction !== 'all' ||
    category !== '';

  function toggleSort(key: SortKey) {
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: key === 'description' ? 'asc' : 'desc' },
    );
  }
  function ariaSort(key: SortKey): 'ascending' | 'descending' | 'none' {
    if (sort.key !== key) return 'none';
    return sort.direction === 'asc' ? 'ascending' : 'descending';
  }
  function clearFilters() {
    setQuery('');
    setAccountId('');
    setFrom('');
    setTo('');
    setMinAmount('');
    setMaxAmount('');
    setDirection('all');
    setCategory('');
  }

  if (total === 0) {
    return (
      <EmptyState title="No transactions in this report">
        <p>Plaid returned no transactions for these accounts (investment and loan accounts carry none).</p>
      </EmptyState>
    );
  }

  return (
    <section className="rp-txn" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="visually-hidden">
        Transactions
      </h2>
      <div className="rp-txn-filters" role="search" aria-label="Search and filter transactions">
        {/* Disabled until every transaction is here: a filter over the newest ones alone would mislead. */}
        <fieldset className="rp-txn-fieldset" disabled={!complete} data-testid="txn-filters">
          <label className="rp-field rp-field-grow">
            <span>Search</span>
            <input
              type="search"
              data-testid="txn-search"
              maxLength={200}
              placeholder="Description, merchant, amount…"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          </label>
          <label className="rp-field">
            <span>Account</span>
            <select data-testid="txn-account" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">All accounts</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </label>
          <label className="rp-field">
            <span>From</span>
            <input
              type="date"
              data-testid="txn-from"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              {...invalidProps(reading.errors.from, `${ids}-from-error`)}
            />
          </label>
          <label className="rp-field">
            <span>To</span>
            <input
              type="date"
              data-testid="txn-to"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              {...invalidProps(reading.errors.from, `${ids}-from-error`)}
            />
          </label>
          <label className="rp-field rp-field-narrow">
            <span>Min $</span>
            <input
              inputMode="decimal"
              data-testid="txn-min"
              maxLength={20}
              value={minAmount}
              {...invalidProps(reading.errors.minAmount, `${ids}-min-error`)}
              onChange={(e) => setMinAmount(e.target.value)}
            />
          </label>
          <label className="rp-field rp-field-narrow">
            <span>Max $</span>
            <input
              inputMode="decimal"
              data-testid="txn-max"
              maxLength={20}
              value={maxAmount}
              {...invalidProps(reading.errors.maxAmount, `${ids}-max-error`)}
              onChange={(e) => setMaxAmount(e.target.value)}
            />
          </label>
          <label className="rp-field">
            <span>Money</span>
            <select
              data-testid="txn-direction"
              value={direction}
              onChange={(e) => setDirection(e.target.value as MoneyDirection)}
            >
              <option value="all">In and out</option>
              <option value="in">Money in</option>
              <option value="out">Money out</option>
            </select>
          </label>
          {hasInsights && (!complete || categories.length > 0) && (
            <label className="rp-field">
              <span>Category</span>
              <select data-testid="txn-category" value={category} onChange={(e) => setCategory(e.target.value)}>
                <option value="">All categories</option>
                {categories.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
          )}
          {hasInsights && (
            <label className="rp-check rp-check-inline">
              <input
                type="checkbox"
                data-testid="insights-toggle"
                checked={showInsights}
                onChange={(e) => setShowInsights(e.target.checked)}
              />
              <span>Insights</span>
            </label>
          )}
          {anyFilter && (
            <Button size="small" onClick={clearFilters}>
              Clear filters
            </Button>
          )}
        </fieldset>
      </div>

      {/* Always in the page, so a screen reader hears a message as it appears. */}
      <div aria-live="polite">
        {filterErrors.length > 0 && (
          <ul className="rp-filter-errors" data-testid="txn-filter-errors">
            {filterErrors.map(([key, message]) => (
              <li key={key} id={`${ids}-${errorIdOf[key]}-error`} data-testid={`txn-error-${errorIdOf[key]}`}>
                {message}
              </li>
            ))}
          </ul>
        )}
      </div>

      {focus && (
        <p className="rp-focus-chip" data-testid="txn-focus">
          Showing the transactions behind “{focus.label}”.
          <button type="button" className="rp-link-button" onClick={onClearFocus}>
            Show all transactions
          </button>
        </p>
      )}

      <p className="rp-txn-count" aria-live="polite">
        {totals ? (
          <>
            <span data-testid="txn-count" data-count={visible.length}>
              {visible.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} transactions
            </span>
            <span className="muted">
              {' '}
              · money in {formatMoney(totals.moneyIn)} · money out {formatMoney(totals.moneyOut)}
            </span>
          </>
        ) : (
          <span data-testid="txn-count" aria-busy={failure ? undefined : true}>
            Newest {columns.count.toLocaleString('en-US')} of {total.toLocaleString('en-US')} transactions
            {failure ? null : <span className="muted"> · loading the rest…</span>}
          </span>
        )}
      </p>
      {failure && (
        <div className="state state-error rp-txn-failure" role="alert" data-testid="txn-rest-error">
          <p>The rest of the transactions could not be loaded: {toAppError(failure.error).message}</p>
          <Button size="small" onClick={failure.retry} data-testid="txn-rest-retry">
            Try again
          </Button>
        </div>
      )}

      <div
        className="rp-txn-table"
        role="table"
        aria-label="Transactions"
        aria-rowcount={(complete ? visible.length : total) + 1}
        aria-busy={complete ? undefined : true}
        data-complete={complete}
        data-testid="txn-table"
      >
        <div role="rowgroup">
          <div role="row" className={`${gridClass} rp-txn-head`} aria-rowindex={1}>
            <div role="columnheader" aria-sort={ariaSort('date')}>
              <button
                type="button"
                className="rp-sort"
                disabled={!complete}
                onClick={() => toggleSort('date')}
                data-testid="sort-date"
              >
                Date <SortArrow sort={sort} column="date" />
              </button>
            </div>
            <div role="columnheader">Account</div>
            <div role="columnheader" aria-sort={ariaSort('description')}>
              <button
                type="button"
                className="rp-sort"
                disabled={!complete}
                onClick={() => toggleSort('description')}
                data-testid="sort-description"
              >
                Description <SortArrow sort={sort} column="description" />
              </button>
            </div>
            {insightsColumns && <div role="columnheader">Merchant</div>}
            {insightsColumns && <div role="columnheader">Category</div>}
            <div role="columnheader" aria-sort={ariaSort('amount')} className="rp-num">
              <button
                type="button"
                className="rp-sort"
                disabled={!complete}
                onClick={() => toggleSort('amount')}
                data-testid="sort-amount"
              >
                Amount <SortArrow sort={sort} column="amount" />
              </button>
            </div>
          </div>
        </div>
        <div
          ref={scrollRef}
          className="rp-txn-scroll"
          style={{ height: SCROLL_BOX_HEIGHT.css }}
          role="rowgroup"
          tabIndex={0}
          aria-label="Transaction rows: the arrow keys, Page Up, Page Down, Home and End move from row to row"
          onKeyDown={rowKeys.onKeyDown}
          data-testid="txn-scroll"
        >
          {visible.length === 0 ? (
            <div className="rp-txn-none" role="row">
              <div role="cell">No transactions match these filters.</div>
            </div>
          ) : (
            <div style={{ height: windowed.totalSize, position: 'relative' }}>
              {placed.map((v) => {
                const index = visible[v.index];
                if (index === undefined) return <PendingRow key={`pending-${v.index}`} at={v} gridClass={gridClass} />;
                const row = rowAt(columns, index);
                return (
                  <TransactionRow key={row.id} row={row} at={v} gridClass={gridClass} insights={insightsColumns} />
                );
              })}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

const errorIdOf = { from: 'from', to: 'to', minAmount: 'min', maxAmount: 'max' } as const;

/** Marks a filter box the table could not use and points it at the message saying why. */
function invalidProps(error: string | undefined, errorId: string) {
  return error ? { 'aria-invalid': true, 'aria-describedby': errorId } : {};
}

/** The sort direction drawn beside a heading; the heading's aria-sort says it to a screen reader. */
function SortArrow({ sort, column }: { sort: { key: SortKey; direction: SortDirection }; column: SortKey }) {
  if (sort.key !== column) return null;
  return <span aria-hidden="true">{sort.direction === 'asc' ? '▲' : '▼'}</span>;
}

const ROW_KEYS: Record<string, (at: number, page: number, count: number) => number> = {
  ArrowDown: (at) => at + 1,
  ArrowUp: (at) => at - 1,
  PageDown: (at, page) => at + page,
  PageUp: (at, page) => at - page,
  Home: () => 0,
  End: (_, __, count) => count - 1,
};

/**
 * The keyboard's way through the windowed rows: from the rows' box (or a row), the arrow keys, Page Up/Down, Home
 * and End move the focus from row to row, scrolling the box so the row is drawn and in view; a screen reader then
 * reads each row as it gets the focus (its cells, and its place among all of them from aria-rowindex). Only the rows
 * in view are in the page, so without this only those could be reached.
 */
function useRowKeys(scrollRef: RefObject<HTMLDivElement | null>, count: number) {
  const [active, setActive] = useState<number | null>(null);
  const [moves, setMoves] = useState(0);
  useEffect(() => {
    if (moves === 0 || active === null) return;
    scrollRef.current?.querySelector<HTMLElement>(`[role="row"][aria-rowindex="${active + 2}"]`)?.focus();
  }, [moves, active, scrollRef]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = ROW_KEYS[event.key];
    const box = scrollRef.current;
    if (!step || !box || count === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const inView = Math.max(1, Math.floor(box.clientHeight / ROW_HEIGHT));
    const clamp = (row: number) => Math.max(0, Math.min(count - 1, row));
    const focusedRow = (event.target as HTMLElement).closest('[role="row"][aria-rowindex]');
    const firstInView = clamp(Math.ceil(box.scrollTop / ROW_HEIGHT));
    // From the box itself, an arrow lands on the first row in view; the other keys move from there.
    const next = focusedRow
      ? clamp(step(Number(focusedRow.getAttribute('aria-rowindex')) - 2, inView, count))
      : event.key === 'ArrowDown' || event.key === 'ArrowUp'
        ? firstInView
        : clamp(step(firstInView, inView, count));
    const top = next * ROW_HEIGHT;
    if (top < box.scrollTop) box.scrollTop = top;
    else if (top + ROW_HEIGHT > box.scrollTop + box.clientHeight) box.scrollTop = top + ROW_HEIGHT - box.clientHeight;
    setActive(next);
    setMoves((n) => n + 1);
  };
  return { active, onKeyDown };
}
