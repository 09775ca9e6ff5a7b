/**
 * The ceiling: the northsea example agreement decided by a closure written by hand for it —
 * every clause a hard-coded comparison, obligations precomputed into a flat table. It is what
 * a compiled engine could at best approach. It returns decisions deeply equal to the engines'
 * (bench/decide.ts checks that on every request before timing) but models only what the
 * benchmark exercises: the empty runtime state (no pauses, waivers or revocations).
 */
import {
  NO_MINIMISATION,
  PERMISSIVE_HANDLING,
  combineMinimisation,
  stricterHandling,
  type Agreement,
  type ClauseRef,
  type Handling,
  type Minimisation,
} from '../src/agreement/index.js';
import type { DecideFn, Decision, Deny } from '../src/policy/index.js';

const DAY = 86_400_000;

interface Shape {
  readonly allowedBy: readonly ClauseRef[];
  readonly tier: string;
  readonly minimise: Minimisation;
  readonly handling: Handling;
  readonly shapedBy: readonly ClauseRef[];
  readonly retentionMs: number;
}

// Rule bits in agreement order: tiers operational, strategic, attribution-cell, fraud-desk.
const RULES = [
  ['op-indicators', 'operational', 90],
  ['op-incidents-elevated', 'operational', 30],
  ['op-personal-severe', 'operational', 14],
  ['strat-actors', 'strategic', 180],
  ['strat-fraud', 'strategic', 60],
  ['attr-actors', 'attribution-cell', 60],
  ['fraud-indicators', 'fraud-desk', 30],
] as const;

/** The hand-written decision function for examples/agreements/northsea-compact.yaml. */
export function northseaCeiling(A: Agreement): DecideFn {
  const constraint = (id: string): ClauseRef => {
    for (const p of A.parties) for (const c of p.constraints) if (c.id === id) return c.ref;
    throw new Error(`no constraint ${id}`);
  };
  const never = (id: string): ClauseRef => {
    const all = [...A.core.neverRelease, ...A.extensions.flatMap((e) => e.neverRelease)];
    const n = all.find((x) => x.id === id);
    if (n === undefined) throw new Error(`no never-release ${id}`);
    return n.ref;
  };
  const rules = A.tiers.flatMap((t) => t.rules);
  const ruleOf = (id: string) => rules.find((r) => r.id === id)!;
  const extAB = A.extensions.find((e) => e.id === 'arv-bor-attribution')!;
  const extBC = A.extensions.find((e) => e.id === 'bor-cal-fraud')!;
  const arv30 = A.parties[0]!.constraints.find((c) => c.id === 'arv-personal-data-30-days')!;
  const borPseud = A.parties[1]!.constraints.find((c) => c.id === 'bor-pseudonymise-accounts')!;

  const frozen = (stage: Deny['stage'], deniedBy: ClauseRef[]): Deny =>
    Object.freeze({ effect: 'deny', stage, deniedBy: Object.freeze(deniedBy) });
  const NOT_IN_FORCE = frozen('not-in-force', [A.ref]);
  const UNKNOWN_AGENCY = frozen('unknown-agency', []);
  const UNKNOWN_PURPOSE = frozen('unknown-purpose', []);
  const UNKNOWN_PRODUCER = frozen('unknown-producer', []);
  const UNKNOWN_LEVEL = frozen('unknown-level', []);
  const NO_RULE = frozen('no-rule', []);
  const C_SPECIAL = constraint('arv-no-special-category');
  const C_ATTR_CERT = constraint('arv-attribution-needs-certification');
  const C_BOR_ATTR = constraint('bor-no-attribution-inbound');
  const C_CAL_RED = constraint('cal-no-red');
  const D_SPECIAL = frozen('constraint', [C_SPECIAL]);
  const D_CAL_RED = frozen('constraint', [C_CAL_RED]);
  const N_RED = frozen('never-release', [never('core-no-red')]);
  const N_SPECIAL = frozen('never-release', [never('core-no-special-category')]);
  const N_STRICT = frozen('never-release', [never('arvbor-no-amber-strict')]);

  // shapes[(cover * 128 + ruleMask) * 4 + constraintMask], cover bit 1 = arv-bor, 2 = bor-cal;
  // constraint bit 1 = arv-personal-data-30-days, 2 = bor-pseudonymise-accounts.
  const shapes: (Shape | undefined)[] = [];
  for (let cover = 0; cover < 4; cover++) {
    for (let mask = 1; mask < 128; mask++) {
      for (let cm = 0; cm < 4; cm++) {
        const exts = [extAB, extBC].filter((_, i) => (cover & (1 << i)) !== 0);
        const allowing = RULES.filter((_, i) => (mask & (1 << i)) !== 0).map(
          ([id, tier, days]) => ({
            rule: ruleOf(id),
            tier,
            days,
          }),
        );
        let minimise = combineMinimisation(NO_MINIMISATION, A.core.minimise);
        let handling = stricterHandling(PERMISSIVE_HANDLING, A.core.handling);
        let days = 180;
        for (const e of exts) {
          minimise = combineMinimisation(minimise, e.minimise);
          handling = stricterHandling(handling, e.handling);
          days = Math.min(days, e === extAB ? 90 : 60);
        }
        for (const a of allowing) {
          minimise = combineMinimisation(minimise, a.rule.minimise);
          handling = stricterHandling(handling, a.rule.handling);
          days = Math.min(days, a.days);
        }
        const shapedBy = [A.core.ref, ...exts.map((e) => e.ref)];
        if ((cm & 1) !== 0) {
          days = Math.min(days, 30);
          shapedBy.push(arv30.ref);
        }
        if ((cm & 2) !== 0 && borPseud.kind === 'minimise') {
          minimise = combineMinimisation(minimise, borPseud.minimise);
          shapedBy.push(borPseud.ref);
        }
        shapes[(cover * 128 + mask) * 4 + cm] = Object.freeze({
          allowedBy: Object.freeze(allowing.map((a) => a.rule.ref)),
          tier: allowing[0]!.tier,
          minimise: Object.freeze(minimise),
          handling: Object.freeze(handling),
          shapedBy: Object.freeze(shapedBy),
          retentionMs: days * DAY,
        });
      }
    }
  }

  const FROM = A.effective.from;
  const UNTIL = A.effective.until ?? Infinity;
  const CERT_EXPIRES = new Map(
    A.agencies.map((a) => [a.id, a.certifications.find((c) => c.id === 'arv-handling-2026')]),
  );
  const ARV_CERT_EXP = CERT_EXPIRES.get('ARV-CERT')!.expires;
  const BOR_CERT_EXP = CERT_EXPIRES.get('BOR-CERT')!.expires;

  return (req, state): Decision => {
    const at = req.at;
    if (at < FROM || at >= UNTIL) return NOT_IN_FORCE;
    let party: number; // 1 ARV, 2 BOR, 3 CAL
    let certExp = -Infinity;
    let op = false;
    let strat = false;
    let attr = false;
    let fraud = false;
    switch (req.agency) {
      case 'ARV-CERT':
        party = 1;
        op = attr = true;
        certExp = ARV_CERT_EXP;
        break;
      case 'ARV-NCSC':
        party = 1;
        strat = true;
        break;
      case 'BOR-CERT':
        party = 2;
        op = attr = true;
        certExp = BOR_CERT_EXP;
        break;
      case 'BOR-FININT':
        party = 2;
        strat = fraud = true;
        break;
      case 'CAL-CSIRT':
        party = 3;
        op = fraud = true;
        break;
      default:
        return UNKNOWN_AGENCY;
    }
    const purpose = req.purpose;
    const ir = purpose === 'incident-response';
    const td = purpose === 'threat-detection';
    const at_ = purpose === 'attribution';
    if (!ir && !td && !at_) return UNKNOWN_PURPOSE;
    const o = req.object;
    const producer =
      o.producer === 'ARV' ? 1 : o.producer === 'BOR' ? 2 : o.producer === 'CAL' ? 3 : 0;
    if (producer === 0) return UNKNOWN_PRODUCER;
    const l = state.level;
    const level =
      l === 'baseline' ? 0 : l === 'elevated' ? 1 : l === 'severe' ? 2 : l === 'emergency' ? 3 : -1;
    if (level < 0) return UNKNOWN_LEVEL;
    if (state.pauses.length + state.waivers.length + state.revocations.length !== 0) {
      throw new Error('the ceiling models the empty runtime state only');
    }

    // Constraints, in agreement order.
    const tlp = o.tlp;
    const pd = o.personalData;
    const d1 = pd === 'special-category' && (producer === 1 || party === 1);
    const d2 = producer === 1 && at_ && !(at < certExp);
    const d3 = party === 2 && at_;
    const d4 = tlp === 'red' && (producer === 3 || party === 3);
    if (d1 || d2 || d3 || d4) {
      if (d1 && !d2 && !d3 && !d4) return D_SPECIAL;
      if (d4 && !d1 && !d2 && !d3) return D_CAL_RED;
      const deniedBy: ClauseRef[] = [];
      if (d1) deniedBy.push(C_SPECIAL);
      if (d2) deniedBy.push(C_ATTR_CERT);
      if (d3) deniedBy.push(C_BOR_ATTR);
      if (d4) deniedBy.push(C_CAL_RED);
      return { effect: 'deny', stage: 'constraint', deniedBy };
    }
    const cm =
      (producer === 1 && (pd === 'pseudonymous' || pd === 'personal') ? 1 : 0) |
      (producer === 2 ? 2 : 0);

    // Never release: core, then arv-bor-attribution when it covers.
    const ab = producer !== 3 && party !== 3;
    const bc = producer !== 1 && party !== 1;
    const nRed = tlp === 'red';
    const nSpecial = pd === 'special-category';
    const nStrict = ab && tlp === 'amber+strict';
    if (nRed || nSpecial || nStrict) {
      if (!nSpecial) return nRed ? N_RED : N_STRICT; // red and amber+strict exclude each other
      if (!nRed && !nStrict) return N_SPECIAL;
      const deniedBy: ClauseRef[] = [];
      if (nRed) deniedBy.push(...N_RED.deniedBy);
      deniedBy.push(...N_SPECIAL.deniedBy);
      if (nStrict) deniedBy.push(...N_STRICT.deniedBy);
      return { effect: 'deny', stage: 'never-release', deniedBy };
    }

    // Tier rules.
    const t = o.type;
    const none = pd === 'none';
    const greenAmber = tlp === 'green' || tlp === 'amber';
    let mask = 0;
    if (op) {
      if (
        none &&
        (tlp === 'clear' || greenAmber) &&
        (ir || td) &&
        (t === 'indicator' || t === 'malware' || t === 'attack-pattern' || t === 'vulnerability')
      )
        mask |= 1;
      if (
        none &&
        level >= 1 &&
        greenAmber &&
        ir &&
        (t === 'incident' ||
          t === 'sighting' ||
          t === 'observed-data' ||
          t === 'ipv4-addr' ||
          t === 'domain-name')
      )
        mask |= 2;
      if (
        (pd === 'pseudonymous' || pd === 'personal') &&
        level >= 2 &&
        tlp === 'amber' &&
        ir &&
        (t === 'email-addr' || t === 'user-account') &&
        o.confidence !== undefined &&
        o.confidence >= 70
      )
        mask |= 4;
    }
    if (strat && none) {
      if (
        (tlp === 'clear' || tlp === 'green') &&
        (td || at_) &&
        (t === 'threat-actor' || t === 'intrusion-set' || t === 'campaign' || t === 'report')
      )
        mask |= 8;
      if (greenAmber && td && o.rsit === 'fraud' && (t === 'indicator' || t === 'report'))
        mask |= 16;
    }
    if (
      attr &&
      ab &&
      none &&
      at < certExp &&
      greenAmber &&
      (at_ || ir) &&
      (t === 'threat-actor' || t === 'intrusion-set' || t === 'campaign' || t === 'identity')
    )
      mask |= 32;
    if (
      fraud &&
      bc &&
      none &&
      greenAmber &&
      (ir || td) &&
      o.rsit === 'fraud' &&
      (t === 'indicator' || t === 'observed-data' || t === 'domain-name' || t === 'url')
    )
      mask |= 64;
    if (mask === 0) return NO_RULE;
    const s = shapes[(((ab ? 1 : 0) | (bc ? 2 : 0)) * 128 + mask) * 4 + cm]!;
    return {
      effect: 'allow',
      allowedBy: s.allowedBy,
      byWaiver: false,
      tier: s.tier,
      obligations: {
        retainUntil: at + s.retentionMs,
        minimise: s.minimise,
        handling: s.handling,
        shapedBy: s.shapedBy,
      },
    };
  };
}
