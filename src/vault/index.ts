/**
 * vault/: envelope encryption of stored intel (AES-256-GCM, a data key per producing party and
 * retention window, data keys wrapped by the party's key-encryption key), key custody behind
 * `KeyCustody` (a local encrypted keyring now, an HSM later), and crypto-shredding.
 */
export { seal, open, encodeAad, KEY_BYTES, NONCE_BYTES, TAG_BYTES } from './aead.js';
export type { Sealed } from './aead.js';
export type { KeyCustody, KekInfo } from './key-custody.js';
export { LocalKeyring, createKeyFile } from './local-keyring.js';
export type { KeyringSecret, LocalKeyringOptions, ScryptCost } from './local-keyring.js';
export { windowFor } from './retention-window.js';
export type { RetentionWindow, WindowBounds } from './retention-window.js';
export { createVault, objectAad, dataKeyAad, sealObject } from './vault.js';
export type {
  PutObjectInput,
  SealedFields,
  SealingKey,
  ShredEvent,
  ShredOptions,
  ShredResult,
  Vault,
  VaultOptions,
} from './vault.js';
export { writeFileAtomic } from './atomic-file.js';
