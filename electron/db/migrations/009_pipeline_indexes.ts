import type { Migration } from './types';

/**
 * Indexes for the pipeline at tens of thousands of loans (issue 15): the default order (latest activity
 * first) read from an index, so the first page stops after its rows; a report found by its Plaid id in any
 * case or by its total, and an Item by its bank, without reading every row; and each loan's latest report
 * found through its own index, so the summary triggers never walk a whole environment's reports (as SQLite
 * chose to while it had no statistics, e.g. on a new database).
 */
export const migration009: Migration = {
  version: 9,
  name: 'pipeline indexes',
  up(db) {
    db.exec(`
      CREATE INDEX loans_by_activity ON loans (last_activity_at, id);
      CREATE INDEX reports_by_plaid_id_nocase ON reports (plaid_report_id COLLATE NOCASE);
      CREATE INDEX reports_by_total ON reports (total_balance);
      CREATE INDEX reports_by_loan_created ON reports (loan_id, environment, created_at);
      CREATE INDEX items_by_institution ON items (institution_name);
      -- Nothing reads Items by environment and status since 008; left in place it lures the summary
      -- triggers' plans into reading every Item of the environment for each borrower.
      DROP INDEX IF EXISTS items_relink;
    `);
  },
};
