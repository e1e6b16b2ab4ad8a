import { useEffect, useState } from 'react';
import type { ReportProgress, ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { useNow } from './use-now';

/**
 * Status of a report Plaid is generating, kept live by `report:progress` events (each carries the
 * report's summary, with Plaid's failure reason and request id once it settles).
 */
export function useReportProgress(report: ReportSummary | null): {
  status: ReportSummary['status'];
  message: string | null;
  elapsedMs: number;
  latest: ReportSummary | null;
} {
  const [progress, setProgress] = useState<ReportProgress | null>(null);
  const [latest, setLatest] = useState<ReportSummary | null>(report);
  const reportId = report?.id ?? null;
  useEffect(() => {
    if (!reportId) return;
    let cancelled = false;
    let heard = false;
    const off = api.on('report:progress', (payload) => {
      if (payload.reportId !== reportId) return;
      heard = true;
      setProgress(payload);
      setLatest(payload.summary);
    });
    // A report that settled before we listened sent its event to nobody: read its summary once, now.
    api
      .reportsSummary({ reportId })
      .then((summary) => {
        if (!cancelled && !heard) setLatest(summary);
      })
      .catch(() => undefined); // events still arrive; the read is only a catch-up
    return () => {
      cancelled = true;
      off();
    };
  }, [reportId]);
  const status =
    progress?.status ?? (latest && latest.status !== 'pending' ? latest.status : null) ?? report?.status ?? 'pending';
  const now = useNow(status === 'pending');
  const started = report ? Date.parse(report.createdAt) : now;
  const elapsedMs =
    status === 'pending' ? Math.max(0, now - started) : (progress?.elapsedMs ?? Math.max(0, now - started));
  return { status, message: progress?.message ?? null, elapsedMs, latest };
}
