import { useId, useState } from 'react';
import type { SourcedTogether } from '../../../shared/ipc/contract';
import type { LargeDepositResult, PossibleGift, SplitDeposit } from '../../../shared/underwriting/types';
import { useCan } from '../team/TeamContext';
import { Button, Chip, ErrorAlert } from '../ui';
import { formatDate, formatMoney } from './format';
import { NoteDialog } from './NoteDialog';

interface Props {
  deposits: LargeDepositResult;
  onMarkSourced(what: SourcedTogether, transactionIds: string[], note: string): Promise<void>;
  onUnmarkSourced(what: SourcedTogether, transactionIds: string[]): Promise<void>;
}

type Marking = { what: 'split_deposit'; group: SplitDeposit } | { what: 'possible_gift'; gift: PossibleGift };

const accountOf = (label: { institutionName: string; name: string; mask: string | null }) =>
  `${label.institutionName} · ${label.name}${label.mask ? ` ••${label.mask}` : ''}`;

/** Each distinct note once, in the order the deposits were sourced. */
const notesOf = (group: SplitDeposit) => [...new Set(group.deposits.flatMap((d) => (d.note === null ? [] : [d.note])))];

/**
 * The deposits below the large-deposit threshold that still need sourcing: groups of smaller deposits from one payer
 * within a week (one large deposit split up), and possible gifts. A group is sourced when every deposit is, so its
 * note is recorded on each deposit not sourced yet, and Undo withdraws every deposit's note.
 */
export function SplitDepositsAndGifts({ deposits, onMarkSourced, onUnmarkSourced }: Props) {
  // A processor reads which deposits are sourced; marking or undoing it is an officer's (team mode).
  const canSource = useCan('deposits:markSourcedTogether').allowed;
  const canUnsource = useCan('deposits:unmarkSourcedTogether').allowed;
  const [marking, setMarking] = useState<Marking | null>(null);
  const [busyKey, setBusyKey] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const splitHeading = useId();
  const giftHeading = useId();
  // A gift above the threshold is a large deposit: it is sourced in the large-deposit table, once.
  const large = new Set(deposits.deposits.map((d) => d.transactionId));
  const gifts = deposits.possibleGifts.filter((g) => !large.has(g.transactionId));
  const giftsLarge = deposits.possibleGifts.length - gifts.length;
  const groups = deposits.splitDeposits;
  if (groups.length === 0 && gifts.length === 0) return null;

  const undo = async (key: string, what: SourcedTogether, transactionIds: string[]) => {
    setBusyKey(key);
    setError(null);
    try {
      await onUnmarkSourced(what, transactionIds);
    } catch (err) {
      setError(err);
    } finally {
      setBusyKey(null);
    }
  };
  // One button per row that turns from "Mark sourced…" into "Undo": the focus stays on it either way.
  const action = (key: string, sourced: boolean, context: string, onMark: () => void, onUndo: () => void) =>
    sourced
      ? canUnsource && (
          <Button
            size="small"
            variant="ghost"
            busy={busyKey === key}
            aria-label={`Undo: ${context} no longer sourced`}
            onClick={onUndo}
            data-testid="unmark-sourced-together"
          >
            Undo
          </Button>
        )
      : canSource && (
          <Button
            size="small"
            aria-label={`Mark sourced… ${context}`}
            onClick={onMark}
            data-testid="mark-sourced-together"
          >
            Mark sourced…
          </Button>
        );

  return (
    <div className="rp-deposits" data-testid="split-deposits-and-gifts">
      <ErrorAlert error={error} />
      {groups.length > 0 && (
        <>
          <h3 id={splitHeading}>
            Deposits split up{' '}
            <span className="muted" data-testid="split-deposits-count">
              ({groups.length.toLocaleString('en-US')} group{groups.length === 1 ? '' : 's'},{' '}
              {groups.filter((g) => !g.sourced).length.toLocaleString('en-US')} not sourced; from one payer within a
              week, together above {formatMoney(deposits.threshold ?? 0)})
            </span>
          </h3>
          <table className="data-table rp-sourcing-table" aria-labelledby={splitHeading}>
            <thead>
              <tr>
                <th scope="col">Payer</th>
                <th scope="col">Account</th>
                <th scope="col">Deposits</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => {
                const key = group.transactionIds.join('|');
                const done = group.deposits.filter((d) => d.note !== null).length;
                const notes = notesOf(group);
                return (
                  <tr key={key} data-testid="split-deposit" data-sourced={group.sourced}>
                    <td>{group.payer}</td>
                    <td>{accountOf(group)}</td>
                    <td>
                      <ul className="rp-split-parts">
                        {group.deposits.map((d) => (
                          <li key={d.transactionId} data-testid="split-deposit-part" data-sourced={d.note !== null}>
                            {formatDate(d.date)} · <span className="num">{formatMoney(d.amount)}</span>
                            {!group.sourced && d.note !== null && <span className="muted"> · sourced</span>}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="num">{formatMoney(group.total)}</td>
                    <td>
                      <div className="rp-sourcing-cell">
                        {group.sourced ? (
                          <Chip tone="success">Sourced</Chip>
                        ) : done > 0 ? (
                          <Chip tone="warning">{`${done} of ${group.deposits.length} sourced`}</Chip>
                        ) : null}
                        {notes.length > 0 && <span data-testid="split-sourced-note">{notes.join('; ')}</span>}
                        {action(
                          key,
                          group.sourced,
                          `${formatMoney(group.total)} from ${group.payer}`,
                          () => setMarking({ what: 'split_deposit', group }),
                          () =>
                            void undo(key, 'split_deposit', [
                              ...new Set(
                                group.deposits.flatMap((d) => (d.noteTransactionId ? [d.noteTransactionId] : [])),
                              ),
                            ]),
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      {gifts.length > 0 && (
        <>
          <h3 id={giftHeading}>
            Possible gifts{' '}
            <span className="muted" data-testid="possible-gifts-count">
              ({gifts.length.toLocaleString('en-US')}, {gifts.filter((g) => !g.sourced).length.toLocaleString('en-US')}{' '}
              not sourced
              {deposits.threshold !== null ? `; not above ${formatMoney(deposits.threshold)}` : ''})
            </span>
          </h3>
          <table className="data-table rp-sourcing-table" aria-labelledby={giftHeading}>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Account</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Amount
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {gifts.map((gift) => (
                <tr key={gift.transactionId} data-testid="possible-gift" data-sourced={gift.sourced}>
                  <td>{formatDate(gift.date)}</td>
                  <td>{accountOf(gift)}</td>
                  <td>{gift.description}</td>
                  <td className="num">{formatMoney(gift.amount)}</td>
                  <td>
                    <div className="rp-sourcing-cell">
                      {gift.sourced && <Chip tone="success">Sourced</Chip>}
                      {gift.note !== null && <span data-testid="gift-sourced-note">{gift.note}</span>}
                      {action(
                        gift.transactionId,
                        gift.sourced,
                        `${formatMoney(gift.amount)} on ${formatDate(gift.date)}`,
                        () => setMarking({ what: 'possible_gift', gift }),
                        () =>
                          void undo(gift.transactionId, 'possible_gift', [
                            gift.noteTransactionId ?? gift.transactionId,
                          ]),
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {giftsLarge > 0 && (
        <p className="muted" data-testid="gifts-in-large-deposits">
          {giftsLarge === 1 ? '1 more possible gift is' : `${giftsLarge} more possible gifts are`} above the threshold:
          source {giftsLarge === 1 ? 'it' : 'them'} in the large-deposit table.
        </p>
      )}
      {marking && (
        <MarkSourcedDialog
          marking={marking}
          onClose={() => setMarking(null)}
          onSave={async (note) => {
            if (marking.what === 'split_deposit') {
              const open = marking.group.deposits.filter((d) => d.note === null).map((d) => d.transactionId);
              await onMarkSourced('split_deposit', open, note);
            } else await onMarkSourced('possible_gift', [marking.gift.transactionId], note);
            setMarking(null);
          }}
        />
      )}
    </div>
  );
}

/** The large deposits' note dialog, saying which deposits the note goes on. */
function MarkSourcedDialog({
  marking,
  onClose,
  onSave,
}: {
  marking: Marking;
  onClose(): void;
  onSave(note: string): Promise<void>;
}) {
  const split = marking.what === 'split_deposit' ? marking.group : null;
  const open = split?.deposits.filter((d) => d.note === null) ?? [];
  return (
    <NoteDialog
      title={
        split
          ? `Source of the ${formatMoney(split.total)} split into ${split.deposits.length} deposits`
          : `Source of the ${formatMoney(marking.what === 'possible_gift' ? marking.gift.amount : 0)} possible gift`
      }
      testId="mark-sourced-dialog"
      saveLabel="Mark as sourced"
      saveTestId="mark-sourced-save"
      noteLabel="How was it documented?"
      notePlaceholder={split ? 'e.g. Sale of a car, bill of sale dated …' : 'e.g. Gift letter from parents, dated …'}
      noteTestId="sourced-note-input"
      noteRequired="A note is required: underwriting needs to know how the deposit was sourced."
      onClose={onClose}
      onSave={onSave}
    >
      {split ? (
        <>
          <p>
            {split.payer} into {accountOf(split)}:{' '}
            {split.deposits.map((d) => `${formatDate(d.date)} ${formatMoney(d.amount)}`).join(', ')}.
          </p>
          <p className="muted">
            {open.length === split.deposits.length
              ? `The note is recorded on each of the ${open.length} deposits.`
              : `The note is recorded on the ${open.length} deposit${open.length === 1 ? '' : 's'} not sourced yet; the others keep their own.`}
          </p>
        </>
      ) : (
        marking.what === 'possible_gift' && (
          <p>
            {formatDate(marking.gift.date)} · {marking.gift.description}
          </p>
        )
      )}
    </NoteDialog>
  );
}
