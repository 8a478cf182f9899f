import { AdminService } from '../services/admins';
import { CLI_ACTOR } from '../services/actor';
import type { Db } from '../store/db';

export const ADMINS_USAGE = `  admins list [--org <slug>]                    who is a named Panelist admin
  admins add teams <object id> [--org <slug>]   make a Teams user (Entra object id) an admin: edits every spec, grants
  admins remove teams <object id> [--org <slug>]`;

/** Wrong argument counts are refused by main.ts (adminsMisuse) before the database opens. */
export function adminsMisuse(action: string, args: string[]): string | undefined {
  if (action === 'list') return args.length > 0 ? 'admins list takes no arguments (only --org).' : undefined;
  return args.length === 2 ? undefined : `admins ${action} takes a platform and a user id: panelist admins ${action} teams <object id>`;
}

/**
 * `panelist admins …`: Teams admins are named on purpose, not inferred from team ownership. Each
 * add and remove is written to the audit table with the CLI as its actor.
 */
export async function runAdmins(db: Db, organizationId: string, orgSlug: string, action: string, args: string[], out: (line: string) => void): Promise<number> {
  const admins = new AdminService(db);
  if (action === 'list') {
    const rows = await admins.list(organizationId);
    if (rows.length === 0) out(`No named admins in "${orgSlug}". Slack workspace admins and owners are admins of their own workspace's organization without being named.`);
    for (const row of rows) out([row.platform, row.userId, `added by ${row.addedBy}`, row.createdAt.toISOString()].join('\t'));
    return 0;
  }
  const [platform, userId] = args as [string, string];
  const context = { organizationId, actor: CLI_ACTOR };
  if (action === 'add') {
    const { changed } = await admins.add(context, platform, userId);
    out(changed ? `${userId} is now a Panelist admin of "${orgSlug}" in Teams.` : `${userId} was already a Panelist admin of "${orgSlug}"; nothing changed.`);
    return 0;
  }
  const { changed } = await admins.remove(context, platform, userId);
  out(changed ? `${userId} is no longer a Panelist admin of "${orgSlug}"; they keep any grants they were given.` : `${userId} was not a Panelist admin of "${orgSlug}"; nothing changed.`);
  return 0;
}
