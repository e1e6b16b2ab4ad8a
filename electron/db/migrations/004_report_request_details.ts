import type { Migration } from './types';

/**
 * What a report was asked for, on its own row: the accounts a filter left out (needed to resubmit it
 * after a crash; until now only in the activity log), and the day Plaid generated it (names export
 * files without unpacking the whole report).
 */
export const migration004: Migration = {
  version: 4,
  name: 'report request details',
  up(db) {
    db.exec(`
      ALTER TABLE reports ADD COLUMN excluded_account_ids TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE reports ADD COLUMN generated_on TEXT;
    `);
    // Filters made before this version: their request entry in the activity log is the only record.
    const requests = db
      .prepare(
        `SELECT report_id AS id, detail FROM activity
         WHERE action = 'report_filter_requested' AND report_id IS NOT NULL ORDER BY id`,
      )
      .all() as { id: string; detail: string }[];
    const store = db.prepare("UPDATE reports SET excluded_account_ids = ? WHERE id = ? AND kind = 'filter'");
    for (const request of requests) {
      const ids = (JSON.parse(request.detail) as { accountIdsToExclude?: unknown }).accountIdsToExclude;
      const accountIds = Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
      store.run(JSON.stringify(accountIds), request.id);
    }
  },
};
