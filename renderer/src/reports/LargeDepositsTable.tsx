import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useRef, useState } from 'react';
import type { LargeDeposit } from '../../../shared/underwriting/types';
import { Button, Chip, ErrorAlert } from '../ui';
import { formatDate, formatMoney } from './format';
import { NoteDialog } from './NoteDialog';
import type { FindingFocus } from './FindingsPanel';
import { useCan } from '../team/TeamContext';

/** What the report itself shows about a large deposit's source. */
const EVIDENCE_LABEL: Record<Exclude<LargeDeposit['evidence'], 'none'>, string> = {
  third_party: "From someone else's account",
  borrowed: 'Borrowed funds',
  gift_text: 'Looks like a gift',
};

// Rows of one fixed height, so only those in view are drawn (a heavy report has over a thousand large deposits).
const ROW_HEIGHT = 44;
const MAX_HEIGHT = 440;

interface Props {
  deposits: LargeDeposit[];
  threshold: number | null;
  onShowTransactions(focus: FindingFocus): void;
  onMarkSourced(deposit: LargeDeposit, note: string): Promise<void>;
  onUnmarkSourced(deposit: LargeDeposit): Promise<void>;
}

/**
 * Every large deposit with its source, where the officer marks one sourced with a note. Virtualized like the
 * transactions: opening the report draws the rows on screen, not all of them.
 */
export function LargeDepositsTable(props: Props) {
  // A processor reads which deposits are sourced; marking or undoing it is an officer's (team mode).
  const canSource = useCan('deposits:markSourced').allowed;
  const canUnsource = useCan('deposits:unmarkSourced').allowed;
  const [marking, setMarking] = useState<LargeDeposit | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const headingId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.deposits.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    // The first rows are drawn in the first render, before the scroll box is measured.
    initialRect: { width: 0, height: MAX_HEIGHT },
  });
  const unsourced = props.deposits.filter((d) => !d.sourced).length;

  return (
    <div className="rp-deposits" data-testid="large-deposits">
      <h3 id={headingId}>
        Large deposits{' '}
        <span className="muted" data-testid="large-deposits-count">
          ({props.deposits.length.toLocaleString('en-US')}, {unsourced.toLocaleString('en-US')} not sourced
          {props.threshold !== null ? `; single deposits above ${formatMoney(props.threshold)}` : ''})
        </span>
      </h3>
      <ErrorAlert error={error} />
      <div className="rp-txn-table" role="table" aria-labelledby={headingId} aria-rowcount={props.deposits.length + 1}>
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className="rp-deposit-grid rp-txn-head">
            <div role="columnheader">Date</div>
            <div role="columnheader">Account</div>
            <div role="columnheader">Description</div>
            <div role="columnheader" className="rp-num">
              Amount
            </div>
            <div role="columnheader">Source</div>
          </div>
        </div>
        <div
          ref={scrollRef}
          className="rp-deposit-scroll"
          role="rowgroup"
          tabIndex={0}
          aria-label="Large deposit rows, scroll with the arrow keys"
          data-testid="large-deposits-scroll"
          style={{ height: Math.min(virtualizer.getTotalSize(), MAX_HEIGHT) }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const deposit = props.deposits[v.index];
              if (!deposit) return null;
              const account = `${deposit.institutionName} · ${deposit.name}${deposit.mask ? ` ••${deposit.mask}` : ''}`;
              return (
                <div
                  key={deposit.transactionId}
                  role="row"
                  aria-rowindex={v.index + 2}
                  className="rp-deposit-grid rp-txn-row"
                  data-testid="large-deposit"
                  data-sourced={deposit.sourced}
                  style={{ transform: `translateY(${v.start}px)`, height: ROW_HEIGHT }}
                >
                  <div role="cell">{formatDate(deposit.date)}</div>
                  <div role="cell" className="rp-ellipsis" title={account}>
                    {account}
                  </div>
                  <div role="cell" className="rp-ellipsis">
                    <button
                      type="button"
                      className="rp-link-button"
                      title={deposit.description}
                      onClick={() =>
                        props.onShowTransactions({
                          label: `Deposit of ${formatMoney(deposit.amount)}`,
                          ids: new Set([deposit.transactionId]),
                        })
                      }
                    >
                      {deposit.description}
                    </button>
                  </div>
                  <div role="cell" className="rp-num">
                    {formatMoney(deposit.amount)}
                  </div>
                  <div role="cell" className="rp-deposit-source">
                    {deposit.evidence !== 'none' && (
                      <Chip tone="warning" testId={`evidence-${deposit.evidence}`}>
                        {EVIDENCE_LABEL[deposit.evidence]}
                      </Chip>
                    )}
                    {deposit.sourced ? (
                      <>
                        <Chip tone="success">Sourced</Chip>
                        <span className="rp-ellipsis" data-testid="sourced-note" title={deposit.note ?? ''}>
                          {deposit.note}
                        </span>
                        {canUnsource && (
                          <Button
                            size="small"
                            variant="ghost"
                            busy={busyId === deposit.transactionId}
                            onClick={async () => {
                              setBusyId(deposit.transactionId);
                              setError(null);
                              try {
                                await props.onUnmarkSourced(deposit);
                              } catch (err) {
                                setError(err);
                              } finally {
                                setBusyId(null);
                              }
                            }}
                          >
                            Undo
                          </Button>
                        )}
                      </>
                    ) : (
                      canSource && (
                        <Button size="small" onClick={() => setMarking(deposit)} data-testid="mark-sourced">
                          Mark as sourced
                        </Button>
                      )
                    )}
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {marking && (
        <MarkSourcedDialog
          deposit={marking}
          onClose={() => setMarking(null)}
          onSave={async (note) => {
            await props.onMarkSourced(marking, note);
            setMarking(null);
          }}
        />
      )}
    </div>
  );
}

function MarkSourcedDialog({
  deposit,
  onClose,
  onSave,
}: {
  deposit: LargeDeposit;
  onClose(): void;
  onSave(note: string): Promise<void>;
}) {
  return (
    <NoteDialog
      title={`Source of the ${formatMoney(deposit.amount)} deposit`}
      testId="mark-sourced-dialog"
      saveLabel="Mark as sourced"
      saveTestId="mark-sourced-save"
      noteLabel="How was it documented?"
      notePlaceholder="e.g. Gift letter from parents, dated …"
      noteTestId="sourced-note-input"
      noteRequired="A note is required: underwriting needs to know how the deposit was sourced."
      onClose={onClose}
      onSave={onSave}
    >
      <p>
        {formatDate(deposit.date)} · {deposit.description}
      </p>
    </NoteDialog>
  );
}
