import { AdaptiveCard } from '@microsoft/teams.cards';
import type { Logger } from 'pino';
import { errorPhrase, savedReply } from '../conversation';
import type { Phrase } from '../domain/phrase';
import type { ActorContext } from '../services/actor';
import type { SpecService } from '../services/specs';
import { inlineMarkdown } from './cards/document';
import {
  BadEditState,
  damagedForm,
  FORM_ERROR,
  formFromSpec,
  formFromSubmission,
  isEditPart,
  VERB_ADD,
  VERB_CANCEL,
  VERB_MOVE,
  VERB_OPEN_PART,
  VERB_REMOVE,
  VERB_SAVE,
  type EditForm,
} from './cards/edit-form';
import { code, fromPhrase, joinMarkdown, md, type TeamsMarkdown } from './cards/markdown';
import { plain } from './cards/message';
import { oneLine, textBlock } from './cards/text';

/** A card action's answer: the card to show in the form's place, or a message. */
export type CardAnswer = { card: Record<string, unknown> } | { message: TeamsMarkdown };

export interface EditActionNeeds {
  specs: SpecService;
  /** who acts: asked only by the actions that read or write the spec */
  actor: () => Promise<ActorContext>;
  log: Logger;
}

const warning = (words: Phrase): CardAnswer => ({ message: md`⚠️ ${fromPhrase(words)}` });

/**
 * The edit card's actions (Save, Add, Remove, Move, another part, Cancel), the same for an
 * Action.Execute invoke and the Action.Submit fallback. Rows are added, removed and moved without
 * the database; only opening a part and saving ask who acts.
 */
export async function answerEditAction(data: Record<string, unknown>, needs: EditActionNeeds): Promise<CardAnswer> {
  let form: EditForm;
  try {
    form = formFromSubmission(data);
  } catch (error) {
    if (error instanceof BadEditState) return warning(error.phrase);
    throw error;
  }
  const key = (name: string) => (typeof data[name] === 'string' ? (data[name] as string) : undefined);
  switch (data.verb) {
    case VERB_CANCEL:
      return card(new AdaptiveCard(textBlock(md`Edit of ${code(form.state.slug)} cancelled; nothing was saved.`)));
    case VERB_ADD:
      return { card: form.add().card() };
    case VERB_REMOVE: {
      const remove = key('remove');
      return { card: (remove ? form.remove(remove) : form).card() };
    }
    case VERB_MOVE: {
      const move = key('move');
      const direction = key('direction');
      const moved = move && (direction === 'up' || direction === 'down') ? form.move(move, direction) : form;
      return { card: moved.card() };
    }
    case VERB_OPEN_PART:
      return openPart(form, data.to, needs);
    case VERB_SAVE:
      return save(form, needs);
    default:
      return warning(damagedForm().phrase);
  }
}

/** Another part, opened on the spec's current version (what was typed in this one is dropped). */
async function openPart(form: EditForm, to: unknown, needs: EditActionNeeds): Promise<CardAnswer> {
  if (!isEditPart(to)) return warning(damagedForm().phrase);
  try {
    const view = await needs.specs.openForEdit(await needs.actor(), form.state.specId);
    return { card: formFromSpec(view, to).card() };
  } catch (error) {
    // No permission now, or the spec is gone: said at the top of the form, the input kept.
    return { card: form.card({ [FORM_ERROR]: errorPhrase(error, needs.log) }) };
  }
}

async function save(form: EditForm, needs: EditActionNeeds): Promise<CardAnswer> {
  const checked = form.check();
  if (!checked.ok) return { card: form.card(checked.errors) };
  try {
    const context = await needs.actor();
    const result = await needs.specs.edit(context, form.state.specId, {
      baseVersion: form.state.baseVersion,
      changes: checked.changes,
      note: checked.note || undefined,
    });
    const by = oneLine(context.actor.name ?? 'you', 100);
    const note = checked.note ? md` · “${oneLine(checked.note, 500)}”` : '';
    return card(new AdaptiveCard(textBlock(savedLine(result)), textBlock(md`by ${by}${note}`, { isSubtle: true, size: 'Small' })));
  } catch (error) {
    // Stale version, lost permission, nothing changed: said at the top of the form, the input kept.
    return { card: form.card({ [FORM_ERROR]: errorPhrase(error, needs.log) }) };
  }
}

/** The core's words for a new version (savedReply), as any reply's sentence is rendered. */
function savedLine(result: { number: number; slug: string; changes: string[] }): TeamsMarkdown {
  const lines = savedReply(result).blocks.flatMap((block) => (block.kind === 'paragraph' ? [md`✅ ${inlineMarkdown(block.text)}`] : []));
  return joinMarkdown(lines, ' ');
}

function card(adaptiveCard: AdaptiveCard): CardAnswer {
  return { card: plain(adaptiveCard.withVersion('1.5')) };
}
