import { useCallback, useEffect, useState } from 'react';
import type { LoanListRow, LoanStatus, PipelineSort } from '../../../shared/domain';
import { api } from '../api';
import { whenIdle } from '../ui';

/** Enough rows to fill a tall screen at once (rows are 48 px); the rest follows in chunks. */
const FIRST_PAGE = 60;
const CHUNK = 2_000;
const LIST_LIMIT = 10_000;

function afterPaint(): Promise<void> {
  return new Promise((resolve) => void whenIdle(resolve, 250));
}

/** What the pipeline asks the store for: filtering and sorting happen there, not in the page. */
export interface PipelineQuery {
  query: string;
  loanStatus: LoanStatus | '';
  needsAttention: boolean;
  refreshDueWithinDays: number | null;
  sort: PipelineSort;
  direction: 'asc' | 'desc';
}

interface RowsState {
  key: string;
  status: 'loading' | 'ready' | 'error';
  rows: LoanListRow[] | undefined;
  total: number;
  /** True while the rows after the first page are still on their way. */
  more: boolean;
  error: unknown;
}

/**
 * The pipeline, first screenful first: with ten thousand loans the officer sees rows after a small
 * request, and the rest (for scrolling) streams in right after.
 */
export function usePipelineRows(q: PipelineQuery, dataVersion: number) {
  const [version, setVersion] = useState(0);
  const key = JSON.stringify([q, dataVersion, version]);
  const [state, setState] = useState<RowsState>({
    key,
    status: 'loading',
    rows: undefined,
    total: 0,
    more: false,
    error: undefined,
  });
  if (state.key !== key) setState({ ...state, key, status: 'loading', error: undefined });

  useEffect(() => {
    let cancelled = false;
    const filters = {
      ...(q.query ? { query: q.query } : {}),
      ...(q.loanStatus ? { loanStatus: q.loanStatus } : {}),
      ...(q.needsAttention ? { needsAttention: true } : {}),
      ...(q.refreshDueWithinDays !== null ? { refreshDueWithinDays: q.refreshDueWithinDays } : {}),
      sort: q.sort,
      direction: q.direction,
    };
    void (async () => {
      try {
        const first = await api.loansList({ ...filters, limit: FIRST_PAGE });
        if (cancelled) return;
        const more = first.total > first.rows.length && first.rows.length === FIRST_PAGE;
        setState({ key, status: 'ready', rows: first.rows, total: first.total, more, error: undefined });
        if (!more) return;
        // The rest arrives in chunks in idle time, so the first screenful paints at once and
        // scrolling stays smooth while the remaining rows are parsed.
        let rows = first.rows;
        const seen = new Set(rows.map((r) => r.id));
        let total = first.total;
        while (rows.length < Math.min(total, LIST_LIMIT)) {
          await afterPaint();
          if (cancelled) return;
          const limit = Math.min(CHUNK, LIST_LIMIT - rows.length);
          const next = await api.loansList({ ...filters, offset: rows.length, limit });
          if (cancelled) return;
          // A loan added or removed between requests may shift the pages; keep each row once.
          const fresh = next.rows.filter((r) => !seen.has(r.id));
          for (const row of fresh) seen.add(row.id);
          rows = [...rows, ...fresh];
          total = next.total;
          const done = fresh.length === 0 || next.rows.length < limit || rows.length >= Math.min(total, LIST_LIMIT);
          setState((s) => (s.key === key ? { ...s, rows, total, more: !done } : s));
          if (done) break;
        }
      } catch (error) {
        if (!cancelled) setState((s) => ({ ...s, key, status: 'error', more: false, error }));
      }
    })();
    return () => {
      cancelled = true;
    };
    // Every input is inside key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const current = state.key === key ? state : { ...state, status: 'loading' as const, error: undefined };
  return { ...current, reload };
}
