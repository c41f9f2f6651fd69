/**
 * KUBECTL_BODIES are protobuf request bodies captured from kubectl 1.33 (one from 1.32) pointed at a
 * recording server, with the JSON the decoder must produce. That JSON was checked equal to what
 * `kubectl ... --dry-run=client -o json` prints, except: PodDisruptionBudget status counters (Go writes
 * them without omitempty, the decoder omits zeros), and role/token (no dry-run output to compare).
 */
export const KUBECTL_BODIES: { cmd: string; body: string; json: string }[] = [
  {
    cmd: 'create namespace foo',
    body: 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhsKEwoDZm9vEgAaACIAKgAyADgAQgASABoCCgAaACIA',
    json: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"foo","creationTimestamp":null},"spec":{},"status":{}}',
  },
  {
    cmd: 'create deployment web --image=nginx --replicas=3 --port=80',
    body: 'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er8BCiYKA3dlYhIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3dlYhKGAQgDEgwKCgoDYXBwEgN3ZWIabAocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJMEi4KBW5naW54EgVuZ2lueCoAMgoKABAAGFAiACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA',
    json: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{}}]}},"strategy":{}},"status":{}}',
  },
  {
    cmd: 'create configmap c --from-literal=a=b',
    body: 'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEiIKGAoBYxIAGgdkZWZhdWx0IgAqADIAOABCABIGCgFhEgFiGgAiAA==',
    json: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"default","creationTimestamp":null},"data":{"a":"b"}}',
  },
  {
    cmd: 'create secret generic s --from-literal=a=b',
    body: 'azhzAAoMCgJ2MRIGU2VjcmV0EiQKGAoBcxIAGgdkZWZhdWx0IgAqADIAOABCABIGCgFhEgFiGgAaACIA',
    json: '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","namespace":"default","creationTimestamp":null},"data":{"a":"Yg=="}}',
  },
  {
    cmd: 'create service clusterip svc --tcp=80:8080',
    body: 'azhzAAoNCgJ2MRIHU2VydmljZRJwCiYKA3N2YxIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3N2YxJCChsKBzgwLTgwODASA1RDUBhQIgcIABCQPxoAKAASCgoDYXBwEgNzdmMaACIJQ2x1c3RlcklQOgBCAFIAWgBgAGgAGgIKABoAIgA=',
    json: '{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc","namespace":"default","creationTimestamp":null,"labels":{"app":"svc"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080}],"selector":{"app":"svc"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}',
  },
  {
    cmd: 'create deployment zero --image=nginx --replicas=0',
    body: 'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50ErYBCigKBHplcm8SABoHZGVmYXVsdCIAKgAyADgAQgBaCwoDYXBwEgR6ZXJvEnwIABINCgsKA2FwcBIEemVybxphCh0KABIAGgAiACoAMgA4AEIAWgsKA2FwcBIEemVybxJAEiIKBW5naW54EgVuZ2lueCoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA',
    json: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"zero","namespace":"default","creationTimestamp":null,"labels":{"app":"zero"}},"spec":{"replicas":0,"selector":{"matchLabels":{"app":"zero"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"zero"}},"spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},"strategy":{}},"status":{}}',
  },
  {
    cmd: 'create job j --image=busybox -n default -- echo hi',
    body: 'azhzAAoPCghiYXRjaC92MRIDSm9iEokBChgKAWoSABoHZGVmYXVsdCIAKgAyADgAQgASYzJhChAKABIAGgAiACoAMgA4AEIAEk0SKgoBahIHYnVzeWJveBoEZWNobxoCaGkqAEIAagByAIABAIgBAJABAKIBABoFTmV2ZXIyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABoIIAAoADAAOgAaACIA',
    json: '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j","namespace":"default","creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"j","image":"busybox","command":["echo","hi"],"resources":{}}],"restartPolicy":"Never"}}},"status":{}}',
  },
  {
    cmd: 'create cronjob cj --image=busybox --schedule=*/1 * * * * -n default -- date',
    body: 'azhzAAoTCghiYXRjaC92MRIHQ3JvbkpvYhKrAQoZCgJjahIAGgdkZWZhdWx0IgAqADIAOABCABKLAQoLKi8xICogKiAqICoaACp6ChIKAmNqEgAaACIAKgAyADgAQgASZDJiChAKABIAGgAiACoAMgA4AEIAEk4SJwoCY2oSB2J1c3lib3gaBGRhdGUqAEIAagByAIABAIgBAJABAKIBABoJT25GYWlsdXJlMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaABoAIgA=',
    json: '{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"cj","namespace":"default","creationTimestamp":null},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"cj","creationTimestamp":null},"spec":{"template":{"metadata":{"creationTimestamp":null},"spec":{"containers":[{"name":"cj","image":"busybox","command":["date"],"resources":{}}],"restartPolicy":"OnFailure"}}}}},"status":{}}',
  },
  {
    cmd: 'create quota q --hard=cpu=1,memory=1G,pods=2',
    body: 'azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRJHChgKAXESABoHZGVmYXVsdCIAKgAyADgAQgASKQoKCgNjcHUSAwoBMQoOCgZtZW1vcnkSBAoCMUcKCwoEcG9kcxIDCgEyGgAaACIA',
    json: '{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q","namespace":"default","creationTimestamp":null},"spec":{"hard":{"cpu":"1","memory":"1G","pods":"2"}},"status":{}}',
  },
  {
    cmd: 'create serviceaccount sa',
    body: 'azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSGwoZCgJzYRIAGgdkZWZhdWx0IgAqADIAOABCABoAIgA=',
    json: '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"default","creationTimestamp":null}}',
  },
  {
    cmd: 'create priorityclass high --value=1000 --description=high',
    body: 'azhzAAolChRzY2hlZHVsaW5nLms4cy5pby92MRINUHJpb3JpdHlDbGFzcxI3ChQKBGhpZ2gSABoAIgAqADIAOABCABDoBxgAIgRoaWdoKhRQcmVlbXB0TG93ZXJQcmlvcml0eRoAIgA=',
    json: '{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"high","creationTimestamp":null},"value":1000,"description":"high","preemptionPolicy":"PreemptLowerPriority"}',
  },
  {
    cmd: 'create poddisruptionbudget pdb --selector=app=web --min-available=50%',
    body: 'azhzAAogCglwb2xpY3kvdjESE1BvZERpc3J1cHRpb25CdWRnZXQSQwoaCgNwZGISABoHZGVmYXVsdCIAKgAyADgAQgASGQoJCAEQABoDNTAlEgwKCgoDYXBwEgN3ZWIaCggAGAAgACgAMAAaACIA',
    json: '{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb","namespace":"default","creationTimestamp":null},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}},"status":{}}',
  },
  {
    cmd: 'create ingress ing --rule=foo.com/bar=svc1:8080,tls=my-cert --class=default',
    body: 'azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxJuChoKA2luZxIAGgdkZWZhdWx0IgAqADIAOABCABJMEhIKB2Zvby5jb20SB215LWNlcnQaLQoHZm9vLmNvbRIiCiAKHgoEL2JhchIPIg0KBHN2YzESBQoAEJA/GgVFeGFjdCIHZGVmYXVsdBoCCgAaACIA',
    json: '{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"ing","namespace":"default","creationTimestamp":null},"spec":{"tls":[{"hosts":["foo.com"],"secretName":"my-cert"}],"rules":[{"host":"foo.com","http":{"paths":[{"path":"/bar","backend":{"service":{"name":"svc1","port":{"number":8080}}},"pathType":"Exact"}]}}],"ingressClassName":"default"},"status":{"loadBalancer":{}}}',
  },
  {
    cmd: 'create role r --verb=get,list --resource=pods',
    body: 'azhzAAokChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgRSb2xlEi8KGAoBchIAGgdkZWZhdWx0IgAqADIAOABCABITCgNnZXQKBGxpc3QSABoEcG9kcxoAIgA=',
    json: '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r","namespace":"default","creationTimestamp":null},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"]}]}',
  },
  {
    cmd: 'create rolebinding rb --role=r --user=alice',
    body: 'azhzAAorChxyYmFjLmF1dGhvcml6YXRpb24uazhzLmlvL3YxEgtSb2xlQmluZGluZxJtChkKAnJiEgAaB2RlZmF1bHQiACoAMgA4AEIAEioKBFVzZXISGXJiYWMuYXV0aG9yaXphdGlvbi5rOHMuaW8aBWFsaWNlIgAaJAoZcmJhYy5hdXRob3JpemF0aW9uLms4cy5pbxIEUm9sZRoBchoAIgA=',
    json: '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb","namespace":"default","creationTimestamp":null},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"}}',
  },
  {
    cmd: 'create token sa --duration=1h',
    body: 'azhzAAooChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESDFRva2VuUmVxdWVzdBIdChAKABIAGgAiACoAMgA4AEIAEgMgkBwaBAoAEgAaACIA',
    json: '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"creationTimestamp":null},"spec":{"expirationSeconds":3600},"status":{"expirationTimestamp":null}}',
  },
  {
    cmd: 'kubectl 1.32: create deployment web --image=nginx --replicas=3 --port=80',
    body: 'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er8BCiYKA3dlYhIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3dlYhKGAQgDEgwKCgoDYXBwEgN3ZWIabAocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJMEi4KBW5naW54EgVuZ2lueCoAMgoKABAAGFAiACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA',
    json: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","creationTimestamp":null,"labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx","ports":[{"containerPort":80}],"resources":{}}]}},"strategy":{}},"status":{}}',
  },
];
