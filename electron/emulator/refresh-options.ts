/**
 * The options of a report made by /asset_report/refresh: the original report's options, each one the request
 * gives overriding it. `user` is overridden field by field (a request naming only `first_name` keeps the rest);
 * an empty string clears a field (null in the new report), as Plaid documents for this endpoint.
 */
type Body = Record<string, unknown>;

const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const cleared = (value: unknown): unknown => (value === '' ? null : value);

export function refreshOptions(original: Body, given: unknown): Body {
  const options: Body = { ...original };
  if (!isObject(given)) return options;
  for (const [key, value] of Object.entries(given)) {
    if (key === 'user' && isObject(value)) {
      const user: Body = isObject(original.user) ? { ...original.user } : {};
      for (const [field, fieldValue] of Object.entries(value)) user[field] = cleared(fieldValue);
      options.user = user;
    } else {
      options[key] = cleared(value);
    }
  }
  return options;
}
