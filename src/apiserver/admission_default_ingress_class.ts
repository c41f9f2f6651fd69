import { isDefaultIngressClass, LEGACY_INGRESS_CLASS_ANNOTATION } from '../api/resources/networking/ingressclasses.js';
import { isObject, type KubeObject } from '../api/types.js';
import type { AdmissionPlugin } from './admission.js';

/**
 * defaultIngressClass is the DefaultIngressClass admission plugin: an Ingress created without
 * spec.ingressClassName or the legacy class annotation gets the default IngressClass's name
 * (the newest one when several carry the annotation), as kube-apiserver 1.32 does.
 */
export function defaultIngressClass(classes: () => KubeObject[]): AdmissionPlugin {
  return {
    name: 'DefaultIngressClass',
    admit(req) {
      if (req.operation !== 'CREATE' || req.subresource !== '' || req.type.group !== 'networking.k8s.io' || req.type.plural !== 'ingresses') return;
      const spec = isObject(req.obj.spec) ? req.obj.spec : (req.obj.spec = {});
      if (typeof spec.ingressClassName === 'string' || req.obj.metadata.annotations?.[LEGACY_INGRESS_CLASS_ANNOTATION] !== undefined) return;
      const defaults = classes().filter(isDefaultIngressClass);
      if (defaults.length === 0) return;
      const newest = defaults.reduce((a, b) => ((b.metadata.creationTimestamp ?? '') > (a.metadata.creationTimestamp ?? '') ? b : a));
      spec.ingressClassName = newest.metadata.name;
    },
  };
}
