import type { GrantService } from '../services/grants';
import type { SpecService } from '../services/specs';
import type { SlackActors } from './actors';

/** What the Slack adapter calls: services only, never the store. */
export interface SlackServices {
  specs: SpecService;
  grants: GrantService;
  actors: SlackActors;
}
