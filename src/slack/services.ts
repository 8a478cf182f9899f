import type { DigestScheduleService } from '../services/digest-schedules';
import type { GrantService } from '../services/grants';
import type { SpecService } from '../services/specs';
import type { SubscriptionService } from '../services/subscriptions';
import type { SlackActors } from './actors';

/** What the Slack adapter calls: services only, never the store. */
export interface SlackServices {
  specs: SpecService;
  grants: GrantService;
  subscriptions: SubscriptionService;
  digestSchedules: DigestScheduleService;
  actors: SlackActors;
}
