import { ADMIN_GROUP_PERMISSIONS, AdminGroupService } from '../services/admin-group';
import { AdminService } from '../services/admins';
import { CLI_ACTOR } from '../services/actor';
import type { Db } from '../store/db';

export const ADMINS_USAGE = `  admins list [--org <slug>]                    who is a named Panelist admin, and the admin group
  admins add teams <object id> [--org <slug>]   make a Teams user (Entra object id) an admin: edits every spec, grants
  admins remove teams <object id> [--org <slug>]
  admins group set <group object id> [--org <slug>]   members of this Entra group are Teams admins too
  admins group clear [--org <slug>]             no admin group: only named admins`;

/** Wrong argument counts are refused by main.ts (adminsMisuse) before the database opens. */
export function adminsMisuse(action: string, args: string[]): string | undefined {
  if (action === 'list') return args.length > 0 ? 'admins list takes no arguments (only --org).' : undefined;
  if (action === 'group') {
    if (args[0] === 'set')
      return args.length === 2 ? undefined : 'admins group set takes one group: panelist admins group set <group object id>';
    if (args[0] === 'clear') return args.length === 1 ? undefined : 'admins group clear takes no arguments (only --org).';
    return 'admins group takes set <group object id>, or clear.';
  }
  return args.length === 2 ? undefined : `admins ${action} takes a platform and a user id: panelist admins ${action} teams <object id>`;
}

/**
 * `panelist admins …`: Teams admins are named on purpose, not inferred from team ownership, or are
 * members of an Entra group the operator names. Each change is written to the audit table with the
 * CLI as its actor.
 */
export async function runAdmins(
  db: Db,
  organizationId: string,
  orgSlug: string,
  action: string,
  args: string[],
  out: (line: string) => void,
): Promise<number> {
  const admins = new AdminService(db);
  const context = { organizationId, actor: CLI_ACTOR };
  if (action === 'list') {
    const [rows, group] = await Promise.all([admins.list(organizationId), new AdminGroupService(db).get(organizationId)]);
    if (rows.length === 0 && !group)
      out(
        `No named admins in "${orgSlug}". Slack workspace admins and owners are admins of their own workspace's organization without being named.`,
      );
    for (const row of rows) out([row.platform, row.userId, `added by ${row.addedBy}`, row.createdAt.toISOString()].join('\t'));
    if (group) out(['teams group', group.groupId, `set by ${group.setBy}`, group.setAt.toISOString()].join('\t'));
    return 0;
  }
  if (action === 'group') return runGroup(new AdminGroupService(db), context, orgSlug, args, out);
  const [platform, userId] = args as [string, string];
  if (action === 'add') {
    const { changed } = await admins.add(context, platform, userId);
    out(
      changed
        ? `${userId} is now a Panelist admin of "${orgSlug}" in Teams.`
        : `${userId} was already a Panelist admin of "${orgSlug}"; nothing changed.`,
    );
    return 0;
  }
  const { changed } = await admins.remove(context, platform, userId);
  out(
    changed
      ? `${userId} is no longer a Panelist admin of "${orgSlug}"; they keep any grants they were given.`
      : `${userId} was not a Panelist admin of "${orgSlug}"; nothing changed.`,
  );
  return 0;
}

async function runGroup(
  groups: AdminGroupService,
  context: { organizationId: string; actor: typeof CLI_ACTOR },
  orgSlug: string,
  args: string[],
  out: (line: string) => void,
): Promise<number> {
  if (args[0] === 'clear') {
    const { changed, previous } = await groups.clear(context);
    out(
      changed
        ? `Members of Entra group ${previous} are no longer Panelist admins of "${orgSlug}" from their next command; named admins stay.`
        : `"${orgSlug}" had no admin group; nothing changed.`,
    );
    return 0;
  }
  const groupId = args[1]!;
  const { changed, previous } = await groups.set(context, groupId);
  if (!changed) {
    out(`${previous} is already the admin group of "${orgSlug}"; nothing changed.`);
    return 0;
  }
  out(
    `Members of Entra group ${groupId.toLowerCase()} are now Panelist admins of "${orgSlug}" in Teams${previous ? ` (instead of ${previous}'s)` : ''}.`,
  );
  out(
    `Panelist asks Microsoft Graph when they edit or grant: the app registration needs the ${ADMIN_GROUP_PERMISSIONS}, with admin consent.`,
  );
  return 0;
}
