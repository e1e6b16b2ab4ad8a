import type { ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { toAppError } from '../ui';

export interface OpeningReport {
  summary: ReportSummary;
  view: Uint8Array | null;
}

/**
 * The report's first screen (see shared/report-view), read to open it. `reports:view` answers REPORT_NOT_READY
 * for a report Plaid is still generating (or that failed or was removed); the viewer still needs its summary to
 * show progress, so it reads that one summary.
 */
async function readViewOrSummary(reportId: string): Promise<OpeningReport> {
  try {
    return await api.reportsView({ reportId, part: 'firstScreen' });
  } catch (error) {
    if (toAppError(error).code !== 'REPORT_NOT_READY') throw error;
    const summary = await api.reportsSummary({ reportId });
    // It became ready in between: its view can be read now.
    if (summary.status === 'ready') return api.reportsView({ reportId, part: 'firstScreen' });
    return { summary, view: null };
  }
}

/** How long a first screen read at a navigation waits for its screen to take it; after that it is let go. */
const OPENING_KEPT_MS = 2000;
/** A read started this recently (a press on the report's link, then its click) is the one the navigation takes. */
const OPENING_REUSED_MS = 1000;

/** The first screen read at the latest navigation to a report, until its screen takes it. */
interface Opening {
  reportId: string;
  answer: Promise<OpeningReport>;
  /** The answer, once it is here. */
  arrived?: OpeningReport;
  /** What the screen made of the arrived answer (asked for again by a second render of the same mount). */
  prepared?: unknown;
  /** Taken by the screen: a later read of this report is a new one. */
  taken: boolean;
  startedAt: number;
  dropTimer: ReturnType<typeof setTimeout>;
}
let opening: Opening | null = null;

/** Lets the first screen read at a navigation go (its time is up, or the officer went elsewhere). */
export function forgetOpening(): void {
  if (opening) clearTimeout(opening.dropTimer);
  opening = null;
}

/**
 * Starts reading a report's first screen at the navigation that opens it, before React swaps the screens (or at
 * the press on its link: the navigation a moment later takes that read). The returned promise settles (never
 * rejects) when the answer is here, so the router can keep the current screen until then and the report screen
 * opens whole (see arrivedOpening). A failure is the screen's to show.
 */
export function startOpeningReport(reportId: string): Promise<void> {
  const recent =
    opening?.reportId === reportId && !opening.taken && performance.now() - opening.startedAt < OPENING_REUSED_MS
      ? opening
      : null;
  const started = recent ?? openingOf(reportId);
  return started.answer.then(
    (arrived) => void (started.arrived = arrived),
    () => {},
  );
}

function openingOf(reportId: string): Opening {
  forgetOpening();
  const answer = readViewOrSummary(reportId);
  opening = {
    reportId,
    answer,
    taken: false,
    startedAt: performance.now(),
    dropTimer: setTimeout(forgetOpening, OPENING_KEPT_MS),
  };
  return opening;
}

/**
 * The report screen's first render: the arrived first screen of this report, made into what the screen shows by
 * `prepare` (once; a second render of the same mount gets the same object). Undefined when none has arrived.
 */
export function arrivedOpening<T>(reportId: string, prepare: (answer: OpeningReport) => T): T | undefined {
  const current = opening;
  if (current?.reportId !== reportId || !current.arrived) return undefined;
  if (current.prepared === undefined) {
    if (current.taken) return undefined;
    current.taken = true;
    current.prepared = prepare(current.arrived);
  }
  return current.prepared as T;
}

/** The report's first screen: the one started at the navigation when it is this report's and not yet taken. */
export function viewOrSummary(reportId: string): Promise<OpeningReport> {
  const started = opening?.reportId === reportId && !opening.taken ? opening.answer : null;
  if (started) opening!.taken = true;
  return started ?? readViewOrSummary(reportId);
}

/** The report screen is up: what it took at the navigation is its own now, and a later open reads again. */
export function releaseOpening(reportId: string): void {
  if (opening?.reportId === reportId && opening.taken) forgetOpening();
}
