/**
 * Opening the escalation service of one of a node's agreements: picks the agreement (the only
 * one, or the one named), loads the officials' keys its config entry names, and replays the
 * agreement's escalation events from the ledger.
 */
import { ConcordatError } from '../core/index.js';
import { loadOfficialKeys } from './escalation-keys.js';
import { EscalationService } from './escalation-service.js';
import type { EscalationContext } from './escalation-service.js';
import type { Node } from './open-node.js';

/** Options of {@link openEscalation}. */
export interface OpenEscalationOptions {
  /** The agreement id; required when the node has several agreements. */
  readonly agreement?: string;
  /** Event ids (default: random UUIDs). */
  readonly newId?: () => string;
}

/**
 * The escalation service of one agreement of `node`.
 *
 * @throws ConcordatError `ERR_USAGE` when the node has no agreement, or several and none is
 *   named; `ERR_NOT_FOUND` for an unknown agreement id; the errors of `loadOfficialKeys`.
 */
export async function openEscalation(
  node: Node,
  options: OpenEscalationOptions = {},
): Promise<EscalationService> {
  const ids = [...node.agreements.keys()];
  let id = options.agreement;
  if (id === undefined) {
    if (ids.length !== 1)
      throw new ConcordatError(
        'ERR_USAGE',
        ids.length === 0
          ? 'the node takes part in no agreement; add one to its config (`agreements`)'
          : `the node takes part in ${ids.length} agreements (${ids.map((i) => `\`${i}\``).join(', ')}); name one with \`--agreement\``,
        { details: { agreements: ids } },
      );
    id = ids[0] as string;
  }
  const entry = node.agreements.get(id);
  if (entry === undefined)
    throw new ConcordatError(
      'ERR_NOT_FOUND',
      `the node takes part in no agreement \`${id}\`; its agreements: ${ids.map((i) => `\`${i}\``).join(', ')}`,
      { details: { agreement: id, agreements: ids } },
    );
  const configured = node.config.agreements.find((a) => a.file === entry.file);
  const keysFile = configured?.officialKeys;
  const ctx: EscalationContext = {
    db: node.db,
    ledger: node.ledger,
    clock: node.clock,
    agreement: entry.agreement,
    agreementFile: entry.file,
    party: node.config.party,
    ...(keysFile === undefined ? {} : { keys: await loadOfficialKeys(keysFile) }),
    ...(options.newId === undefined ? {} : { newId: options.newId }),
  };
  return EscalationService.open(ctx);
}
