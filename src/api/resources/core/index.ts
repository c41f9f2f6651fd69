/** The core (v1) resources. */
import type { ResourceType } from '../../resource.js';
import { configmaps } from './configmaps.js';
import { endpoints } from './endpoints.js';
import { events } from './events.js';
import { limitranges } from './limitranges.js';
import { namespaces } from './namespaces.js';
import { nodes } from './nodes.js';
import { persistentvolumeclaims } from './persistentvolumeclaims.js';
import { persistentvolumes } from './persistentvolumes.js';
import { pods } from './pods.js';
import { podtemplates } from './podtemplates.js';
import { replicationcontrollers } from './replicationcontrollers.js';
import { resourcequotas } from './resourcequotas.js';
import { secrets } from './secrets.js';
import { serviceaccounts } from './serviceaccounts.js';
import { services } from './services.js';

/** coreResources lists every core/v1 ResourceType. */
export const coreResources: ResourceType[] = [
  namespaces,
  nodes,
  pods,
  services,
  endpoints,
  configmaps,
  secrets,
  serviceaccounts,
  events,
  persistentvolumes,
  persistentvolumeclaims,
  limitranges,
  resourcequotas,
  podtemplates,
  replicationcontrollers,
];
