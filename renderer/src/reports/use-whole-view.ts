import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { isCompleteView } from '../../../shared/report-view';
import { readViewColumns, type ReportView } from './report-analysis';
import type { TransactionColumns } from './transactions';

export interface WholeColumns {
  /** The first screen's newest transactions, then every transaction once the whole view is here. */
  columns: TransactionColumns;
  /** Why the rest could not be read, and a way to ask again; null while it is on its way, or once it is here. */
  failure: { error: unknown; retry(): void } | null;
}

/**
 * The report's transactions as the table reads them. The screen opens from the view's first screen (the newest
 * rows, a few KB); the whole view is asked for once that first screen is on screen, so its megabytes never hold
 * the first paint back, and it replaces the first screen's columns when it arrives (the same rows come first).
 */
export function useWholeColumns(reportId: string, first: ReportView, shown: Promise<void>): WholeColumns {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ from: ReportView; columns: TransactionColumns | null; error: unknown }>({
    from: first,
    columns: null,
    error: null,
  });
  const complete = isCompleteView(first);
  useEffect(() => {
    if (complete) return;
    let current = true;
    void shown
      .then(() => api.reportsView({ reportId, part: 'whole' }))
      .then(({ view }) => {
        const columns = readViewColumns(view);
        if (columns.count !== first.transactionCount)
          throw new Error(
            `the report's transactions arrived incomplete (${columns.count} of ${first.transactionCount})`,
          );
        return columns;
      })
      .then(
        (columns) => current && setState({ from: first, columns, error: null }),
        (error: unknown) => current && setState({ from: first, columns: null, error }),
      );
    return () => {
      current = false;
    };
  }, [reportId, first, complete, attempt, shown]);
  const retry = useCallback(() => {
    setState({ from: first, columns: null, error: null });
    setAttempt((n) => n + 1);
  }, [first]);

  const mine = state.from === first ? state : null;
  return {
    columns: mine?.columns ?? first.columns,
    failure: mine?.error ? { error: mine.error, retry } : null,
  };
}
