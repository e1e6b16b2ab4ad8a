import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { AssetDeskStore } from '../db';
import type { Logger } from '../log/logger';
import { writeAll } from './safe-write';

/**
 * What belongs to this computer and app, whatever history it works on: the borrower hand-off (who holds the
 * screen, the officer PIN that ends it, the wrong tries) and the webhook receiver's port. On a team the history's
 * settings are the branch's, so keeping these there would lock every desk when one hands off or give every desk
 * one port, and a member may not write them at all. Kept in `desk.json` in the user-data folder (owner-only,
 * replaced whole), read once and then answered from memory.
 */

const HandoffActive = z.object({
  applicantId: z.string(),
  // A hand-off saved before loans existed has no loan: features/handoff.ts looks its borrower's loan up.
  loanId: z.string().optional(),
  itemId: z.string().nullable(),
});
const StoredPin = z.object({
  algorithm: z.literal('scrypt'),
  salt: z.string(),
  hash: z.string(),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
});
const FailedTries = z.object({ count: z.number().int(), waitUntil: z.string().nullable() });

const DeskValues = z.object({
  /** The borrower holding this computer and their loan; null at the officer's desk. */
  handoffActive: HandoffActive.nullable(),
  /** The officer PIN of this desk, as a salted scrypt hash, never the PIN. */
  officerPin: StoredPin.nullable(),
  /** Wrong PINs in a row at this desk, and until when no PIN is checked. */
  handoffFailedTries: FailedTries,
  /** This desk's webhook receiver port, kept while a public webhook URL forwards to it (webhook-desk.ts). */
  webhookPort: z.number().int().min(0).max(65_535).nullable(),
});
export type DeskValues = z.infer<typeof DeskValues>;
export type DeskKey = keyof DeskValues;

const DEFAULTS: DeskValues = {
  handoffActive: null,
  officerPin: null,
  handoffFailedTries: { count: 0, waitUntil: null },
  webhookPort: null,
};

const DeskFile = z.object({ format: z.literal(1), values: DeskValues.partial() });

export const DESK_STATE_FILE = 'desk.json';

export interface DeskState {
  value<K extends DeskKey>(key: K): DeskValues[K];
  /** Saves the value before answering (a restart of the app keeps it). */
  update<K extends DeskKey>(key: K, value: DeskValues[K]): void;
  /** Whether this desk ever saved `key` (an older history's value is taken only where the desk has none). */
  has(key: DeskKey): boolean;
}

export function openDeskState(userDataDir: string, logger?: Logger): DeskState {
  const file = join(userDataDir, DESK_STATE_FILE);
  let saved: Partial<DeskValues> | null = null;
  const read = (): Partial<DeskValues> => {
    saved ??= readDeskFile(file, logger);
    return saved;
  };
  return {
    value: (key) => (read()[key] ?? DEFAULTS[key]) as DeskValues[typeof key],
    update(key, value) {
      const next = { ...read(), [key]: DeskValues.shape[key].parse(value) };
      writeDeskFile(file, { format: 1, values: next });
      saved = next;
    },
    has: (key) => read()[key] !== undefined,
  };
}

function readDeskFile(file: string, logger?: Logger): Partial<DeskValues> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return {};
    throw deskStateError(error, 'read');
  }
  const parsed = DeskFile.safeParse(
    (() => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return null;
      }
    })(),
  );
  if (parsed.success) return parsed.data.values;
  // Only a hand-edited or foreign file gets here (it is replaced whole, never half-written): it is set aside,
  // and this desk starts with no PIN and no hand-off, which the officer sees at once.
  const aside = `${file}.damaged-${Date.now()}`;
  renameSync(file, aside);
  logger?.warn('desk state file was unreadable; set aside', { file: aside });
  return {};
}

/** Written under a temporary name, flushed, then renamed into place: a crash leaves the old file or the new. */
function writeDeskFile(file: string, content: z.infer<typeof DeskFile>): void {
  const temp = `${file}.partial-${randomBytes(4).toString('hex')}`;
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    fchmodSync(fd, 0o600);
    writeAll(fd, `${JSON.stringify(content, null, 2)}\n`);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, file);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw deskStateError(error, 'save');
  }
}

function deskStateError(error: unknown, verb: 'read' | 'save'): AppError {
  const code = (error as { code?: unknown }).code;
  return new AppError(
    {
      code: ErrorCodes.internal,
      message:
        `AssetDesk could not ${verb} this computer's hand-off settings in its own folder` +
        `${typeof code === 'string' ? ` (${code})` : ''}. ` +
        (code === 'ENOSPC' ? 'Free some disk space, then try again.' : 'Check the disk, then try again.'),
      retryable: true,
    },
    { cause: error },
  );
}

/** Settings an older version kept in the history, now this desk's own. */
const FROM_HISTORY: readonly DeskKey[] = ['officerPin', 'handoffActive', 'handoffFailedTries', 'webhookPort'];

/**
 * Moves what an older version kept in the history's settings onto this desk (once; a value the desk already has
 * wins) and removes it from the history. Run by a desk that may write the history's settings: the local history's
 * own, or the team admin's (the only role an older version let write them on a team). Other members leave the
 * rows alone: they were never theirs.
 */
export async function adoptDeskSettingsFromHistory(store: AssetDeskStore, desk: DeskState): Promise<void> {
  for (const key of FROM_HISTORY) {
    const legacy = await store.settings.get<unknown>(key, undefined);
    if (legacy === undefined) continue;
    if (!desk.has(key)) {
      const parsed = DeskValues.shape[key].safeParse(legacy);
      if (parsed.success) desk.update(key, parsed.data as never);
    }
    await store.settings.remove(key);
  }
}
