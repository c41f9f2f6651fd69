/** Informer handlers of the disruption controller: PDB changes and pod changes enqueue PDB keys. */
import type { KubeObject } from '../../api/types.js';
import { field } from '../../api/object.js';
import { labelSelectorFromObject } from '../../api/labels/selector.js';
import { objectKeyOf, type EventHandlers } from '../../client/informer.js';
import { NAMESPACE_INDEX, type Lister } from './deps.js';

/** pdbsForPod returns the keys of the PDBs in the pod's namespace whose selector matches its labels. */
export function pdbsForPod(pdbLister: Lister, pod: KubeObject): string[] {
  const keys: string[] = [];
  for (const pdb of pdbLister.byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')) {
    try {
      if (labelSelectorFromObject(field(pdb, 'spec', 'selector')).matches(pod.metadata.labels ?? {})) keys.push(objectKeyOf(pdb));
    } catch {
      // An invalid selector matches nothing; the PDB's own sync reports it.
    }
  }
  return keys;
}

/** disruptionHandlers returns the PDB and pod handlers; they only enqueue keys. */
export function disruptionHandlers(pdbLister: Lister, enqueue: (key: string) => void): { pdbs: EventHandlers; pods: EventHandlers } {
  const podChanged = (pod: KubeObject): void => {
    for (const key of pdbsForPod(pdbLister, pod)) enqueue(key);
  };
  return {
    pdbs: {
      onAdd: (pdb) => enqueue(objectKeyOf(pdb)),
      onUpdate: (_old, pdb) => enqueue(objectKeyOf(pdb)),
      onDelete: (pdb) => enqueue(objectKeyOf(pdb)),
    },
    pods: {
      onAdd: podChanged,
      onUpdate: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        podChanged(cur);
        // A pod whose labels changed may have left a budget: that budget re-counts too.
        if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {})) podChanged(old);
      },
      onDelete: podChanged,
    },
  };
}
