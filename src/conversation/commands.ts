import type { Command } from '../domain/command';
import { paragraph, type Inline, type Reply } from './document';
import { savedReply } from './saved';
import type { ConversationRequest, ConversationServices, Vocabulary } from './request';
import { specPartReply } from './spec-parts';
import { subscriptionReply } from './subscriptions';

type SubscriptionCommand = Extract<Command, { name: 'subscribe' | 'unsubscribe' | 'subscriptions' | 'digest' }>;

/**
 * Every command, once for both platforms: call the services, answer with a document. Errors are
 * thrown (PanelistError carries the user's sentence); the adapter turns them into a reply with
 * errorReply, so that it can also log what is not the user's to see.
 */
export async function runCommand(
  command: Command,
  request: ConversationRequest,
  services: ConversationServices,
  words: Vocabulary,
): Promise<Reply> {
  const { specs } = services;
  switch (command.name) {
    case 'help':
      return { blocks: [{ kind: 'help' }] };
    case 'list':
      return { blocks: [{ kind: 'specList', specs: await specs.list(await request.organizationId()) }] };
    case 'show':
      return { blocks: [{ kind: 'spec', view: await specs.show(await request.organizationId(), command.spec) }] };
    case 'history':
      return { blocks: [{ kind: 'history', history: await specs.history(await request.organizationId(), command.spec) }] };
    case 'edit':
      return { blocks: [{ kind: 'editForm', spec: await specs.openForEdit(await request.actor(), command.spec), part: command.part }] };
    case 'weights':
      return savedReply(await specs.setWeights(await request.actor(), command.spec, command.weights));
    case 'revert':
      return savedReply(await specs.revert(await request.actor(), command.spec, command.version), `Reverted to v${command.version} as`);
    case 'musthave':
    case 'questions':
    case 'behavioral':
      return specPartReply(command, request, services, words);
    case 'grant':
    case 'revoke':
      return grantReply(command, request, services);
    case 'subscribe':
    case 'unsubscribe':
    case 'subscriptions':
    case 'digest':
      return subscriptionReply(command as SubscriptionCommand, request, services, words);
  }
}

async function grantReply(
  command: Extract<Command, { name: 'grant' | 'revoke' }>,
  request: ConversationRequest,
  services: ConversationServices,
): Promise<Reply> {
  const context = await request.actor();
  const who = await request.userLabel(command.userId);
  const change =
    command.name === 'grant'
      ? await services.grants.grant(context, command.userId, command.spec)
      : await services.grants.revoke(context, command.userId, command.spec);
  const scope: Inline[] = change.scope.kind === 'all' ? ['every spec'] : [{ code: change.scope.slug }];
  if (command.name === 'grant') {
    return change.changed
      ? paragraph([who, ' can now edit ', ...scope, '.'], 'ok')
      : paragraph([who, ' could already edit ', ...scope, '.']);
  }
  return change.changed
    ? paragraph([who, ' can no longer edit ', ...scope, '.'], 'ok')
    : paragraph([who, ' had no grant for ', ...scope, '; nothing changed.']);
}
