/**
 * The agreement SOURCE format as TypeScript types: the shape of a document that passed the
 * structural check against `AGREEMENT_SCHEMA` (schema.ts). Keys are spelled as written
 * (snake_case); normalise.ts turns this into the model (model.ts).
 */
import type { OnwardSharing, Pap, PersonalData, RsitClass, Tlp } from './model.js';

/** `match`, `when` and `forbid` as written. */
export interface MatchSource {
  readonly types?: readonly string[];
  readonly tlp?: readonly Tlp[];
  readonly personal_data?: readonly PersonalData[];
  readonly rsit?: readonly RsitClass[];
  readonly purposes?: readonly string[];
  readonly from_parties?: readonly string[];
  readonly to_parties?: readonly string[];
  readonly to_agencies?: readonly string[];
}

/** `minimise` as written. */
export interface MinimiseSource {
  readonly drop?: readonly string[];
  readonly pseudonymise?: readonly string[];
  readonly ipv4_prefix?: number;
  readonly ipv6_prefix?: number;
  readonly coarsen_timestamps?: string;
  readonly strip_source_refs?: boolean;
}

/** `handling` as written. */
export interface HandlingSource {
  readonly pap?: Pap;
  readonly onward_sharing?: OnwardSharing;
}

/** A never-release or never-waive rule as written. */
export interface NeverReleaseSource {
  readonly id: string;
  readonly description?: string;
  readonly match: MatchSource;
}

/** A party constraint as written. */
export interface ConstraintSource {
  readonly id: string;
  readonly description?: string;
  readonly scope?: 'outgoing' | 'incoming' | 'both';
  readonly when?: MatchSource;
  readonly forbid?: MatchSource;
  readonly require_certifications?: readonly string[];
  readonly max_retention?: string;
  readonly minimise?: MinimiseSource;
}

/** A release rule as written. */
export interface RuleSource {
  readonly id?: string;
  readonly description?: string;
  readonly types: readonly string[];
  readonly tlp: readonly Tlp[];
  readonly purposes?: readonly string[];
  readonly personal_data?: readonly PersonalData[];
  readonly rsit?: readonly RsitClass[];
  readonly min_confidence?: number;
  readonly from_level?: string;
  readonly until_level?: string;
  readonly retention: string;
  readonly minimise?: MinimiseSource;
  readonly handling?: HandlingSource;
}

/** A tier as written. */
export interface TierSource {
  readonly description?: string;
  readonly agencies: readonly string[];
  readonly requires_certifications?: readonly string[];
  readonly release: readonly RuleSource[];
}

/** Core protections (or an extension's) as written. */
export interface CoreSource {
  readonly max_retention?: string;
  readonly never_release?: readonly NeverReleaseSource[];
  readonly minimise?: MinimiseSource;
  readonly handling?: HandlingSource;
}

/** An approval rule as written. */
export interface ApprovalSource {
  readonly automatic?: boolean;
  readonly quorum?: number;
  readonly roles?: readonly string[];
  readonly distinct_parties?: boolean;
}

/** A trigger condition as written. */
export interface ConditionSource {
  readonly risk_rating?: {
    readonly any_party_at_least?: number;
    readonly all_parties_at_least?: number;
    readonly any_party_below?: number;
    readonly all_parties_below?: number;
  };
  readonly intel_quality?: { readonly at_least: string; readonly min_confidence?: number };
  readonly incidents?: {
    readonly rsit?: readonly RsitClass[];
    readonly tlp?: readonly Tlp[];
    readonly at_least?: number;
    readonly at_most?: number;
    readonly within: string;
  };
}

/** A whole agreement as written. */
export interface AgreementSource {
  readonly concordat: 1;
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly description?: string;
  readonly effective: { readonly from: string; readonly until?: string };
  readonly parties: readonly {
    readonly id: string;
    readonly name: string;
    readonly constraints?: readonly ConstraintSource[];
  }[];
  readonly agencies: Readonly<
    Record<
      string,
      {
        readonly party: string;
        readonly name?: string;
        readonly roles?: readonly string[];
        readonly certifications?: readonly { readonly id: string; readonly expires: string }[];
      }
    >
  >;
  readonly officials?: Readonly<
    Record<
      string,
      { readonly party: string; readonly roles?: readonly string[]; readonly public_key?: string }
    >
  >;
  readonly purposes: readonly string[] | Readonly<Record<string, string>>;
  readonly levels: readonly string[];
  readonly core: CoreSource & { readonly max_retention: string };
  readonly tiers: Readonly<Record<string, TierSource>>;
  readonly extensions?: Readonly<
    Record<
      string,
      {
        readonly description?: string;
        readonly parties: readonly string[];
        readonly core?: CoreSource;
        readonly tiers?: Readonly<Record<string, TierSource>>;
      }
    >
  >;
  readonly triggers?: readonly {
    readonly id: string;
    readonly description?: string;
    readonly when: ConditionSource;
    readonly raise_to: string;
    readonly approval?: ApprovalSource;
    readonly max_duration: string;
    readonly lower_when?: { readonly when: ConditionSource; readonly for: string };
  }[];
  readonly waivers?: {
    readonly max_duration: string;
    readonly post_review_within: string;
    readonly approval?: ApprovalSource;
    readonly never_waive?: readonly NeverReleaseSource[];
  };
  readonly reviews?: { readonly every: string; readonly observers?: readonly string[] };
  readonly sanctions?: readonly {
    readonly id: string;
    readonly description?: string;
    readonly on: string;
    readonly action: 'suspend-agency' | 'suspend-party' | 'downgrade-tier' | 'revoke-certification';
    readonly to_tier?: string;
    readonly duration: string;
  }[];
  readonly disputes?: {
    readonly path: readonly {
      readonly stage: 'consultation' | 'mediation' | 'arbitration';
      readonly within: string;
    }[];
    readonly pause_while_open?: boolean;
  };
}
