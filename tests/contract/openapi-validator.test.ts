import { FAKE_LINK_TOKEN } from '../helpers/fake-tokens';
import { SpecValidator } from './openapi-validator';

/** The contract checker itself: a response with a missing field, a wrong type or an unknown enum value must fail. */
const validator = new SpecValidator();
const good = {
  link_token: FAKE_LINK_TOKEN,
  expiration: '2020-03-27T12:56:34Z',
  request_id: 'XQVgFigpGHXkb0b',
};

it('accepts a valid response', () => {
  expect(() => validator.check('LinkTokenCreateResponse', good, 'sample')).not.toThrow();
});

it('rejects a missing required field', () => {
  const { expiration: _e, ...missing } = good;
  expect(() => validator.check('LinkTokenCreateResponse', missing, 'sample')).toThrow(/expiration/);
});

it('rejects a wrong type', () => {
  expect(() => validator.check('LinkTokenCreateResponse', { ...good, expiration: 12 }, 'sample')).toThrow(
    /must be string/,
  );
});

it('rejects an unknown enum value', () => {
  const error = { error_type: 'NOT_A_TYPE', error_code: 'X', error_message: '', display_message: null };
  expect(() => validator.check('PlaidError', error, 'sample')).toThrow(/allowed values/);
});

it('treats OpenAPI nullable as allowing null only where declared', () => {
  expect(() =>
    validator.check(
      'PlaidError',
      { error_type: 'API_ERROR', error_code: 'X', error_message: '', display_message: null },
      'sample',
    ),
  ).not.toThrow();
  expect(() =>
    validator.check(
      'PlaidError',
      { error_type: 'API_ERROR', error_code: null, error_message: '', display_message: null },
      'sample',
    ),
  ).toThrow();
});
