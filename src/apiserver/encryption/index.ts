// Public surface of secrets encryption at rest (kube-apiserver's EncryptionConfiguration, k3s's
// secrets-encrypt): the composition root opens the runtime, hands its transformers to ApiCore and
// mounts the routes. The CLI imports ./protocol.ts directly.
export { AES_KEY_SIZES, aesProvider, aesProviderPrefix, type AesProviderName, type NamedKey } from './aes.js';
export {
  ENCRYPTION_CONFIG_API_VERSION,
  ENCRYPTION_CONFIG_KIND,
  EncryptionConfigError,
  buildTransformers,
  parseEncryptionConfig,
  providerList,
  type EncryptionConfiguration,
  type KeyConfig,
  type ProviderConfig,
  type ResourceConfig,
} from './config.js';
export { encryptionConfigPath, encryptionStatePath, initialConfig, readEncryptionConfig, writeEncryptionConfig } from './config_file.js';
export { EncryptionManager, EncryptionRequestError, type EncryptionManagerOptions } from './manager.js';
export { ENCRYPT_CONFIG_PATH, ENCRYPT_STATUS_PATH, STAGE, type EncryptionRequest, type EncryptionState } from './protocol.js';
export { reencryptSecrets, SECRETS_PREFIX } from './reencrypt.js';
export { encryptionRoutes, type EncryptionRoutesOptions } from './routes.js';
export { EncryptionRuntime, type EncryptionRuntimeOptions } from './runtime.js';
export { ENCRYPTED_PREFIX, IDENTITY, TransformError, prefixChain, type ValueTransformer } from './transformer.js';
