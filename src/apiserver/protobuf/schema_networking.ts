import type { MessageTable } from './schema.js';

/** networkingV1Messages describes messages of k8s.io/api networking/v1 (syntax in schema.ts). */
export const networkingV1Messages: MessageTable = {
  Ingress: 'metadata 1 ObjectMeta, spec 2 IngressSpec, status 3 IngressStatus',
  IngressSpec:
    'ingressClassName 4 s?, defaultBackend 1 IngressBackend, tls 2 [IngressTLS], rules 3 [IngressRule]',
  IngressBackend: 'service 4 IngressServiceBackend, resource 3 TypedLocalObjectReference',
  IngressServiceBackend: 'name 1 s, port 2 ServiceBackendPort',
  ServiceBackendPort: 'name 1 s, number 2 i32',
  IngressTLS: 'hosts 1 [s], secretName 2 s',
  IngressRule: 'host 1 s, ingressRuleValue 2 ^IngressRuleValue',
  IngressRuleValue: 'http 1 HTTPIngressRuleValue',
  HTTPIngressRuleValue: 'paths 1 [HTTPIngressPath]',
  HTTPIngressPath: 'path 1 s, pathType 3 s?, backend 2 IngressBackend',
  IngressStatus: 'loadBalancer 1 IngressLoadBalancerStatus',
  IngressLoadBalancerStatus: 'ingress 1 [IngressLoadBalancerIngress]',
  IngressLoadBalancerIngress: 'ip 1 s, hostname 2 s, ports 4 [IngressPortStatus]',
  IngressPortStatus: 'port 1 i32, protocol 2 s, error 3 s?',
  IngressClass: 'metadata 1 ObjectMeta, spec 2 IngressClassSpec',
  IngressClassSpec: 'controller 1 s, parameters 2 IngressClassParametersReference',
  IngressClassParametersReference: 'aPIGroup 1 s?, kind 2 s, name 3 s, scope 4 s?, namespace 5 s?',
  NetworkPolicy: 'metadata 1 ObjectMeta, spec 2 NetworkPolicySpec',
  NetworkPolicySpec:
    'podSelector 1 LabelSelector, ingress 2 [NetworkPolicyIngressRule], egress 3 [NetworkPolicyEgressRule],' +
    'policyTypes 4 [s]',
  NetworkPolicyIngressRule: 'ports 1 [NetworkPolicyPort], from 2 [NetworkPolicyPeer]',
  NetworkPolicyPort: 'protocol 1 s?, port 2 IntOrString, endPort 3 i32?',
  NetworkPolicyPeer: 'podSelector 1 LabelSelector, namespaceSelector 2 LabelSelector, ipBlock 3 IPBlock',
  IPBlock: 'cidr 1 s, except 2 [s]',
  NetworkPolicyEgressRule: 'ports 1 [NetworkPolicyPort], to 2 [NetworkPolicyPeer]',
};

/** networkingV1beta1Messages describes messages of k8s.io/api networking/v1beta1 Ingress. */
export const networkingV1beta1Messages: MessageTable = {
  Ingress: 'metadata 1 ObjectMeta, spec 2 IngressSpec, status 3 IngressStatus',
  IngressSpec: 'ingressClassName 4 s?, backend 1 IngressBackend, tls 2 [IngressTLS], rules 3 [IngressRule]',
  IngressBackend: 'serviceName 1 s, servicePort 2 IntOrString, resource 3 TypedLocalObjectReference',
  IngressTLS: 'hosts 1 [s], secretName 2 s',
  IngressRule: 'host 1 s, ingressRuleValue 2 ^IngressRuleValue',
  IngressRuleValue: 'http 1 HTTPIngressRuleValue',
  HTTPIngressRuleValue: 'paths 1 [HTTPIngressPath]',
  HTTPIngressPath: 'path 1 s, pathType 3 s?, backend 2 IngressBackend',
  IngressStatus: 'loadBalancer 1 IngressLoadBalancerStatus',
  IngressLoadBalancerStatus: 'ingress 1 [IngressLoadBalancerIngress]',
  IngressLoadBalancerIngress: 'ip 1 s, hostname 2 s, ports 4 [IngressPortStatus]',
  IngressPortStatus: 'port 1 i32, protocol 2 s, error 3 s?',
};
