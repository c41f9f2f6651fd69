import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as credentials from './credentials.js';
import * as protocol from './protocol.js';
import * as routes from './routes.js';

// routes.ts and credentials.ts still declare their own copies; until they import protocol.ts,
// this keeps the agent (which reads protocol.ts) and the server speaking the same paths and headers.
describe('node join protocol constants', () => {
  it('match what the routes serve and read', () => {
    assert.equal(protocol.NODE_JOIN_PREFIX, routes.NODE_JOIN_PREFIX);
    assert.equal(protocol.CLIENT_KUBELET_PATH, routes.CLIENT_KUBELET_PATH);
    assert.equal(protocol.SERVING_KUBELET_PATH, routes.SERVING_KUBELET_PATH);
    assert.equal(protocol.CLIENT_CA_PATH, routes.CLIENT_CA_PATH);
    assert.equal(protocol.NODE_NAME_HEADER, credentials.NODE_NAME_HEADER);
    assert.equal(protocol.NODE_PASSWORD_HEADER, credentials.NODE_PASSWORD_HEADER);
    assert.equal(protocol.NODE_IP_HEADER, credentials.NODE_IP_HEADER);
  });
});
