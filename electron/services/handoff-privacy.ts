import type { EventName, EventPayload, EventSink } from '../../shared/ipc/contract';
import type { DesktopAdapters, Notice } from './desktop';

/**
 * While a borrower holds the computer, the main process keeps other loans off it: the renderer hides the
 * desk, but what it is sent it has, and the OS shows notifications over any screen. Every event and notice
 * passes here; the hand-off's own loan still gets its events (its borrower's screen may read that loan file).
 */

/** Who holds the computer: the borrower and their loan. */
export interface HandoffHolder {
  applicantId: string;
  loanId: string;
}

type Screen<E extends EventName> = (payload: EventPayload<E>, holder: HandoffHolder) => EventPayload<E> | null;

/**
 * For every event, what of it may reach the screen during a hand-off (null: nothing). A new event must be
 * decided here, or the build fails. What is held back is not lost: ending the hand-off sends handoff:ended,
 * and the officer's screens read everything again.
 */
const DURING_HANDOFF: { [E in EventName]: Screen<E> } = {
  // A report's summary names its borrowers, loan number, banks and balances.
  'report:progress': (payload, holder) => (payload.loanId === holder.loanId ? payload : null),
  'link:hostedFinished': (payload, holder) => (payload.loanId === holder.loanId ? payload : null),
  // Other desks' changes: only the hand-off's own loan, and never a "reload everything".
  'team:changes': (payload, holder) =>
    !payload.resync && payload.loanIds.includes(holder.loanId)
      ? { resync: false, tables: payload.tables, loanIds: [holder.loanId] }
      : null,
  // The borrower's own Link comes back from their bank through this one.
  'link:oauthReturned': (payload) => payload,
  // These name no loan and no person.
  'log:writeFailed': (payload) => payload,
  'app:backgroundWork': (payload) => payload,
  'team:connection': (payload) => payload,
  'handoff:ended': (payload) => payload,
};

/** What an OS notice says during a hand-off when its sender gave no discreet wording. */
const GENERIC_NOTICE: Notice = { title: 'AssetDesk', body: 'Something is waiting for the loan officer.' };

/**
 * The event sink and desktop the services use: the same as given, except during a hand-off (asked of
 * `holder` at each event and notice), when events about other loans are held back and notices use their
 * discreet wording.
 */
export function privateDuringHandoff(deps: {
  events: EventSink;
  desktop: DesktopAdapters;
  holder: () => HandoffHolder | null;
}): { events: EventSink; desktop: DesktopAdapters } {
  const events: EventSink = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      const holder = deps.holder();
      const allowed = holder ? (DURING_HANDOFF[event] as Screen<E>)(payload, holder) : payload;
      if (allowed !== null) deps.events.emit(event, allowed);
    },
  };
  const desktop: DesktopAdapters = {
    ...deps.desktop,
    notify(title, body, discreet) {
      const notice = deps.holder() ? (discreet ?? GENERIC_NOTICE) : { title, body };
      deps.desktop.notify(notice.title, notice.body);
    },
  };
  return { events, desktop };
}
