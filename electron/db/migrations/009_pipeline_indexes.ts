import type { Migration } from './types';

/**
 * Indexes for the pipeline at tens of thousands of loans (issue 15): the default order (latest activity
 * first) read from an index so the first page stops after its rows; a report found by its Plaid id in any
 * case, or by its total, and an Item by its bank, without reading every row; and each loan's latest report found by its own
 * index, so the summary triggers never walk a whole environment's reports (as SQLite chose to before it had
 * statistics, e.g. on a new database).
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
    `);
  },
};
