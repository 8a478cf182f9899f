/** A channel thread's id is `<channel id>;messageid=<root>`; subscriptions belong to the channel. */
export function channelOf(conversationId: string): string {
  return conversationId.split(';')[0]!;
}
