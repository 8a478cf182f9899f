import type { Command } from '../domain/command';
import { describeDigestTime } from '../domain/digest-schedule';
import { paragraph, type Inline, type Reply } from './document';
import type { ConversationRequest, ConversationServices, Vocabulary } from './request';

type SubscriptionCommand = Extract<Command, { name: 'subscribe' | 'unsubscribe' | 'subscriptions' | 'digest' }>;

/** subscribe / unsubscribe / subscriptions / digest, for the channel (or conversation) the command was typed in. */
export async function subscriptionReply(
  command: SubscriptionCommand,
  request: ConversationRequest,
  services: ConversationServices,
  words: Vocabulary,
): Promise<Reply> {
  const { channel } = request;
  const here = `This ${words.place}`;
  if (command.name === 'subscriptions') return listReply(request, services, words);
  // Following and digests need no admin: no reason to ask who is one.
  const context = await request.actor('identity');
  if (command.name === 'digest') {
    if (command.schedule === 'off') {
      const changed = await services.digestSchedules.disable(context, channel);
      return changed
        ? paragraph([`No more weekly digests in this ${words.place}. `, { command: 'digest <day> <HH:MM>' }, ' turns them back on.'], 'ok')
        : paragraph([`${here} gets no weekly digest; nothing changed.`]);
    }
    const info = await services.digestSchedules.set(context, channel, command.schedule);
    return paragraph(
      [`${here}'s weekly digest now comes ${describeDigestTime(info.time)}; the next one `, { date: info.nextRunAt! }, '.'],
      'ok',
    );
  }
  if (command.name === 'unsubscribe') {
    const result = await services.subscriptions.unsubscribe(context, channel, command.spec);
    const what: Inline = command.spec === 'all' || !result.slug ? 'any spec' : { code: result.slug };
    const wasFollowing: Inline = command.spec === 'all' || !result.slug ? 'anything' : { code: result.slug };
    return result.removed > 0
      ? paragraph([`${here} no longer follows `, what, '.'], 'ok')
      : paragraph([`${here} was not following `, wasFollowing, '; nothing changed.']);
  }
  const result = await services.subscriptions.subscribe(context, channel, command.spec, command.private);
  const what: Inline = result.info.scope.kind === 'all' ? 'every spec' : { code: result.info.scope.slug };
  const verb = result.created ? 'now follows' : result.resumed ? 'follows again' : 'already follows';
  const privacy = command.private ? ' Candidate names are hidden here ("a candidate").' : '';
  const reply = paragraph([`${here} ${verb} `, what, `: each completed interview is posted here.${privacy}`], 'ok');
  if (request.canPostHere && !(await request.canPostHere())) {
    reply.blocks.push({
      kind: 'paragraph',
      tone: 'warning',
      text: [`I am not in this ${words.place} yet, so I cannot post here. `, ...words.inviteHint],
    });
  }
  return reply;
}

async function listReply(request: ConversationRequest, services: ConversationServices, words: Vocabulary): Promise<Reply> {
  const organizationId = await request.organizationId();
  const [subscriptions, schedule] = await Promise.all([
    services.subscriptions.list(organizationId, request.channel),
    services.digestSchedules.describe(request.channel),
  ]);
  if (subscriptions.length === 0) {
    return paragraph([`This ${words.place} follows no specs. `, { command: 'subscribe <spec|all> [private]' }, ' starts that.']);
  }
  const digest: Inline[] = !schedule
    ? ['No weekly digest.']
    : schedule.enabled
      ? [`Weekly digest ${describeDigestTime(schedule.time)}; next `, { date: schedule.nextRunAt! }, '.']
      : ['Weekly digest: off (', { command: 'digest <day> <HH:MM>' }, ' turns it on).'];
  const items = subscriptions.map((s): Inline[] => {
    const what: Inline = s.scope.kind === 'all' ? 'all specs' : { code: s.scope.slug };
    const flags = [s.private ? 'names hidden' : undefined, s.pausedReason ? `paused: ${s.pausedReason}` : undefined].filter(
      (flag): flag is string => Boolean(flag),
    );
    return flags.length > 0 ? [what, ' (', { user: flags.join(', ') }, ')'] : [what];
  });
  return { blocks: [{ kind: 'list', heading: [{ strong: [`This ${words.place} follows`] }], items, footer: digest }] };
}
