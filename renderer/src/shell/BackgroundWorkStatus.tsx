import { useEffect, useState } from 'react';
import type { BackgroundWork } from '../../../shared/ipc/contract';
import { api } from '../api';
import { Button, Spinner } from '../ui';
import { useAppInfo } from './AppInfo';

/**
 * One status line for start-up work that runs behind the open window ("Checking 3 pending reports with
 * Plaid…"), so a slow or offline Plaid never looks like a frozen app. A failed step stays until dismissed.
 */
export function BackgroundWorkStatus() {
  const { info } = useAppInfo();
  // Once an event arrived it is newer than what app:info said when the window opened.
  const [told, setTold] = useState<{ work: BackgroundWork | null } | null>(null);
  const [dismissed, setDismissed] = useState(false);
  useEffect(
    () =>
      api.on('app:backgroundWork', (payload) => {
        setTold(payload);
        setDismissed(false);
      }),
    [],
  );
  const work = told ? told.work : (info?.backgroundWork ?? null);
  if (!work || dismissed) return null;
  return (
    <div
      className="background-work muted"
      role="status"
      aria-live="polite"
      data-testid="background-work"
      data-state={work.state}
    >
      {work.state === 'running' && <Spinner label="" />}
      <span>{work.message}</span>
      {work.state === 'failed' && (
        <Button onClick={() => setDismissed(true)} data-testid="background-work-dismiss">
          Dismiss
        </Button>
      )}
    </div>
  );
}
