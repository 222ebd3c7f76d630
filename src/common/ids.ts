const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * IDs are PostgreSQL UUIDs (gen_random_uuid()), unique across every table, so `node(id)`
 * needs no type prefix. Anything else is an unknown id, never a database error.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
