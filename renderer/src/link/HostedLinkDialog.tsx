import { useEffect, useEffectEvent, useId, useRef, useState } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { api } from '../api';
import { Button, Dialog, ErrorState, Skeleton, Spinner, formatDateTime, usePromised, useToast } from '../ui';

type HostedStatus = ResponseOf<'link:hostedStatus'>;
/** A Hosted Link being made at Plaid for one press of the officer's. */
export type HostedLinkCreation = Promise<ResponseOf<'link:createHosted'>>;

/**
 * Makes one Hosted Link at Plaid. Called from the press itself, never while rendering: a dialog rendered twice
 * (React's StrictMode in development, a remount) must not make a second link.
 */
export function createHostedLink(applicantId: string): HostedLinkCreation {
  const creation = api.linkCreateHosted({ applicantId });
  // The dialog shows a failure; until it reads the answer, a fast failure is not an unhandled rejection.
  creation.catch(() => undefined);
  return creation;
}

const POLL_INTERVAL_MS = 5000;

/**
 * For borrowers who are not in the office: Plaid hosts Link at a URL the officer sends them.
 * The result arrives as a `link:hostedFinished` event; polling covers a missed event.
 */
export function HostedLinkDialog({
  applicantId,
  applicantName,
  creation,
  onClose,
  onLinked,
}: {
  applicantId: string;
  /** The link the officer's press started (createHostedLink). */
  creation: HostedLinkCreation;
  applicantName: string;
  onClose(): void;
  onLinked(): void;
}) {
  const toast = useToast();
  const urlId = useId();
  const urlRef = useRef<HTMLInputElement>(null);
  // "Try again" and "Create a new link" are presses of their own: each makes one new link.
  const [again, setAgain] = useState<HostedLinkCreation | null>(null);
  const hosted = usePromised(again ?? creation);
  const createAgain = () => setAgain(createHostedLink(applicantId));
  // The status belongs to one Hosted Link; a new link starts without one.
  const [tracked, setTracked] = useState<{ hostedLinkId: string; status: HostedStatus } | null>(null);
  const [copyHint, setCopyHint] = useState<string | null>(null);
  const linked = useEffectEvent(() => onLinked());

  const hostedLinkId = hosted.status === 'ready' ? hosted.data.hostedLinkId : null;
  const status = tracked && tracked.hostedLinkId === hostedLinkId ? tracked.status : null;
  useEffect(() => {
    if (!hostedLinkId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      clearTimeout(timer);
      try {
        const next = await api.linkHostedStatus({ hostedLinkId });
        if (stopped) return;
        setTracked({ hostedLinkId, status: next });
        if (next.status === 'waiting') timer = setTimeout(check, POLL_INTERVAL_MS);
        else if (next.status === 'completed') linked();
      } catch {
        // A failed check is retried on the next tick; the link itself is still valid.
        if (!stopped) timer = setTimeout(check, POLL_INTERVAL_MS);
      }
    };
    const unsubscribe = api.on('link:hostedFinished', (event) => {
      if (event.hostedLinkId === hostedLinkId) void check();
    });
    timer = setTimeout(check, POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [hostedLinkId]);

  const copy = async () => {
    if (hosted.status !== 'ready') return;
    try {
      // The main process writes the clipboard: the page itself holds no clipboard permission.
      await api.clipboardWriteText({ text: hosted.data.url });
      setCopyHint('Copied to the clipboard.');
      toast.show({ message: 'Hosted Link copied.' });
    } catch {
      // The system clipboard can be busy or unavailable; leave the text selected so Ctrl+C works.
      urlRef.current?.focus();
      urlRef.current?.select();
      setCopyHint('The link could not be copied — it is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };

  let body;
  if (hosted.status === 'error') {
    body = <ErrorState error={hosted.error} onRetry={createAgain} title="The Hosted Link could not be created" />;
  } else if (hosted.status === 'loading' || !hosted.data) {
    body = <Skeleton lines={2} label="Creating the link" />;
  } else {
    body = (
      <>
        <p>
          Send this link to {applicantName}. It opens Plaid’s bank connection in their own browser; the result appears
          here and on the loan’s page when they finish.
        </p>
        <label htmlFor={urlId} className="label">
          Hosted Link
        </label>
        <div className="hosted-url">
          <input
            id={urlId}
            ref={urlRef}
            className="input"
            readOnly
            value={hosted.data.url}
            data-testid="hosted-url"
            onFocus={(e) => e.target.select()}
          />
          <Button variant="primary" onClick={copy} data-testid="copy-hosted-url">
            Copy
          </Button>
        </div>
        <p className="muted" aria-live="polite">
          {copyHint ?? `Valid until ${formatDateTime(hosted.data.expiration)}.`}
        </p>
        <div aria-live="polite" data-testid="hosted-status">
          {status === null || status.status === 'waiting' ? (
            <p>
              <Spinner label="" /> Waiting for {applicantName} to finish…
            </p>
          ) : status.status === 'completed' ? (
            <div className="alert alert-success">
              {applicantName} linked {status.items.length} bank{status.items.length === 1 ? '' : 's'}:{' '}
              {status.items.map((i) => i.institutionName).join(', ')}.
            </div>
          ) : (
            <div className="alert alert-error">
              {status.status === 'expired' ? 'This link has expired.' : `${applicantName} left without linking a bank.`}{' '}
              <Button size="small" onClick={createAgain} data-testid="new-hosted-link">
                Create a new link
              </Button>
            </div>
          )}
        </div>
      </>
    );
  }

  return (
    <Dialog
      title="Send Hosted Link"
      onClose={onClose}
      testId="hosted-link-dialog"
      footer={
        <Button variant={status?.status === 'completed' ? 'primary' : 'secondary'} onClick={onClose}>
          Close
        </Button>
      }
    >
      {body}
    </Dialog>
  );
}
