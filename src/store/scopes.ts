/**
 * The scope a grant or a subscription has when it covers every spec of an organization; any other
 * scope is one spec's id. SQL that reads scopes (digest-view-sql.ts) and the services that write
 * them (services/permissions.ts, ALL_SPECS) share this one value.
 */
export const ALL_SPECS_SCOPE = '*';
