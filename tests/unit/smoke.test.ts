import Database from 'better-sqlite3';
test('sqlite loads under the test runtime', () => {
  const db = new Database(':memory:');
  expect(db.prepare('select 1 as one').get()).toEqual({ one: 1 });
});
