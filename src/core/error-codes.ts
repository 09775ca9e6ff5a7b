/**
 * The registry of every error code Concordat can raise, with the HTTP status it maps to and
 * the process exit code the CLI uses. `docs/errors.md` documents each one; a test keeps the two
 * in step (STYLE.md: errors are typed, coded, documented).
 */
export interface ErrorSpec {
  /** HTTP status when the error crosses the API boundary. */
  readonly status: number;
  /** CLI exit code. 1 = the thing checked is bad, 2 = usage, 3 = input unreadable, 70 = bug. */
  readonly exit: number;
  /** One line, lowercase, for docs and `--help`. */
  readonly summary: string;
}

export const ERROR_CODES = {
  ERR_USAGE: {
    status: 400,
    exit: 2,
    summary: 'a command or request was called with missing or wrong arguments',
  },
  ERR_INPUT_UNREADABLE: {
    status: 400,
    exit: 3,
    summary: 'an input file or stream could not be read',
  },
  ERR_INPUT_SYNTAX: { status: 400, exit: 3, summary: 'an input is not well-formed yaml or json' },
  ERR_INPUT_TOO_LARGE: {
    status: 413,
    exit: 3,
    summary: 'an input is larger than the configured limit',
  },
  ERR_DURATION_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a value is not an iso 8601 duration this product accepts',
  },
  ERR_INSTANT_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a value is not an rfc 3339 timestamp with a time zone',
  },
  ERR_AGREEMENT_INVALID: {
    status: 422,
    exit: 1,
    summary: 'an agreement failed validation; every issue is listed',
  },
  ERR_AGREEMENT_NOT_SIGNED: {
    status: 422,
    exit: 1,
    summary: 'an agreement lacks a valid signature from a party',
  },
  ERR_SIGNATURE_INVALID: {
    status: 422,
    exit: 1,
    summary: 'a signature does not verify against the signer key and content',
  },
  ERR_KEY_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a key is missing, malformed, or of the wrong type',
  },
  ERR_REQUEST_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a decision request names an unknown or malformed field',
  },
  ERR_STIX_INVALID: {
    status: 422,
    exit: 1,
    summary: 'a stix 2.1 bundle or object failed validation; every issue is listed',
  },
  ERR_NOT_FOUND: { status: 404, exit: 1, summary: 'the named thing does not exist' },
  ERR_LEDGER_RANGE: {
    status: 400,
    exit: 2,
    summary: 'a ledger index, tree size or hash is out of range or malformed',
  },
  ERR_LEDGER_ENTRY_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a ledger entry is malformed or its body looks like content, not hashes and ids',
  },
  ERR_LEDGER_EXPORT_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a ledger export file is malformed: its line is named',
  },
  ERR_LEDGER_INTEGRITY: {
    status: 500,
    exit: 1,
    summary: 'a stored ledger record does not match its recomputed hash; nothing was signed',
  },
  ERR_LEDGER_SPLIT_VIEW: {
    status: 409,
    exit: 1,
    summary:
      'a node signed two checkpoints that cannot both be true (a rollback, a fork, a rewritten history)',
  },
  ERR_CHECKPOINT_INVALID: {
    status: 422,
    exit: 1,
    summary: 'a checkpoint cannot be formed, parsed or verified',
  },
  ERR_SHREDDED: {
    status: 410,
    exit: 1,
    summary: 'an object was crypto-shredded when its retention ended; it can never be read again',
  },
  ERR_RETENTION_ENDED: {
    status: 410,
    exit: 1,
    summary: 'an object is past its retention deadline and awaits shredding; it is not readable',
  },
  ERR_DECRYPT_FAILED: {
    status: 500,
    exit: 1,
    summary: 'a stored ciphertext, nonce, tag or its bound ids failed authentication',
  },
  ERR_KEYRING_LOCKED: {
    status: 500,
    exit: 1,
    summary: 'a keyring could not be opened: wrong passphrase or key file, or the file was altered',
  },
  ERR_OBJECT_CONFLICT: {
    status: 409,
    exit: 1,
    summary: 'an object version (id, modified) already exists with different content',
  },
  ERR_STORE_UNAVAILABLE: {
    status: 503,
    exit: 3,
    summary: 'the database could not be opened or reached',
  },
  ERR_STORE_SCHEMA: {
    status: 500,
    exit: 1,
    summary: 'the database schema is newer than this software or a migration failed',
  },
  ERR_CONFIG_INVALID: {
    status: 500,
    exit: 2,
    summary: 'a node config file is invalid; every issue is listed with its line:column',
  },
  ERR_NODE_EXISTS: {
    status: 409,
    exit: 1,
    summary: 'a node already exists where `concordat init` was asked to create one',
  },
  ERR_UNAUTHENTICATED: {
    status: 401,
    exit: 2,
    summary: 'a request carried no credential, or an unknown, expired, revoked or malformed one',
  },
  ERR_RATE_LIMITED: {
    status: 429,
    exit: 1,
    summary: 'an agency sent more requests than the node allows it per second',
  },
  ERR_FORBIDDEN: {
    status: 403,
    exit: 1,
    summary:
      'an authenticated agency asked for an action its credential or the agreement does not grant',
  },
  ERR_NOT_ACCEPTABLE: {
    status: 406,
    exit: 2,
    summary: 'a request accepts no media type the endpoint can answer with',
  },
  ERR_MEDIA_TYPE_UNSUPPORTED: {
    status: 415,
    exit: 2,
    summary: 'a request body has a media type the endpoint does not take',
  },
  ERR_FILTER_INVALID: {
    status: 400,
    exit: 2,
    summary: 'a taxii filter, query parameter, page token or id is unknown or malformed',
  },
  ERR_ESCALATION_EVENT_INVALID: {
    status: 400,
    exit: 2,
    summary: 'an escalation event is malformed; every problem is listed and nothing was written',
  },
  ERR_ESCALATION_REFUSED: {
    status: 409,
    exit: 1,
    summary:
      'an escalation event was refused by the agreement or the current state; every reason is listed and nothing was written',
  },
  ERR_BODY_INVALID: {
    status: 400,
    exit: 2,
    summary:
      'a request body or query does not match the endpoint schema (unknown or missing field, wrong type); every issue is listed',
  },
  ERR_AGREEMENT_VERSION_CONFLICT: {
    status: 409,
    exit: 1,
    summary:
      'an agreement version is already loaded, or is not pending and cannot be activated; nothing was written',
  },
  ERR_NOT_CONFIGURED: {
    status: 503,
    exit: 3,
    summary: 'the node was started without the component this endpoint needs',
  },
  ERR_TLS_MATERIAL_INVALID: {
    status: 500,
    exit: 2,
    summary:
      'a tls certificate, private key or ca file is missing, malformed, readable by other users, or does not match its key',
  },
  ERR_TLS_PEER_UNKNOWN: {
    status: 401,
    exit: 1,
    summary:
      'a tls peer presented no certificate, or one not issued by the ca configured for any peer',
  },
  ERR_TLS_PARTY_MISMATCH: {
    status: 401,
    exit: 1,
    summary:
      'a tls peer certificate was issued by a trusted peer ca but names another party (subject `O`)',
  },
  ERR_TLS_CERT_NOT_VALID_NOW: {
    status: 401,
    exit: 1,
    summary: 'a tls peer certificate is expired or not yet valid',
  },
  ERR_TLS_PIN_MISMATCH: {
    status: 401,
    exit: 1,
    summary: "a tls peer certificate's sha-256 differs from the pin configured for that peer",
  },
  ERR_FEDERATION_PEER: {
    status: 502,
    exit: 1,
    summary: 'a federation peer could not be reached, or answered with an error, after every retry',
  },
  ERR_FEDERATION_PROTOCOL: {
    status: 502,
    exit: 1,
    summary:
      'a federation peer answered something other than the taxii 2.1 or receipt shape expected',
  },
  ERR_RECEIPT_INVALID: {
    status: 422,
    exit: 1,
    summary:
      "a signed receipt is malformed, names another producer, or is not signed by the receiving party's key",
  },
  ERR_INTERNAL: {
    status: 500,
    exit: 70,
    summary: 'a bug in concordat; please report it with the command that caused it',
  },
} as const satisfies Record<string, ErrorSpec>;

/** Every code Concordat can raise. */
export type ErrorCode = keyof typeof ERROR_CODES;
