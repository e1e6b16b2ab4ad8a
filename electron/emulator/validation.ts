import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import requestSchemas from './openapi/request-schemas.json';
import { PlaidErrors } from './errors';

/**
 * Request validation against the request schemas extracted from Plaid's OpenAPI spec (openapi/request-schemas.json),
 * turned into Plaid's MISSING_FIELDS / UNKNOWN_FIELDS / INVALID_FIELD errors.
 */
const bundle = requestSchemas as { operations: Record<string, string>; definitions: Record<string, unknown> };

export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat('url', { type: 'string', validate: (value: string) => URL.canParse(value) });
  return ajv;
}

const ajv = createAjv();
ajv.addSchema({ $id: 'plaid-requests', definitions: bundle.definitions });
const validators = new Map<string, ValidateFunction>();

function validatorFor(path: string): ValidateFunction | null {
  const name = bundle.operations[path];
  if (!name) return null;
  let validate = validators.get(path);
  if (!validate) {
    validate = ajv.compile({ $ref: `plaid-requests#/definitions/${name}` });
    validators.set(path, validate);
  }
  return validate;
}

const fieldPath = (instancePath: string, extra?: string): string =>
  [...instancePath.split('/').filter(Boolean), ...(extra ? [extra] : [])].join('.');

function describe(error: ErrorObject): string {
  const field = fieldPath(error.instancePath) || 'body';
  switch (error.keyword) {
    case 'type':
      return `${field} must be of type ${String(error.params.type).replace(',null', '')}`;
    case 'minimum':
    case 'maximum':
      return `${field} must be an integer between the allowed bounds: ${error.keyword} is ${String(error.params.limit)}`;
    case 'minItems':
      return `${field} must contain at least ${String(error.params.limit)} item(s)`;
    case 'maxItems':
      return `${field} must contain at most ${String(error.params.limit)} items`;
    case 'minLength':
      return `${field} must not be empty`;
    case 'enum':
      return `${field} must be one of: ${(error.params.allowedValues as unknown[]).filter((v) => v !== null).join(', ')}`;
    case 'format':
      return `${field} must be a valid ${String(error.params.format)}`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}

/** Throws the Plaid error a request body earns, or returns when it matches the endpoint's schema. */
export function validateRequest(path: string, body: Record<string, unknown>): void {
  const validate = validatorFor(path);
  if (!validate || validate(body)) return;
  const errors = validate.errors ?? [];
  const missing = errors
    .filter((e) => e.keyword === 'required')
    .map((e) => fieldPath(e.instancePath, String(e.params.missingProperty)));
  if (missing.length > 0) throw PlaidErrors.missingFields([...new Set(missing)]);
  const unknown = errors
    .filter((e) => e.keyword === 'additionalProperties')
    .map((e) => fieldPath(e.instancePath, String(e.params.additionalProperty)));
  if (unknown.length > 0) throw PlaidErrors.unknownFields([...new Set(unknown)]);
  // anyOf/oneOf failures repeat their branches' errors: report the most specific one.
  const specific = errors.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf') ?? errors[0];
  throw PlaidErrors.invalidField(specific ? describe(specific) : 'the request body is invalid');
}
