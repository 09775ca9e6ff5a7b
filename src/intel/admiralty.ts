/**
 * Admiralty (NATO) grading ⇄ STIX confidence.
 *
 * A grade is source reliability `A` (completely reliable) … `E` (unreliable), `F` (cannot be
 * judged), followed by information credibility `1` (confirmed) … `5` (improbable), `6`
 * (cannot be judged): `B2`.
 *
 * STIX 2.1 Appendix A ("Admiralty Credibility" scale) maps the credibility digit alone:
 * 1 → 90, 2 → 70, 3 → 50, 4 → 30, 5 → 10, 6 → no confidence value; and back: 80–100 → 1,
 * 60–79 → 2, 40–59 → 3, 20–39 → 4, 0–19 → 5.
 *
 * STIX confidence has no place for reliability, so Concordat folds it in *within* the
 * credibility band: confidence = AppendixA(credibility) − 2 × reliabilityIndex, with A = 0 …
 * E = 4, F = 5 (unknown reliability counts as worse than unreliable: conservative). The result
 * stays inside the Appendix A band of the credibility digit, so any STIX consumer reading the
 * confidence with Appendix A recovers the credibility exactly, and `confidenceToAdmiralty`
 * recovers the whole grade: `A1` 90, `B2` 68, `C3` 46, `F5` 0.
 */

/** Source reliability, best first. */
export type AdmiraltyReliability = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
/** Information credibility, best first. */
export type AdmiraltyCredibility = '1' | '2' | '3' | '4' | '5' | '6';
/** A grade such as `B2`. */
export type AdmiraltyGrade = `${AdmiraltyReliability}${AdmiraltyCredibility}`;

const RELIABILITY: readonly AdmiraltyReliability[] = ['A', 'B', 'C', 'D', 'E', 'F'];
const CREDIBILITY: readonly AdmiraltyCredibility[] = ['1', '2', '3', '4', '5', '6'];
// STIX 2.1 Appendix A, Admiralty Credibility scale: value for credibility 1..5.
const APPENDIX_A = [90, 70, 50, 30, 10] as const;

/** Parses a grade (`b2` and `B2` alike); `undefined` if it is not one. */
export function parseAdmiralty(
  grade: string,
): { readonly reliability: number; readonly credibility: number } | undefined {
  const m = /^([A-Fa-f])([1-6])$/.exec(grade.trim());
  if (m === null) return undefined;
  return {
    reliability: RELIABILITY.indexOf((m[1] as string).toUpperCase() as AdmiraltyReliability),
    credibility: CREDIBILITY.indexOf(m[2] as AdmiraltyCredibility),
  };
}

/** True when `grade` is a well-formed Admiralty grade. */
export function isAdmiraltyGrade(grade: string): grade is AdmiraltyGrade {
  return /^[A-F][1-6]$/.test(grade);
}

/**
 * The STIX confidence (0–100) of a grade, or `undefined` when the credibility cannot be judged
 * (`6`: STIX 2.1 Appendix A gives it no value) or the grade is malformed.
 */
export function admiraltyToConfidence(grade: string): number | undefined {
  const g = parseAdmiralty(grade);
  if (g === undefined || g.credibility === 5) return undefined;
  return (APPENDIX_A[g.credibility] as number) - 2 * g.reliability;
}

/**
 * The grade a STIX confidence stands for: the credibility by STIX 2.1 Appendix A, the
 * reliability by the Concordat offset within the band (values above the band's centre are
 * `A`). `undefined` for a value outside 0–100 or not an integer.
 */
export function confidenceToAdmiralty(confidence: number): AdmiraltyGrade | undefined {
  if (!Number.isInteger(confidence) || confidence < 0 || confidence > 100) return undefined;
  const credibility = confidence >= 80 ? 0 : 4 - Math.floor(confidence / 20);
  const centre = APPENDIX_A[credibility] as number;
  const reliability = Math.min(5, Math.max(0, Math.ceil((centre - confidence) / 2)));
  return `${RELIABILITY[reliability] as AdmiraltyReliability}${CREDIBILITY[credibility] as AdmiraltyCredibility}`;
}

function parsed(grade: string): { reliability: number; credibility: number } {
  const g = parseAdmiralty(grade);
  if (g === undefined) throw new RangeError(`\`${grade}\` is not an admiralty grade`);
  return g;
}

/**
 * Total order for sorting, best first: by reliability, then credibility. Negative when `a` is
 * better than `b`. Throws `RangeError` on a malformed grade.
 */
export function compareAdmiralty(a: string, b: string): number {
  const x = parsed(a);
  const y = parsed(b);
  return x.reliability - y.reliability || x.credibility - y.credibility;
}

/**
 * True when `grade` is at least as good as `threshold` in *both* dimensions: `A2` and `B1`
 * reach `B2`, `C1` and `A3` do not (a very reliable source does not make doubtful information
 * credible). Malformed grades never reach anything.
 */
export function admiraltyAtLeast(grade: string, threshold: string): boolean {
  const g = parseAdmiralty(grade);
  const t = parseAdmiralty(threshold);
  if (g === undefined || t === undefined) return false;
  return g.reliability <= t.reliability && g.credibility <= t.credibility;
}
