import type { Migration } from './types';

/**
 * Issue 17: beside its whole view, each ready report keeps the view's first screen (the newest transactions and
 * the head; shared/report-view), so the report screen paints from a few KB while the whole view travels.
 * Reports stored before this version get theirs the first time they are opened.
 */
export const migration012: Migration = {
  version: 12,
  name: 'report first screens',
  up(db) {
    db.exec('ALTER TABLE report_content ADD COLUMN view_first_enc BLOB');
  },
};
