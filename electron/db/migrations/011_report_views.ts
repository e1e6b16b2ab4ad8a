import type { Migration } from './types';

/**
 * Issue 17: each ready report keeps the view the report screen paints (shared/report-view), sealed beside its
 * JSON and PDF, so opening a large report reads a prepared block instead of parsing the whole report. Reports
 * stored before this version get theirs the first time they are opened.
 */
export const migration011: Migration = {
  version: 11,
  name: 'report views',
  up(db) {
    db.exec('ALTER TABLE report_content ADD COLUMN view_enc BLOB');
  },
};
