/** MediaTarget is what the client asked the response to be, from its Accept header. */
export type MediaTarget =
  | { as: 'object' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1'; list: boolean }
  | { as: 'APIGroupDiscoveryList'; version: 'v2' | 'v2beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const i = kv.indexOf('=');
        if (i > 0) p[kv.slice(0, i).trim()] = kv.slice(i + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params: p };
    })
    .filter((m) => m.type !== '');
}

/**
 * negotiate picks the first representation in the Accept header that the server can produce:
 * Table, PartialObjectMetadata(List), aggregated discovery, or the plain object (JSON).
 */
export function negotiate(accept: string | undefined, allowed: { table?: boolean; discovery?: boolean }): MediaTarget {
  for (const m of parseAccept(accept ?? '')) {
    const { as, g, v } = m.params;
    const jsonish = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    if (!jsonish) continue;
    if (!as) return { as: 'object' };
    if (allowed.table && as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) return { as: 'Table', version: v };
    if (allowed.table && (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) {
      return { as: 'PartialObjectMetadata', version: v, list: as === 'PartialObjectMetadataList' };
    }
    if (allowed.discovery && as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && (v === 'v2' || v === 'v2beta1')) {
      return { as: 'APIGroupDiscoveryList', version: v };
    }
  }
  return { as: 'object' };
}
