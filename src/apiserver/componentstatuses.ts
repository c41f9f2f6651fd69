/**
 * v1 ComponentStatus (`kubectl get cs`, deprecated upstream since 1.19 but still listed by tools):
 * computed on each read, never stored. The scheduler and controller manager run in the server
 * process under leader election, so each is healthy while some server holds its Lease; etcd-0 is
 * the datastore answering.
 */
import { errors } from '../api/errors.js';
import type { ResourceType, TableColumn } from '../api/resource.js';
import { num, str } from '../api/object.js';
import type { KubeObject } from '../api/types.js';
import type { Clock } from '../lib/clock.js';
import { systemScope } from './bootstrap.js';
import type { ApiCore, Reader } from './core.js';

const column = (name: string, description: string, format = ''): TableColumn => ({ name, type: 'string', format, description, priority: 0 });

/** componentstatuses is the read-only v1 ComponentStatus resource (short name `cs`). */
export const componentstatuses: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ComponentStatus',
  plural: 'componentstatuses',
  singular: 'componentstatus',
  namespaced: false,
  shortNames: ['cs'],
  categories: [],
  nameRule: 'subdomain',
  hasStatus: false,
  tracksGeneration: false,
  subresources: [],
  verbs: ['get', 'list'],
  defaults: () => {},
  validate: () => [],
  columns: [column('Name', 'Name must be unique within a namespace.', 'name'), column('Status', 'Status of the component conditions'), column('Message', 'Message of the component conditions'), column('Error', 'Error of the component conditions')],
  row: (obj) => {
    const c = (obj as { conditions?: { type?: string; status?: string; message?: string; error?: string }[] }).conditions?.find((x) => x.type === 'Healthy');
    return [obj.metadata.name ?? '', c?.status === 'True' ? 'Healthy' : c ? 'Unhealthy' : 'Unknown', c?.message ?? '', c?.error ?? ''];
  },
};

const DEPRECATION = 'v1 ComponentStatus is deprecated in v1.19+';

function status(name: string, healthy: boolean, detail: string): KubeObject {
  const condition = healthy ? { type: 'Healthy', status: 'True', message: detail } : { type: 'Healthy', status: 'False', error: detail };
  return { kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name }, conditions: [condition] } as KubeObject;
}

/** componentStatusReader computes the three components' health. */
export function componentStatusReader(core: ApiCore, clock: Clock): Reader {
  const leaseHeld = async (name: string): Promise<KubeObject> => {
    const component = name === 'kube-scheduler' ? 'scheduler' : 'controller-manager';
    try {
      const lease = await core.get(systemScope(core, 'coordination.k8s.io', 'v1', 'leases', 'kube-system'), name);
      const renewed = Date.parse(str(lease, 'spec', 'renewTime') ?? '');
      const duration = (num(lease, 'spec', 'leaseDurationSeconds') ?? 15) * 1000;
      if (Number.isFinite(renewed) && clock.now() <= renewed + duration) return status(component, true, 'ok');
      return status(component, false, `no ${name} instance has renewed its lease in the last ${duration / 1000}s`);
    } catch {
      return status(component, false, `no ${name} instance has taken its lease (disabled, or not started yet)`);
    }
  };
  const etcd = async (): Promise<KubeObject> => {
    try {
      await core.opts.backend.currentRevision();
      return status('etcd-0', true, 'ok');
    } catch (e) {
      return status('etcd-0', false, (e as Error).message);
    }
  };
  const all = (): Promise<KubeObject[]> => Promise.all([leaseHeld('kube-scheduler'), leaseHeld('kube-controller-manager'), etcd()]);
  return {
    async get(scope, name) {
      scope.warnings.push(DEPRECATION);
      const found = (await all()).find((o) => o.metadata.name === name);
      if (!found) throw errors.notFound({ group: '', resource: 'componentstatuses' }, name);
      return found;
    },
    async list(scope, opts) {
      scope.warnings.push(DEPRECATION);
      const filter = core.filterFor(componentstatuses, opts);
      return { items: (await all()).filter(filter), resourceVersion: '' };
    },
  };
}
