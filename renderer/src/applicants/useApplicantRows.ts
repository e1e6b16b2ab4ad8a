import { useCallback, useEffect, useState } from 'react';
import type { ApplicantListRow, ApplicantStatus } from '../../../shared/domain';
import { api } from '../api';

/** Enough rows to fill the screen at once; the rest follows in chunks. */
const FIRST_PAGE = 200;
const CHUNK = 2_000;
const LIST_LIMIT = 10_000;

function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 250 });
    else setTimeout(resolve, 50);
  });
}

interface RowsState {
  key: string;
  status: 'loading' | 'ready' | 'error';
  rows: ApplicantListRow[] | undefined;
  total: number;
  /** True while the rows after the first page are still on their way. */
  more: boolean;
  error: unknown;
}

/**
 * The applicant list, first screenful first: with ten thousand applicants the officer sees rows
 * after a small request, and the full list (for scrolling) streams in right after.
 */
export function useApplicantRows(query: string, status: ApplicantStatus | '', dataVersion: number) {
  const [version, setVersion] = useState(0);
  const key = JSON.stringify([query, status, dataVersion, version]);
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
    const filters = { ...(query ? { query } : {}), ...(status ? { status } : {}) };
    void (async () => {
      try {
        const first = await api.applicantsList({ ...filters, limit: FIRST_PAGE });
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
          const next = await api.applicantsList({ ...filters, offset: rows.length, limit });
          if (cancelled) return;
          // An applicant added or removed between requests may shift the pages; keep each row once.
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
    // query/status/dataVersion/version are all inside key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const current = state.key === key ? state : { ...state, status: 'loading' as const, error: undefined };
  return { ...current, reload };
}
