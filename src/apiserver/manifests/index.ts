// The manifests folder (k3s's auto-deploy): files in <data-dir>/server/manifests applied to the API.
export { ManifestDeployer, type ManifestDeployerOptions, type FileOutcome } from './deployer.js';
export { builtinManifests, installBuiltins, renderManifest, type BuiltinManifest, type BuiltinOptions } from './builtin.js';
export { registryResolver } from './registry_resolver.js';
export { LAST_APPLIED_ANNOTATION } from './apply.js';
export { ADDON_LABEL, ADDON_NAMESPACE, recordName } from './addons.js';

/** manifestsDir is the folder the server deploys from, under its data dir. */
export function manifestsDir(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}/server/manifests`;
}
