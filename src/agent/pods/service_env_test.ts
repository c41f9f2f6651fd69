import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceEnvVars } from './service_env.js';

const svc = (ns: string, name: string, ip: string, ports: object[]): never =>
  ({ metadata: { namespace: ns, name }, spec: { clusterIP: ip, ports } }) as never;

test('service links for the namespace, and kubernetes always', () => {
  const env = serviceEnvVars(
    [
      svc('default', 'kubernetes', '10.43.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
      svc('app', 'mongo', '10.43.5.6', [{ name: 'mongo', port: 27017, protocol: 'TCP' }]),
      svc('app', 'headless', 'None', [{ port: 80 }]),
      svc('other', 'web', '10.43.7.7', [{ port: 80 }]),
    ],
    'app',
    true,
  );
  assert.equal(env.KUBERNETES_SERVICE_HOST, '10.43.0.1');
  assert.equal(env.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  assert.equal(env.MONGO_SERVICE_HOST, '10.43.5.6');
  assert.equal(env.MONGO_SERVICE_PORT, '27017');
  assert.equal(env.MONGO_PORT, 'tcp://10.43.5.6:27017');
  assert.equal(env.MONGO_PORT_27017_TCP_ADDR, '10.43.5.6');
  assert.equal(env.HEADLESS_SERVICE_HOST, undefined);
  assert.equal(env.WEB_SERVICE_HOST, undefined);
  const off = serviceEnvVars([svc('app', 'mongo', '10.43.5.6', [{ port: 1 }]), svc('default', 'kubernetes', '10.43.0.1', [{ port: 443 }])], 'app', false);
  assert.deepEqual(Object.keys(off).filter((k) => k.startsWith('MONGO')), []);
  assert.equal(off.KUBERNETES_SERVICE_HOST, '10.43.0.1');
});
