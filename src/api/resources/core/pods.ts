/** The core/v1 Pod resource: defaults, validation, create/update preparation, Table columns and field labels. */
import type { FieldError } from '../../field_errors.js';
import { ensureObj, str } from '../../object.js';
import type { ResourceType, TableColumn } from '../../resource.js';
import { isObject, type KubeObject } from '../../types.js';
import { defaultPodOnlyFields, defaultPodSpec } from './pod_spec_defaults.js';
import { validatePodSpec } from './pod_spec.js';
import { ephemeralContainersStrategy, validateNoEphemeralOnCreate } from './pod_spec_ephemeral.js';
import { podIP, podRow } from './pods_printer.js';
import { podQOSClass } from './pods_qos.js';
import { validatePodSpecUpdate } from './pods_update.js';

/** NAME_DESCRIPTION and AGE_DESCRIPTION are the ObjectMeta docs the printers use for the NAME and AGE columns. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
/** AGE_DESCRIPTION documents the AGE column (creationTimestamp). */
export const AGE_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const col = (name: string, description: string, priority: 0 | 1 = 0, format = ''): TableColumn => ({ name, type: 'string', format, description, priority });

/** podColumns are the pod printer's column definitions (kubectl upper-cases the names). */
export const podColumns: TableColumn[] = [
  col('Name', NAME_DESCRIPTION, 0, 'name'),
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  col('Age', AGE_DESCRIPTION),
  col('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  col('Node', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.', 1),
  col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
  col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True".', 1),
];

function podSpecOf(obj: KubeObject): Record<string, unknown> {
  return ensureObj(obj, 'spec');
}

/** resetPodStatus sets the status a new pod starts with: Pending plus its QoS class. */
function resetPodStatus(obj: KubeObject): void {
  obj['status'] = { phase: 'Pending', qosClass: podQOSClass(obj['spec']) };
}

/** pods is the core/v1 Pod resource type. */
export const pods: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  nameRule: 'subdomain',
  hasStatus: true,
  tracksGeneration: false,
  subresources: ['binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers'],
  subresourceStrategies: { ephemeralcontainers: ephemeralContainersStrategy((spec) => validatePodSpec(spec, 'spec')) },
  defaults(obj) {
    const spec = podSpecOf(obj);
    defaultPodSpec(spec);
    defaultPodOnlyFields(spec);
    const status = obj['status'];
    // Only a new pod (no phase yet) gets a status here; an existing status is owned by the kubelet.
    if (!isObject(status) || status['phase'] === undefined) resetPodStatus(obj);
  },
  validate(obj, old): FieldError[] {
    // ObjectMeta is validated generically by the API server.
    const errs: FieldError[] = validatePodSpec(obj['spec'], 'spec');
    if (old) errs.push(...validatePodSpecUpdate(obj['spec'], old['spec']));
    else errs.push(...validateNoEphemeralOnCreate(obj['spec']));
    return errs;
  },
  prepareForCreate(obj) {
    resetPodStatus(obj);
  },
  prepareForUpdate(obj, old) {
    obj['status'] = structuredClone(old['status']);
  },
  columns: podColumns,
  row: podRow,
  fieldLabels(obj) {
    return {
      'spec.nodeName': str(obj, 'spec', 'nodeName') ?? '',
      'spec.restartPolicy': str(obj, 'spec', 'restartPolicy') ?? '',
      'spec.schedulerName': str(obj, 'spec', 'schedulerName') ?? '',
      'spec.serviceAccountName': str(obj, 'spec', 'serviceAccountName') ?? '',
      'spec.hostNetwork': obj['spec'] && isObject(obj['spec']) && obj['spec']['hostNetwork'] === true ? 'true' : 'false',
      'status.phase': str(obj, 'status', 'phase') ?? '',
      'status.podIP': podIP(obj),
      'status.nominatedNodeName': str(obj, 'status', 'nominatedNodeName') ?? '',
    };
  },
};
