import type { Migration } from './types';

/**
 * Who did each thing (issue 16): the activity log names its actor. The team database fills it from the
 * member's own database role; on a desk's local history it stays empty, since the desk's officer did it all.
 */
export const migration010: Migration = {
  version: 10,
  name: 'activity actor',
  up(db) {
    // Adding a column fires no UPDATE trigger: the append-only log stays append-only.
    db.exec('ALTER TABLE activity ADD COLUMN actor TEXT');
  },
};
