import type { VersionInfo } from '../apiserver/server.js';

/** SKIFF_VERSION is skiff's own release; the Kubernetes API it speaks is v1.32. */
export const SKIFF_VERSION = '0.1.0';

/** versionInfo is what /version reports: the Kubernetes version, with skiff's build as metadata (as k3s does). */
export function versionInfo(): VersionInfo {
  return {
    major: '1',
    minor: '32',
    gitVersion: `v1.32.0+skiff-${SKIFF_VERSION}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-11-26T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
