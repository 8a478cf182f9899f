import type { Command } from '../domain/command';
import { PanelistError } from '../domain/errors';
import { applyMustHaveChange } from '../domain/must-haves';
import type { SpecContent } from '../domain/spec';
import type { Reply } from './document';
import { savedReply } from './saved';
import type { ConversationRequest, ConversationServices, Vocabulary } from './request';

type PartCommand = Extract<Command, { name: 'musthave' | 'questions' | 'behavioral' }>;

/** The one-line changes to must-haves and the interview settings: each a new version, like an edit. */
export async function specPartReply(
  command: PartCommand,
  request: ConversationRequest,
  services: ConversationServices,
  words: Vocabulary,
): Promise<Reply> {
  const saved = await services.specs.change(await request.actor(), command.spec, (content, spec) =>
    changedContent(command, content, spec.slug, words.prefix),
  );
  return savedReply(saved);
}

function changedContent(command: PartCommand, content: SpecContent, slug: string, prefix: string): SpecContent {
  switch (command.name) {
    case 'musthave': {
      const result = applyMustHaveChange(content.mustHaves, command.change, slug, prefix);
      if (!result.ok) throw new PanelistError('invalid_input', result.error);
      return { ...content, mustHaves: result.mustHaves };
    }
    case 'questions': {
      const { candidateSees, autoPublish } = command;
      return {
        ...content,
        interviewQuestions: {
          ...content.interviewQuestions,
          ...(candidateSees === undefined ? {} : { candidateSees }),
          ...(autoPublish === undefined ? {} : { autoPublish }),
        },
      };
    }
    case 'behavioral': {
      const { prompts, mode } = command;
      return {
        ...content,
        behavioralRound: {
          ...content.behavioralRound,
          ...(prompts === undefined ? {} : { prompts }),
          ...(mode === undefined ? {} : { mode }),
        },
      };
    }
  }
}
