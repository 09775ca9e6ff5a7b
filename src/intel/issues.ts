/**
 * Validation issues. A validation collects every issue it finds (STYLE.md: validation returns
 * results listing every issue); each names a stable code, a JSON Pointer (RFC 6901) into the
 * input, and a lowercase message that quotes no intel content beyond property names.
 */

/** Stable issue codes, documented in docs/spec/intel.md (this file's TSDoc). */
export type StixIssueCode =
  /** The input nests deeper than the limit. */
  | 'input-too-deep'
  /** The input has more values, or a longer string, than the limit. */
  | 'input-too-large'
  /** A value that must be a JSON object is not one. */
  | 'not-an-object'
  /** A required property is absent. */
  | 'missing-property'
  /** The official OASIS schema rejects a value (the message names the schema keyword). */
  | 'schema-violation'
  /** A type neither STIX 2.1 nor a declared extension defines (STIX 2.1 §11.2, §7.3). */
  | 'unknown-type'
  /** A custom object type in the deprecated `x-` style (STIX 2.1 §11.2); allowed. */
  | 'custom-object-type'
  /** An id or reference that is not `type--UUID`. */
  | 'id-malformed'
  /** An id or reference with non-ASCII or invisible characters (homoglyphs, zero-width). */
  | 'id-non-ascii'
  /** A UUID without the RFC 4122 version and variant bits. */
  | 'id-not-rfc4122'
  /** A UUID with uppercase hex (RFC 4122 §3: output is lowercase). */
  | 'id-not-lowercase'
  /** The id's type part differs from the object's `type`, or a reference names the wrong type. */
  | 'id-type-mismatch'
  /** A timestamp that is not an RFC 3339 UTC (`Z`) timestamp of a real instant. */
  | 'timestamp-invalid'
  /** `modified` is earlier than `created` (STIX 2.1 §3.2). */
  | 'modified-before-created'
  /** A later-than-earlier pair out of order (`valid_until` before `valid_from`, ...). */
  | 'time-order'
  /** A top-level property neither the type nor a declared extension defines, without `x_`. */
  | 'custom-property-name'
  /** A marking reference that is neither a standard TLP marking nor defined in the bundle. */
  | 'marking-unresolved'
  /** The same object (id and `modified`) appears twice in one bundle. */
  | 'duplicate-object';

/** How serious an issue is: errors make the input invalid, warnings do not. */
export type StixIssueSeverity = 'error' | 'warning';

/** One thing wrong with an input. */
export interface StixIssue {
  readonly code: StixIssueCode;
  /** RFC 6901 JSON Pointer, e.g. `/objects/3/valid_from`; `''` is the whole input. */
  readonly path: string;
  readonly message: string;
  readonly severity: StixIssueSeverity;
}

/** The result of a validation: `valid` when no issue is an error. */
export interface StixValidation {
  readonly valid: boolean;
  readonly issues: readonly StixIssue[];
}

/** RFC 6901: escapes one reference token (`~` → `~0`, `/` → `~1`). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins a base pointer and tokens. */
export function pointer(base: string, ...tokens: (string | number)[]): string {
  return base + tokens.map((t) => `/${pointerToken(t)}`).join('');
}

/** Builds a result from collected issues. */
export function validationResult(issues: readonly StixIssue[]): StixValidation {
  return { valid: !issues.some((i) => i.severity === 'error'), issues };
}
