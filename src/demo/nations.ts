/**
 * The demo's three fictional states, as the North Sea compact names them: each runs one node,
 * has one CERT-like agency that pulls its partners' intel, and one liaison official who
 * approves escalations and waivers.
 */

/** One nation of the demo. */
export interface Nation {
  /** Party id in the agreement. */
  readonly party: string;
  readonly name: string;
  /** The agency its node pulls partners' intel for (operational tier). */
  readonly agency: string;
  /** Its designated official (approver). */
  readonly official: string;
}

/** Arvenia, Borealia and Caldera, in the order the demo shows them. */
export const NATIONS: readonly Nation[] = Object.freeze([
  { party: 'ARV', name: 'Arvenia', agency: 'ARV-CERT', official: 'ARV-LIAISON' },
  { party: 'BOR', name: 'Borealia', agency: 'BOR-CERT', official: 'BOR-LIAISON' },
  { party: 'CAL', name: 'Caldera', agency: 'CAL-CSIRT', official: 'CAL-LIAISON' },
]);

/** The purpose every demo pull is made for (one TAXII collection per purpose). */
export const DEMO_PURPOSE = 'incident-response';
