import { z } from 'zod';

/**
 * The least an inbound activity must carry for Panelist to act on it: who sent it, in which
 * conversation, to whom, and (for the messages and card actions it answers) its id. The SDK
 * passes anything its JWT check accepts, so without this a signed `{}` reached the bot and
 * failed there with a TypeError; now it is a 400 that names the field.
 */
const id = z.string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') }).min(1, 'must not be empty');
const party = z.object({ id }, { error: (issue) => (issue.input === undefined ? 'is missing' : 'must be an object with an id') });

const activityShape = z
  .object(
    {
      type: id,
      id: id.optional(),
      from: party,
      recipient: party,
      conversation: party,
    },
    { error: 'must be a JSON object (a Bot Framework activity)' },
  )
  .refine((activity) => activity.id !== undefined || (activity.type !== 'message' && activity.type !== 'invoke'), {
    message: 'is missing',
    path: ['id'],
  });

/** Undefined when the activity has the fields Panelist reads; else one sentence naming each missing field. */
export function activityShapeProblem(body: unknown): string | undefined {
  const parsed = activityShape.safeParse(body);
  if (parsed.success) return undefined;
  const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'the body'} ${issue.message}`);
  return `Not a Bot Framework activity: ${problems.join('; ')}.`;
}
