/**
 * The JSON Schema (draft 2020-12) of a node config file: the single source of
 * docs/node-config.schema.json (test/node/config.test.ts fails when the two differ; regenerate
 * with the command in docs/node-config.md). Structure only; files, keys and environment
 * variables are checked when the node opens. `additionalProperties: false` everywhere, so a
 * typo is an issue, not a silently ignored key.
 */

/** The schema's `$id`. */
export const NODE_CONFIG_SCHEMA_ID = 'https://concordat.example/schemas/node-config-1.schema.json';

type Schema = Readonly<Record<string, unknown>>;

// Same grammar as parseDuration (src/core/duration.ts); the loader parses it again.
const DURATION_PATTERN =
  '^P(?!$)(?:(\\d{1,6})Y)?(?:(\\d{1,6})M)?(?:(\\d{1,6})W)?(?:(\\d{1,6})D)?(?:T(?=\\d)(?:(\\d{1,6})H)?(?:(\\d{1,6})M)?(?:(\\d{1,9})S)?)?$';
// Same grammar as agreement ids (src/agreement/schema.ts ID_PATTERN): a party id.
const PARTY_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9._+:-]{0,62}[A-Za-z0-9+])?$';
const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';

const path = (description: string): Schema => ({ type: 'string', minLength: 1, description });
const envName = (description: string): Schema => ({
  type: 'string',
  pattern: ENV_NAME_PATTERN,
  description,
});
const strict = (
  description: string,
  properties: Record<string, Schema>,
  required: readonly string[] = [],
): Schema => ({
  type: 'object',
  description,
  additionalProperties: false,
  ...(required.length > 0 ? { required } : {}),
  properties,
});
const count = (description: string, minimum: number): Schema => ({
  type: 'integer',
  minimum,
  maximum: Number.MAX_SAFE_INTEGER,
  description,
});

/** The node config schema. */
export const NODE_CONFIG_SCHEMA: Schema = Object.freeze({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: NODE_CONFIG_SCHEMA_ID,
  title: 'Concordat node config',
  description:
    'One national node: the party it serves, where it keeps its data and keys, and the agreements it takes part in. Relative paths resolve against the directory of the config file.',
  ...strict(
    'the node config',
    {
      party: {
        type: 'string',
        pattern: PARTY_PATTERN,
        description: 'the party this node serves (its id in the agreements)',
      },
      name: {
        type: 'string',
        pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$',
        description:
          'this node among the party’s nodes (default `node`); the ledger origin is `concordat.<party>.<name>`',
      },
      data_dir: path('directory for the node’s data (default: the config file’s directory)'),
      store: {
        type: 'object',
        description: 'the database: `sqlite` (default, `<data_dir>/concordat.db`) or `postgres`',
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        properties: {
          sqlite: strict('embedded sqlite', { path: path('database file') }),
          postgres: {
            ...strict('postgresql', {
              url: { type: 'string', pattern: '^postgres(ql)?://', description: 'connection url' },
              url_env: envName('environment variable holding the connection url'),
            }),
            minProperties: 1,
            maxProperties: 1,
          },
        },
      },
      keyring: {
        ...strict(
          'the local encrypted keyring of key-encryption keys, and how to unlock it: exactly one of `passphrase_env` or `key_file`',
          {
            path: path('keyring file (default `<data_dir>/keyring.json`)'),
            passphrase_env: envName('environment variable holding the keyring passphrase'),
            key_file: path('file holding the 32-byte keyring key (mode 0600)'),
          },
        ),
        minProperties: 1,
      },
      signing_key: path(
        'the node’s Ed25519 private key (PKCS#8 PEM): signs ledger checkpoints (C2SP signed note)',
      ),
      agreements: {
        type: 'array',
        description: 'the agreements this node takes part in',
        items: strict(
          'one agreement',
          {
            file: path('agreement source (YAML, or JSON when the name ends in .json)'),
            signatures: path('detached signature file; every party must have signed'),
            keys: path(
              'trusted public keys for `signatures`: a directory of <PARTY>.pub.pem or a JSON map',
            ),
            official_keys: path(
              'public keys of the agreement’s officials that it does not pin (escalation and waiver approvals): a directory of <OFFICIAL>.pub.pem or a JSON map of official to PEM',
            ),
          },
          ['file'],
        ),
      },
      listen: strict('where the node’s server listens (used by `concordat serve`)', {
        host: { type: 'string', minLength: 1, description: 'address (default 127.0.0.1)' },
        port: {
          type: 'integer',
          minimum: 0,
          maximum: 65535,
          description: 'port (default 8443)',
        },
        https: {
          type: 'boolean',
          description:
            'serve the analyst API over https with the node certificate (needs `tls`); then any address is allowed (default false: plain http, loopback only)',
        },
      }),
      tls: strict(
        'this node’s TLS identity: the certificate it serves and pulls with, and the CA partners trust (docs/federation.md)',
        {
          cert: path('PEM: the node certificate (and any chain), issued by this node’s CA'),
          key: path('PEM private key of the node certificate (mode 0600)'),
          ca: path('this node’s own CA certificate: what partners are given to trust'),
        },
        ['cert', 'key', 'ca'],
      ),
      federation: strict(
        'node-to-node TAXII 2.1 over mutual TLS: where peers connect, and the peers this node pulls from (needs `tls`)',
        {
          listen: strict(
            'the federation listener: mutual TLS only, peers authenticate by certificate',
            {
              host: { type: 'string', minLength: 1, description: 'address (default 127.0.0.1)' },
              port: {
                type: 'integer',
                minimum: 0,
                maximum: 65535,
                description: 'port (default 9443)',
              },
            },
          ),
          peers: {
            type: 'array',
            description: 'partner nodes, one per party',
            items: strict(
              'one partner node',
              {
                party: {
                  type: 'string',
                  pattern: PARTY_PATTERN,
                  description: 'a party of one of the node’s agreements, never the node’s own',
                },
                url: {
                  type: 'string',
                  pattern: '^https://[^\\s/?#]+/\\S*$',
                  description: 'the peer’s federation TAXII discovery URL (https)',
                },
                ca: path('the CA certificate (PEM) that issues the peer’s node certificate'),
                pin: {
                  type: 'string',
                  pattern: '^[0-9a-f]{64}$',
                  description:
                    'optional: SHA-256 of the peer certificate’s DER, 64 lowercase hex digits',
                },
                agency: {
                  type: 'string',
                  pattern: PARTY_PATTERN,
                  description:
                    'the agreement agency of that party this peer’s pulls are decided for',
                },
                pull_every: {
                  type: 'string',
                  pattern: DURATION_PATTERN,
                  description: 'how often to pull from the peer, ISO 8601 (default PT60S)',
                },
              },
              ['party', 'url', 'ca', 'agency'],
            ),
          },
        },
      ),
      witnesses: {
        type: 'array',
        description:
          'oversight bodies whose cosignatures of the node’s checkpoints the node accepts, keeps and serves (docs/oversight.md)',
        items: strict(
          'one witness',
          {
            name: {
              type: 'string',
              pattern: '^[^\\s+]+$',
              maxLength: 256,
              description: 'the witness’s C2SP signed-note key name, e.g. oversight.example',
            },
            key: {
              type: 'string',
              minLength: 1,
              maxLength: 1024,
              description:
                'the witness’s verifier key, `<name>+<8 hex key id>+<base64 key>` (as `concordat ledger head` prints one)',
            },
          },
          ['name', 'key'],
        ),
      },
      limits: strict('bounds on what the node accepts and keeps', {
        max_bundle_bytes: count('largest STIX bundle accepted, in bytes (default 64 MiB)', 1),
        retention: {
          type: 'string',
          pattern: DURATION_PATTERN,
          description:
            'how long ingested intel is kept at most, ISO 8601 (default P365D); a handling extension’s earlier deadline wins',
        },
        stix: strict('structural limits on STIX input', {
          max_depth: count('deepest nesting (default 64)', 2),
          max_values: count('most JSON values (default 5,000,000)', 1),
          max_string_length: count('longest string (default 10,000,000)', 1),
        }),
        rate: strict('server requests per agency: a token bucket', {
          per_second: count('requests per second an agency may sustain (default 50)', 1),
          burst: count('requests an idle agency may make at once (default 200)', 1),
        }),
        ingest_workers: count(
          'threads that prepare large bundles (validation, canonical JSON, hashes) while the writer stores them; default: cores − 1, at most 4; 0: all on the main thread',
          0,
        ),
      }),
    },
    ['party', 'keyring', 'signing_key'],
  ),
});

/** The schema as the JSON text of docs/node-config.schema.json (before prettier). */
export function renderNodeConfigSchema(): string {
  return `${JSON.stringify(NODE_CONFIG_SCHEMA, null, 2)}\n`;
}
