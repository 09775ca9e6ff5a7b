/**
 * The REST escalation port of a served node (docs/escalation-api.md): the escalation service
 * of each of its agreements, its party (whose officials hold tokens), and the automatic inputs
 * computed from the store's object metadata.
 */
import { Mutex } from '../core/index.js';
import type { RestPorts } from '../server/index.js';
import { recordAutomaticInputs } from './escalation-signals.js';
import type { EscalationService } from './escalation-service.js';
import type { Node } from './open-node.js';

/**
 * The escalation port over `services` (one per agreement of `node`). Automatic passes of one
 * agreement run one at a time (an official's evaluation and the schedule may ask together): a
 * pass reads the watermark, then records, so two passes at once would count the same objects.
 */
export function nodeEscalationPort(
  node: Node,
  services: ReadonlyMap<string, EscalationService>,
): NonNullable<RestPorts['escalation']> {
  const locks = new Map([...services.keys()].map((id) => [id, new Mutex()]));
  return {
    party: node.config.party,
    service: (id) => services.get(id),
    automaticInputs: async (id, now) => {
      const service = services.get(id);
      const lock = locks.get(id);
      // The routes ask only for agreements `service` returned: a miss is a bug.
      if (service === undefined || lock === undefined)
        throw new Error(`no escalation service for \`${id}\``);
      return lock.lock(() => recordAutomaticInputs(node.db, service, node.config.party, now));
    },
  };
}
