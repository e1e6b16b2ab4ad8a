import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { HandoffStatus, Item } from '../../../shared/domain';
import { api } from '../api';
import { Button, Dialog, ErrorState, Skeleton, Spinner, TextField, toAppError, useLoad } from '../ui';
import { HostedLinkDialog, createHostedLink, type HostedLinkCreation } from './HostedLinkDialog';
import {
  LINK_SCRIPT_UNAVAILABLE,
  loadPlaidLink,
  reopenAfterOAuth,
  toLinkMetadata,
  type PlaidLinkError,
  type PlaidLinkHandler,
  type PlaidLinkOptions,
} from './plaid-link';
import './link.css';

type Phase =
  | { name: 'welcome' }
  | { name: 'opening' }
  | { name: 'linking' }
  | { name: 'stalled' }
  | { name: 'saving' }
  | { name: 'success' }
  | { name: 'exited'; message: string; code: string | null }
  | { name: 'error'; error: unknown };

/** What the borrower's screen keeps of their loan file: their name and their own banks, nothing else. */
interface BorrowerView {
  firstName: string;
  lastName: string;
  banks: Item[];
  relinkInstitution: string | null;
}

/** How long Link may take to load once opened before its frame is taken away and the borrower offered a way out. */
const LINK_LOAD_LIMIT_MS = 15_000;

/** Reads the borrower's loan file (the one the main process lets this mode read) and keeps only their part. */
async function loadBorrowerView(
  loanId: string | null,
  applicantId: string,
  itemId: string | null,
): Promise<BorrowerView> {
  if (!loanId) return { firstName: '', lastName: '', banks: [], relinkInstitution: null };
  const { loan, items } = await api.loansGet({ loanId });
  const borrower = loan.borrowers.find((b) => b.id === applicantId);
  const banks = items.filter((i) => i.applicantId === applicantId && i.status !== 'removed');
  return {
    firstName: borrower?.firstName ?? '',
    lastName: borrower?.lastName ?? '',
    banks,
    relinkInstitution: itemId ? (banks.find((i) => i.id === itemId)?.institutionName ?? null) : null,
  };
}

/**
 * The borrower's banks for this loan. A bank that still needs them to sign in says so; the one just reconnected
 * says that, so a re-link shows every bank of theirs, not only the one they signed in to.
 */
function BankList({ banks, testId, reconnectedId }: { banks: Item[]; testId: string; reconnectedId?: string }) {
  return (
    <ul className="linked-banks" data-testid={testId}>
      {banks.map((item) => {
        const state =
          item.id === reconnectedId ? 'reconnected' : item.status === 'needs_relink' ? 'needs-sign-in' : 'ok';
        return (
          <li key={item.id} data-testid="linked-bank" data-item-id={item.id} data-state={state}>
            <strong>{item.institutionName}</strong>
            {state === 'reconnected' && <em data-testid="bank-note">Reconnected just now</em>}
            {state === 'needs-sign-in' && <em data-testid="bank-note">Needs you to sign in again</em>}
            <span>{item.accounts.map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`).join(', ')}</span>
          </li>
        );
      })}
    </ul>
  );
}

/**
 * The borrower's own screen: only their name, their banks and the Link flow. The desk (navigation,
 * lists, the other borrowers on the loan) is not rendered at all while this is open.
 */
export function HandToApplicant({
  applicantId,
  loanId,
  itemId,
  onReturned,
}: {
  applicantId: string;
  /** The loan file the borrower is on (null when the address lost it: the screen then greets without a name). */
  loanId: string | null;
  itemId: string | null;
  /** The officer's PIN ended the hand-off (the main process checked it and answers the new status). */
  onReturned(status: HandoffStatus): void;
}) {
  const [pinOpen, setPinOpen] = useState(false);
  const updateMode = itemId !== null;
  // Only the borrower's name and banks are kept from the answer; nothing else of the loan reaches this screen.
  const person = useLoad(() => loadBorrowerView(loanId, applicantId, itemId), [loanId, applicantId, itemId]);
  const [phase, setPhase] = useState<Phase>({ name: 'welcome' });
  const [linked, setLinked] = useState<Item[]>([]);
  // The Hosted Link the officer's press started, while its dialog is open.
  const [hosted, setHosted] = useState<HostedLinkCreation | null>(null);
  const handlerRef = useRef<PlaidLinkHandler | null>(null);
  // How to carry the open Link session on after an OAuth bank (same token); null when none is open.
  const reopenRef = useRef<((receivedRedirectUri: string) => PlaidLinkHandler) | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Whether the Link opened last has loaded (Plaid's onLoad); a Link that has not within the limit is taken away.
  const loadedRef = useRef(false);
  // After "Cancel" on a Link that did not load, the focus goes back to the button that opens Link on that screen.
  const startId = useId();
  const anotherId = `${startId}-another`;
  const refocusStartRef = useRef(false);

  useEffect(() => {
    const previousTitle = document.title;
    document.title = 'Connect your bank — AssetDesk';
    return () => {
      document.title = previousTitle;
      handlerRef.current?.exit({ force: true });
      handlerRef.current?.destroy();
      handlerRef.current = null;
    };
  }, []);

  // Each new screen state is announced by moving focus to its heading; the first one once the borrower's name has
  // arrived (the button the officer pressed is gone by then, and the focus with it).
  const greeted = person.data !== undefined;
  useEffect(() => {
    if (phase.name === 'linking') return;
    const opener = refocusStartRef.current && document.getElementById(phase.name === 'success' ? anotherId : startId);
    refocusStartRef.current = false;
    (opener || headingRef.current)?.focus();
  }, [phase.name, greeted, startId, anotherId]);

  const dropHandler = () => {
    handlerRef.current?.destroy();
    handlerRef.current = null;
  };

  // While Link's frame is open the page behind it is inert: neither Tab nor a screen reader reaches it. A Link that
  // has not loaded within the limit is taken away (its frame may cover the page), and the page comes back.
  useEffect(() => {
    if (phase.name !== 'linking') return;
    const root = document.getElementById('root');
    root?.setAttribute('inert', '');
    const timer = window.setTimeout(() => {
      if (loadedRef.current) return;
      dropHandler();
      reopenRef.current = null;
      setPhase({ name: 'stalled' });
    }, LINK_LOAD_LIMIT_MS);
    return () => {
      clearTimeout(timer);
      root?.removeAttribute('inert');
    };
  }, [phase]);

  useEffect(
    () =>
      api.on('link:oauthReturned', ({ receivedRedirectUri }) => {
        const reopen = reopenRef.current;
        if (!reopen) return;
        dropHandler();
        loadedRef.current = false;
        handlerRef.current = reopen(receivedRedirectUri);
        setPhase({ name: 'linking' });
      }),
    [],
  );

  const startLink = useCallback(async () => {
    setPhase({ name: 'opening' });
    try {
      // A fresh token per attempt: a retry after an error starts a clean Link session.
      const token = await api.linkCreateToken(itemId ? { applicantId, itemId } : { applicantId });
      const Plaid = await loadPlaidLink(token.scriptUrl);
      dropHandler();
      const options: PlaidLinkOptions = {
        token: token.linkToken,
        onLoad: () => (loadedRef.current = true),
        onSuccess: (publicToken, metadata) => {
          setPhase({ name: 'saving' });
          const save = async () => {
            if (token.updateMode && itemId) return api.linkUpdateComplete({ itemId });
            const linkMetadata = toLinkMetadata(metadata);
            if (!linkMetadata) throw new Error('Plaid did not say which bank was linked. Please try again.');
            return api.linkComplete({ applicantId, publicToken, metadata: linkMetadata });
          };
          save().then(
            (item) => {
              setLinked((all) => [...all.filter((i) => i.id !== item.id), item]);
              setPhase({ name: 'success' });
            },
            (error: unknown) => setPhase({ name: 'error', error }),
          );
        },
        onExit: (error: PlaidLinkError | null) => {
          // On a team this Link no longer holds the team's environment; it would expire by itself if this is lost.
          void api
            .linkExited({ ...(itemId ? { applicantId, itemId } : { applicantId }), linkToken: token.linkToken })
            .catch(() => undefined);
          if (error) {
            setPhase({ name: 'exited', message: error.display_message ?? error.error_message, code: error.error_code });
          } else {
            setPhase({ name: 'exited', message: 'The bank connection was closed before it finished.', code: null });
          }
        },
      };
      loadedRef.current = false;
      const handler = Plaid.create(options);
      reopenRef.current = (receivedRedirectUri) => reopenAfterOAuth(Plaid, options, receivedRedirectUri);
      handlerRef.current = handler;
      setPhase({ name: 'linking' });
      handler.open();
    } catch (error) {
      setPhase({ name: 'error', error });
    }
  }, [applicantId, itemId]);

  // Only the officer returns to the desk: the PIN dialog asks the main process, which holds the lock.
  const returnToOfficer = () => setPinOpen(true);
  const returned = (status: HandoffStatus) => {
    setPinOpen(false);
    handlerRef.current?.exit({ force: true });
    dropHandler();
    onReturned(status);
  };

  // Hosted Link finished: show the banks it connected, read back from the main process.
  const hostedLinked = async () => {
    setHosted(null);
    try {
      setLinked((await loadBorrowerView(loanId, applicantId, itemId)).banks);
      setPhase({ name: 'success' });
    } catch (error) {
      setPhase({ name: 'error', error });
    }
  };

  const name = person.data ? `${person.data.firstName} ${person.data.lastName}`.trim() : '';
  const institution = person.data?.relinkInstitution ?? 'your bank';
  const otherBanks = person.data?.banks.filter((b) => b.id !== itemId) ?? [];

  let body;
  if (person.status === 'error' && !person.data) {
    body = (
      <ErrorState
        error={person.error}
        onRetry={person.reload}
        title="The bank connection screen could not open"
        level={1}
      />
    );
  } else if (!person.data) {
    body = <Skeleton lines={3} label="Preparing" heading="Connect your bank" />;
  } else if (phase.name === 'welcome') {
    body = (
      <>
        <h1 ref={headingRef} tabIndex={-1} data-testid="link-greeting">
          {name ? `Hello, ${name}` : 'Hello'}
        </h1>
        <p className="link-lead">
          {updateMode
            ? `Your loan officer needs you to sign in to ${institution} again so AssetDesk can keep reading your account balances and history.`
            : 'Your loan officer has asked you to connect your bank accounts so they can verify your assets. You will sign in to your bank through Plaid; your password is never shared with us.'}
        </p>
        {!updateMode && person.data.banks.length > 0 && (
          <>
            <p className="link-lead">Banks you have connected for this loan:</p>
            <BankList banks={person.data.banks} testId="borrower-banks" />
          </>
        )}
        {updateMode && otherBanks.length > 0 && (
          <>
            <p className="link-lead">Your other banks for this loan:</p>
            <BankList banks={otherBanks} testId="borrower-banks" />
          </>
        )}
        <Button id={startId} variant="primary" size="large" onClick={startLink} data-testid="link-start">
          {updateMode
            ? `Reconnect ${institution}`
            : person.data.banks.length > 0
              ? 'Connect another bank'
              : 'Connect a bank'}
        </Button>
      </>
    );
  } else if (phase.name === 'opening' || phase.name === 'linking' || phase.name === 'saving') {
    const text =
      phase.name === 'opening'
        ? 'Opening the secure bank connection…'
        : phase.name === 'linking'
          ? 'Follow the steps in the Plaid window.'
          : 'Saving your bank connection…';
    body = (
      <>
        <h1 ref={headingRef} tabIndex={-1}>
          {name}
        </h1>
        <p className="link-lead" role="status" aria-live="polite" data-testid="link-progress">
          <Spinner label="" /> {text}
        </p>
      </>
    );
  } else if (phase.name === 'success') {
    body = (
      <>
        <h1 ref={headingRef} tabIndex={-1} data-testid="link-success">
          {updateMode ? `${institution} is reconnected` : 'Thank you — your bank is connected'}
        </h1>
        <p className="link-lead">{updateMode ? 'Your banks for this loan:' : 'Banks connected so far:'}</p>
        <BankList
          // Every bank of theirs so far: a re-linked one in its place among the others, new ones after those before.
          banks={
            updateMode
              ? person.data.banks.map((b) => linked.find((l) => l.id === b.id) ?? b)
              : [...person.data.banks.filter((b) => !linked.some((l) => l.id === b.id)), ...linked]
          }
          testId="linked-banks"
          {...(updateMode && itemId ? { reconnectedId: itemId } : {})}
        />
        <div className="link-actions">
          {!updateMode && (
            <Button id={anotherId} size="large" onClick={startLink} data-testid="link-another">
              Link another bank
            </Button>
          )}
          <Button variant="primary" size="large" onClick={returnToOfficer} data-testid="link-done">
            Done — return to officer
          </Button>
        </div>
      </>
    );
  } else if (phase.name === 'stalled') {
    body = (
      <>
        <h1 ref={headingRef} tabIndex={-1} data-testid="link-stalled">
          The bank connection did not open
        </h1>
        <p className="link-lead" role="alert">
          Plaid’s window did not load. Check the internet connection and try again, or cancel and hand the computer back
          to your loan officer.
        </p>
        <div className="link-actions">
          <Button variant="primary" size="large" onClick={startLink} data-testid="link-retry">
            Try again
          </Button>
          <Button
            size="large"
            onClick={() => {
              // Back to the screen with the borrower's banks so far: the first one, or the one after a bank linked.
              refocusStartRef.current = true;
              setPhase(linked.length > 0 ? { name: 'success' } : { name: 'welcome' });
            }}
            data-testid="link-cancel"
          >
            Cancel
          </Button>
        </div>
      </>
    );
  } else if (phase.name === 'exited') {
    body = (
      <>
        <h1 ref={headingRef} tabIndex={-1} data-testid="link-exited">
          The bank was not connected
        </h1>
        <p className="link-lead" role="alert" data-testid="link-exit-message">
          {phase.message}
          {phase.code && <span className="muted mono"> ({phase.code})</span>}
        </p>
        <div className="link-actions">
          <Button variant="primary" size="large" onClick={startLink} data-testid="link-retry">
            Try again
          </Button>
          {linked.length > 0 && (
            <Button size="large" onClick={() => setPhase({ name: 'success' })}>
              See connected banks
            </Button>
          )}
        </div>
      </>
    );
  } else {
    const error = toAppError(phase.error);
    // Plaid's script did not load (offline, blocked): Plaid's hosted page still works from a link.
    const offerHosted = error.code === LINK_SCRIPT_UNAVAILABLE && !updateMode;
    body = (
      <>
        <h1 ref={headingRef} tabIndex={-1} data-testid="link-error">
          Something went wrong
        </h1>
        <p className="link-lead" role="alert" data-testid="link-error-message">
          {error.message}
        </p>
        {offerHosted && (
          <p className="link-lead" data-testid="link-hosted-offer">
            You can also connect from your own phone or computer: your loan officer sends you a secure Plaid link.
          </p>
        )}
        {error.retryable ? (
          <div className="link-actions">
            <Button variant="primary" size="large" onClick={startLink} data-testid="link-retry">
              Try again
            </Button>
            {offerHosted && (
              <Button
                size="large"
                onClick={() => setHosted(createHostedLink(applicantId))}
                data-testid="link-use-hosted"
              >
                Use a link instead
              </Button>
            )}
          </div>
        ) : (
          <p className="link-lead">Please hand the computer back to your loan officer.</p>
        )}
      </>
    );
  }

  return (
    <div className="link-mode" data-testid="link-mode">
      <header className="link-topbar">
        <span className="brand">Connect your bank</span>
        {name && (
          <span className="link-person" data-testid="link-person">
            {name}
          </span>
        )}
        <span className="spacer" />
        <Button onClick={returnToOfficer} data-testid="return-to-officer">
          Return to officer
        </Button>
      </header>
      <main className="link-main">
        <div className="link-card">{body}</div>
      </main>
      {pinOpen && <OfficerPinDialog onClose={() => setPinOpen(false)} onReturned={returned} />}
      {hosted && (
        <HostedLinkDialog
          applicantId={applicantId}
          applicantName={name}
          creation={hosted}
          onClose={() => setHosted(null)}
          onLinked={() => void hostedLinked()}
        />
      )}
    </div>
  );
}

/** "Return to officer": the officer types their PIN; a wrong one is refused and the applicant stays. */
function OfficerPinDialog({ onClose, onReturned }: { onClose(): void; onReturned(status: HandoffStatus): void }) {
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [checking, setChecking] = useState(false);
  const formId = 'officer-pin-return';
  // Where the computer offers its own check of the officer (Touch ID on a Mac), it stands in for the PIN.
  const handoff = useLoad(() => api.handoffStatus({}), []);
  const osUnlock = handoff.status === 'ready' && handoff.data.osUnlock;
  const unlockWithOs = async () => {
    setChecking(true);
    try {
      const status = await api.handoffEndWithOs({});
      if (status.active) setError('The hand-off is still on; try again.');
      else onReturned(status);
    } catch (caught) {
      setError(toAppError(caught).message);
    } finally {
      setChecking(false);
    }
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!pin) {
      setError('Enter the officer PIN');
      return;
    }
    setChecking(true);
    try {
      const status = await api.handoffEnd({ pin });
      if (status.active) setError('The hand-off is still on; try again.');
      else onReturned(status);
    } catch (caught) {
      setError(toAppError(caught).message);
      setPin('');
    } finally {
      setChecking(false);
    }
  };
  return (
    <Dialog
      title="Officer PIN"
      onClose={onClose}
      size="small"
      testId="officer-pin-dialog"
      footer={
        <>
          <Button onClick={onClose} data-testid="officer-pin-cancel">
            Keep the applicant’s screen
          </Button>
          {osUnlock && (
            <Button onClick={() => void unlockWithOs()} busy={checking} data-testid="officer-os-unlock">
              Use Touch ID
            </Button>
          )}
          <Button variant="primary" type="submit" form={formId} busy={checking} data-testid="officer-pin-submit">
            Return to officer
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <p>The loan officer enters their PIN to return to the desk.</p>
        <TextField
          label="Officer PIN"
          name="pin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          autoFocus
          value={pin}
          onChange={(e) => {
            setPin(e.target.value);
            setError(undefined);
          }}
          error={error}
          data-testid="officer-pin"
        />
      </form>
    </Dialog>
  );
}
