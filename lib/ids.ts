const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Row ids in paths are UUIDs; anything else is a 404 without a query. */
export const isUuid = (id: string): boolean => UUID.test(id);
