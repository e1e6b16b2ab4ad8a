import type { AssetDeskStore } from '../../db';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { ReportSummary } from '../../../shared/domain';
import { readAssetReport, transferEvidence } from '../../../shared/underwriting';

/** A ready report's content as the lens reads it, and what it lends another report's analysis as transfer evidence. */
export interface ReadyContent {
  content: AssetReportGetResult;
  /** Accounts and withdrawals only (transferEvidence), made once per report. */
  evidence(): AssetReportGetResult;
  /** The evidence as JSON text, for the renderer (underwriting:otherReports), made once per report. */
  evidenceJson(): string;
}

interface Entry extends ReadyContent {
  readyAt: string;
  /** The stored JSON's length (a fair upper bound of the parsed form's memory), plus the evidence's JSON once made. */
  size: number;
}

export interface ReadyContentLimits {
  reports: number;
  jsonBytes: number;
}

/**
 * A heavy report (38,000 transactions) is about 35 MB of JSON, and its evidence's JSON as much again once a
 * co-borrower's report has asked for it (making it again is 140-190 ms): two co-borrowers' heavy reports fit whole
 * (each open used to hold as much while it ran); a third evicts the oldest used. Most reports are a megabyte or two,
 * so the count is what usually binds.
 */
export const READY_CONTENT_LIMITS: ReadyContentLimits = { reports: 6, jsonBytes: 160 * 1024 * 1024 };

/** Lets whatever else waits on the main process's event loop (IPC calls, timers) run first. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Freezes a value and everything in it: what several readers share, none can change. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const part of Object.values(value)) deepFreeze(part);
  }
  return value;
}

/**
 * Ready reports' decrypted, parsed and checked content, kept in the main process's memory between opens (never
 * written anywhere): a ready report's stored content never changes (a refresh is a new report, a removal deletes it),
 * and a heavy one takes a few hundred ms to read. An entry is used only while the store lists its report as ready
 * with the same ready time; it goes when the report is removed, when the store says it is no longer ready, and all
 * go when the store itself changes (another history, a team desk). Every reader shares one copy: the lens's
 * analysis and transferEvidence only read it (freezing a heavy report would cost about 180 ms more).
 */
export class ReadyContentCache {
  private store: AssetDeskStore | null = null;
  /** In order of last use, oldest first. */
  private readonly entries = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<Entry | null>>();
  private bytes = 0;
  /** Moves on whenever something kept is dropped: a read that began before is answered but not kept. */
  private drops = 0;

  constructor(private readonly limits: ReadyContentLimits = READY_CONTENT_LIMITS) {}

  /**
   * The content of a ready report, or null when it cannot be read (a damaged report is evidence of nothing; its own
   * screen says what is wrong with it).
   */
  async read(store: AssetDeskStore, report: ReportSummary): Promise<ReadyContent | null> {
    if (store !== this.store) {
      this.clear();
      this.store = store;
    }
    if (report.status !== 'ready' || report.readyAt === null) {
      this.forget(report.id);
      return null;
    }
    const kept = this.entries.get(report.id);
    if (kept?.readyAt === report.readyAt) {
      this.entries.delete(report.id); // to the newest end
      this.entries.set(report.id, kept);
      return kept;
    }
    this.forget(report.id);
    const key = `${report.id}\n${report.readyAt}`;
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.load(store, report, report.readyAt).finally(() => this.reading.delete(key));
      this.reading.set(key, reading);
    }
    return reading;
  }

  /** Drops what is kept of the loan's reports the store no longer lists as ready (removed at this desk or another). */
  settle(loanReports: readonly ReportSummary[]): void {
    for (const report of loanReports) {
      const kept = this.entries.get(report.id);
      if (kept && (report.status !== 'ready' || kept.readyAt !== report.readyAt)) this.forget(report.id);
    }
  }

  forget(reportId: string): void {
    if (this.evict(reportId)) this.drops += 1;
  }

  clear(): void {
    this.entries.clear();
    this.reading.clear();
    this.bytes = 0;
    this.drops += 1;
    this.store = null;
  }

  /** Whether a report's content is kept now (for tests). */
  holds(reportId: string): boolean {
    return this.entries.has(reportId);
  }

  /** What is kept now (for tests and the bench). */
  get size(): { reports: number; jsonBytes: number } {
    return { reports: this.entries.size, jsonBytes: this.bytes };
  }

  private async load(store: AssetDeskStore, report: ReportSummary, readyAt: string): Promise<Entry | null> {
    const drops = this.drops;
    let text: string;
    let content: AssetReportGetResult;
    try {
      // A heavy report's read, parse and check are each a few hundred ms of the main thread's time: the other IPC
      // calls, the window's included, are answered between them rather than after all three.
      await nextTurn();
      text = await store.reports.readJsonText(report.id);
      await nextTurn();
      const parsed: unknown = JSON.parse(text);
      await nextTurn();
      const read = readAssetReport(parsed);
      if (!read.ok) return null;
      content = read.result;
    } catch {
      return null;
    }
    let evidence: AssetReportGetResult | undefined;
    let evidenceJson: string | undefined;
    const entry: Entry = {
      readyAt,
      size: text.length,
      content,
      evidence: () => (evidence ??= transferEvidence(content)),
      evidenceJson: () => {
        if (evidenceJson === undefined) {
          evidenceJson = JSON.stringify(entry.evidence());
          this.grow(report.id, entry, evidenceJson.length); // nearly the report's size again: most rows are withdrawals
        }
        return evidenceJson;
      },
    };
    // The store changed or a report went while this one was being read: answered, not kept.
    if (drops === this.drops && store === this.store) this.keep(report.id, entry);
    return entry;
  }

  private keep(reportId: string, entry: Entry): void {
    if (entry.size > this.limits.jsonBytes || this.limits.reports < 1) return;
    this.evict(reportId);
    this.entries.set(reportId, entry);
    this.bytes += entry.size;
    this.withinLimits();
  }

  /** A kept entry's memory grew (its evidence's JSON was made): counted, and the oldest go if that is too much. */
  private grow(reportId: string, entry: Entry, bytes: number): void {
    entry.size += bytes;
    if (this.entries.get(reportId) !== entry) return;
    this.bytes += bytes;
    this.withinLimits();
  }

  private withinLimits(): void {
    for (const [id] of this.entries) {
      if (this.entries.size <= this.limits.reports && this.bytes <= this.limits.jsonBytes) break;
      this.evict(id);
    }
  }

  private evict(reportId: string): boolean {
    const kept = this.entries.get(reportId);
    if (!kept) return false;
    this.entries.delete(reportId);
    this.bytes -= kept.size;
    return true;
  }
}

/** The main process's one cache of ready reports' content (underwriting's reads of a loan's reports). */
export const readyContent = new ReadyContentCache();
