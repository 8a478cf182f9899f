import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import { parseCommand, type Command } from '../domain/command';
import type { Logger } from 'pino';
import type { SlackServices } from './services';
import { draftFromSpec, buildEditModal } from './edit-modal';
import { renderHelp, renderHistory, renderSpecList } from './render/lists';
import { renderSpec } from './render/spec';
import { code, mention, mrkdwn } from './render/mrkdwn';
import { errorReply, plain, replyBody, savedReply, sentence, type Reply } from './replies';
import { runSubscriptionCommand } from './subscription-commands';

/** Reads that finish within this answer in the acknowledgement itself; Slack allows 3 s for it. */
const READ_ANSWER_IN_ACK_MS = 500;
const READS = new Set<Command['name']>(['list', 'show', 'history', 'subscriptions']);

/**
 * `/spec …`: parse (pure), then acknowledge before any write. Parse errors and help need no I/O,
 * so they are answered in the acknowledgement; so are reads that are ready within half a second, which
 * saves the user a round trip and Panelist an outbound request. Anything slower, and every change,
 * is acknowledged at once and answered by response_url.
 */
export function registerSpecCommand(app: App, services: SlackServices, logger: Logger): void {
  app.command('/spec', async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(command.text);
    if (!parsed.ok) return ack({ response_type: 'ephemeral', ...replyBody(sentence(':warning:', parsed.error)) });
    if (parsed.command.name === 'help') return ack({ response_type: 'ephemeral', ...replyBody(renderHelp()) });
    // Slack's trigger id is unique per command: it ties every line about this request together.
    const log = logger.child({ requestId: command.trigger_id, command: parsed.command.name, team: command.team_id, user: command.user_id });
    const answer = () => run(parsed.command, command, services, client).catch((error: unknown) => errorReply(error, log));
    if (READS.has(parsed.command.name)) {
      const reading = answer();
      const early = await Promise.race([reading, delay(READ_ANSWER_IN_ACK_MS).then((): typeof NOT_YET => NOT_YET)]);
      if (early !== NOT_YET) return ack(early && { response_type: 'ephemeral', ...replyBody(early) });
      await ack();
      return send(respond, await reading);
    }
    await ack();
    return send(respond, await answer());
  });
}

const NOT_YET = Symbol('not yet');
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

async function run(
  command: Command,
  slash: SlashCommand,
  services: SlackServices,
  client: Parameters<Parameters<App['command']>[1]>[0]['client'],
): Promise<Reply | undefined> {
  const actorContext = () => services.actors.resolve(client, slash.team_id, slash.user_id, slash.user_name);
  const organizationId = () => services.actors.organizationFor(slash.team_id);
  switch (command.name) {
    case 'help':
      return renderHelp();
    case 'list':
      return renderSpecList(await services.specs.list(await organizationId()));
    case 'show':
      return renderSpec(await services.specs.show(await organizationId(), command.spec));
    case 'history':
      return renderHistory(await services.specs.history(await organizationId(), command.spec));
    case 'edit': {
      const spec = await services.specs.openForEdit(await actorContext(), command.spec);
      const view = buildEditModal({
        specId: spec.id,
        slug: spec.slug,
        baseVersion: spec.version.number,
        draft: draftFromSpec(spec),
        responseUrl: slash.response_url,
      });
      await client.views.open({ trigger_id: slash.trigger_id, view });
      return undefined;
    }
    case 'weights':
      return savedReply(await services.specs.setWeights(await actorContext(), command.spec, command.weights));
    case 'revert': {
      const saved = await services.specs.revert(await actorContext(), command.spec, command.version);
      return savedReply(saved, `Reverted to v${command.version} as`);
    }
    case 'subscribe':
    case 'unsubscribe':
    case 'subscriptions':
    case 'digest':
      return runSubscriptionCommand(command, slash, services, client);
    case 'grant':
    case 'revoke': {
      const context = await actorContext();
      await client.users.info({ user: command.userId });
      const change =
        command.name === 'grant'
          ? await services.grants.grant(context, command.userId, command.spec)
          : await services.grants.revoke(context, command.userId, command.spec);
      const scope = change.scope.kind === 'all' ? mrkdwn`every spec` : code(change.scope.slug);
      const user = mention(command.userId);
      if (command.name === 'grant') {
        return plain(change.changed ? mrkdwn`:white_check_mark: ${user} can now edit ${scope}.` : mrkdwn`${user} could already edit ${scope}.`);
      }
      return plain(change.changed ? mrkdwn`:white_check_mark: ${user} can no longer edit ${scope}.` : mrkdwn`${user} had no grant for ${scope}; nothing changed.`);
    }
  }
}

async function send(respond: RespondFn, reply: Reply | undefined): Promise<void> {
  if (reply) await respond({ response_type: 'ephemeral', replace_original: false, ...replyBody(reply) });
}
