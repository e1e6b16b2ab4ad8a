import { useEffect, useEffectEvent } from 'react';
import type { EventPayload } from '../../../shared/ipc/contract';
import { api } from '../api';

export type TeamChanges = EventPayload<'team:changes'>;

/**
 * Runs `reload` when another desk changed something this screen shows (`concerns` decides; a resync always
 * concerns every screen). Bursts within `debounceMs` make one reload. Pushed by the main process: no polling.
 */
export function useTeamChanges(
  reload: () => void,
  {
    concerns = () => true,
    debounceMs = 150,
  }: { concerns?: (changes: TeamChanges) => boolean; debounceMs?: number } = {},
): void {
  const onChanges = useEffectEvent((changes: TeamChanges) => changes.resync || concerns(changes));
  const runReload = useEffectEvent(() => reload());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.on('team:changes', (changes) => {
      if (!onChanges(changes)) return;
      clearTimeout(timer);
      timer = setTimeout(() => runReload(), debounceMs);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [debounceMs]);
}

/** The change touches this loan (its file, borrowers, banks, reports or activity). */
export function concernsLoan(loanId: string): (changes: TeamChanges) => boolean {
  return (changes) => changes.loanIds.includes(loanId);
}

// What the report screen loads with the report: its row and content, sourced deposits and account confirmations
// (audit copies reload on their own, without opening the report again).
const REPORT_TABLES = new Set(['reports', 'report_content', 'sourced_deposits', 'account_confirmations']);

/** A report of this loan (or what the report screen reads with it) changed. */
export function concernsReportsOf(loanId: string): (changes: TeamChanges) => boolean {
  return (changes) => changes.loanIds.includes(loanId) && changes.tables.some((table) => REPORT_TABLES.has(table));
}
