import { foldForSearch } from '../../../shared/search';
import type { Migration } from './types';

/**
 * Search that finds "Ñúñez" from "nunez" (and any script's capitals): the applicants' search column is
 * refilled in its folded form (Unicode NFKD, marks removed, lower-cased), and reports gain a folded
 * copy of their bank names. SQLite's lower() only knows ASCII, so the folding is done here in JS.
 */
export const migration007: Migration = {
  version: 7,
  name: 'accent-folded search',
  up(db) {
    db.function('assetdesk_fold', { deterministic: true }, (text: unknown) =>
      foldForSearch(typeof text === 'string' ? text : ''),
    );
    db.exec(`
      UPDATE applicants SET search_text = assetdesk_fold(
        first_name || ' ' || coalesce(middle_name || ' ', '') || last_name || ' ' || loan_number || ' ' || email
      );
      ALTER TABLE reports ADD COLUMN institutions_search TEXT NOT NULL DEFAULT '';
      UPDATE reports SET institutions_search = assetdesk_fold(institutions);
    `);
  },
};
