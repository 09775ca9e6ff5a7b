/** A key-encryption key as custody describes it (never its material). */
export interface KekInfo {
  readonly kekId: string;
  /** The party the KEK belongs to; it wraps only that party's data keys. */
  readonly party: string;
  readonly createdMs: number;
}

/**
 * Key custody: where key-encryption keys live and the only place they are used. Data keys are
 * handed in to be wrapped and come back unwrapped; a KEK never leaves custody. The local
 * keyring implements it now; an HSM over PKCS#11 (C_WrapKey / C_UnwrapKey with
 * CKM_AES_GCM) can implement it later without the vault changing.
 */
export interface KeyCustody {
  /** The KEK that wraps new data keys of `party` (its newest), if it has one. */
  kekFor(party: string): Promise<KekInfo | undefined>;
  /** Describes a KEK, or `undefined` if custody does not hold it. */
  kekInfo(kekId: string): Promise<KekInfo | undefined>;
  /** Creates (and persists) a new KEK for `party`; it becomes the party's current KEK. */
  createKek(party: string): Promise<KekInfo>;
  /** Wraps a data key under `kekId`, binding `aad` (AES-256-GCM key wrap). */
  wrap(kekId: string, dataKey: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Unwraps; fails with `ERR_DECRYPT_FAILED` if the blob, `aad` or KEK do not match. */
  unwrap(kekId: string, wrapped: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  /** Every KEK held. */
  listKeks(): Promise<readonly KekInfo[]>;
  /** Forgets key material held in memory. Later calls fail. */
  close(): Promise<void>;
}
