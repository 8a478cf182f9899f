import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { Logger } from 'pino';
import { errorReply, runCommand, sentence, type ConversationRequest, type Reply, type Vocabulary } from '../conversation';
import { parseCommand, type Command } from '../domain/command';
import { PanelistError } from '../domain/errors';
import { phrase } from '../domain/phrase';
import { buildPartModal } from './edit-modal';
import { renderDocument, SLACK_PREFIX } from './render/document';
import type { SlackServices } from './services';

type Client = Parameters<Parameters<App['command']>[1]>[0]['client'];
type SlackReply = ReturnType<typeof renderDocument>;

/** Reads that finish within this answer in the acknowledgement itself; Slack allows 3 s for it. */
const READ_ANSWER_IN_ACK_MS = 500;
const READS = new Set<Command['name']>(['list', 'show', 'history', 'subscriptions']);

export const SLACK_WORDS: Vocabulary = {
  prefix: SLACK_PREFIX,
  place: 'channel',
  inviteHint: ['Invite me with ', { code: '/invite @Panelist' }, '.'],
};

/**
 * `/spec …`: parse (pure), then acknowledge before any write. Parse errors and help need no I/O,
 * so they are answered in the acknowledgement; so are reads that are ready within half a second, which
 * saves the user a round trip and Panelist an outbound request. Anything slower, and every change,
 * is acknowledged at once and answered by response_url. What to say is the conversation core's.
 */
export function registerSpecCommand(app: App, services: SlackServices, logger: Logger): void {
  app.command('/spec', async ({ command, ack, respond, client }) => {
    const parsed = parseCommand(command.text);
    if (!parsed.ok) return ack({ response_type: 'ephemeral', ...renderDocument(sentence(parsed.error, 'warning')) });
    if (parsed.command.name === 'help') return ack({ response_type: 'ephemeral', ...renderDocument({ blocks: [{ kind: 'help' }] }) });
    // Slack's trigger id is unique per command: it ties every line about this request together.
    const log = logger.child({ requestId: command.trigger_id, command: parsed.command.name, team: command.team_id, user: command.user_id });
    const answer = () =>
      answerCommand(parsed.command, command, services, client).catch((error: unknown) => renderDocument(errorReply(error, log)));
    if (READS.has(parsed.command.name)) {
      const reading = answer();
      const early = await Promise.race([reading, delay(READ_ANSWER_IN_ACK_MS).then((): typeof NOT_YET => NOT_YET)]);
      if (early !== NOT_YET) return ack(early && { response_type: 'ephemeral', text: early.text, blocks: early.blocks });
      await ack();
      return send(respond, await reading);
    }
    await ack();
    return send(respond, await answer());
  });
}

const NOT_YET = Symbol('not yet');
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

async function answerCommand(
  command: Command,
  slash: SlashCommand,
  services: SlackServices,
  client: Client,
): Promise<SlackReply | undefined> {
  const reply: Reply = await runCommand(command, slackRequest(slash, services, client), services, SLACK_WORDS);
  const [first] = reply.blocks;
  if (first?.kind === 'editForm') {
    // Slack edits in a modal, opened with the command's trigger id; the modal is the answer.
    const view = buildPartModal(first.spec, first.part, slash.response_url);
    await client.views.open({ trigger_id: slash.trigger_id, view });
    return undefined;
  }
  return renderDocument(reply);
}

/** The conversation core's questions, answered for a slash command. */
function slackRequest(slash: SlashCommand, services: SlackServices, client: Client): ConversationRequest {
  return {
    channel: { platform: 'slack', workspaceId: slash.team_id, channelId: slash.channel_id },
    organizationId: () => services.actors.organizationFor(slash.team_id),
    actor: () => services.actors.resolve(client, slash.team_id, slash.user_id, slash.user_name),
    async userLabel(userId) {
      try {
        await client.users.info({ user: userId });
      } catch (error) {
        if ((error as { data?: { error?: string } })?.data?.error === 'user_not_found') {
          throw new PanelistError('invalid_input', phrase`I can’t find that user in this workspace. Mention them with @, e.g. \`@ada\`.`);
        }
        throw error;
      }
      return { mention: userId };
    },
    canPostHere: () => botIsMember(client, slash.channel_id),
  };
}

async function botIsMember(client: Client, channel: string): Promise<boolean> {
  try {
    const info = await client.conversations.info({ channel });
    // DMs and group DMs with the bot have no is_member; the bot is in them by definition.
    return info.channel?.is_member ?? Boolean(info.channel?.is_im || info.channel?.is_mpim);
  } catch {
    // channel_not_found: a private channel the bot is not in.
    return false;
  }
}

async function send(respond: RespondFn, reply: SlackReply | undefined): Promise<void> {
  if (reply) await respond({ response_type: 'ephemeral', replace_original: false, text: reply.text, blocks: reply.blocks });
}
