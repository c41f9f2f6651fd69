// The secrets-encrypt endpoints as the CLI sees them (k3s's /v1-k3s/encrypt/*): paths, bodies,
// stages. The CLI imports this file alone, not the server side.

/** ENCRYPT_STATUS_PATH answers GET with an EncryptionState. */
export const ENCRYPT_STATUS_PATH = '/v1-skiff/encrypt/status';
/** ENCRYPT_CONFIG_PATH takes PUT with an EncryptionRequest. */
export const ENCRYPT_CONFIG_PATH = '/v1-skiff/encrypt/config';

/** Stages of a key rotation, named as k3s names them. */
export const STAGE = {
  start: 'start',
  prepare: 'prepare',
  rotate: 'rotate',
  rotateKeys: 'rotate_keys',
  reencryptRequest: 'reencrypt_request',
  reencryptActive: 'reencrypt_active',
  reencryptFinished: 'reencrypt_finished',
} as const;

/** Stage is one of STAGE's values. */
export type Stage = (typeof STAGE)[keyof typeof STAGE];

/** KeyType is how status names a provider's keys. */
export type KeyType = 'AES-CBC' | 'AES-GCM';

/** ReencryptProgress is how far the last reencryption got. */
export interface ReencryptProgress {
  done: number;
  total: number;
  /** failed counts secrets that could not be rewritten (see error and the server log). */
  failed: number;
  running: boolean;
  error?: string;
}

/**
 * EncryptionState is the status answer; the k3s fields keep k3s's JSON names. enable is absent
 * when there is no configuration file.
 */
export interface EncryptionState {
  stage: string;
  activekey: string;
  enable?: boolean;
  hashmatch?: boolean;
  hasherror?: string;
  inactivekeys?: string[];
  /** keytypes gives each key's type by name. */
  keytypes?: Record<string, KeyType>;
  reencrypt?: ReencryptProgress;
}

/** EncryptionRequest is the PUT body: a stage to move to, or enable true/false (k3s's fields). */
export interface EncryptionRequest {
  stage?: string;
  enable?: boolean;
  force?: boolean;
  skip?: boolean;
}
