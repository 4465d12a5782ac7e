import { FERRETDB_CAPABILITIES, forcedCapabilities, MONGODB_CAPABILITIES } from '../../src/store/mongo/capabilities';

describe('--mongo-server', () => {
  it('detect forces nothing; mongodb and ferretdb force their whole set of capabilities', () => {
    expect(forcedCapabilities('detect')).toEqual({});
    expect(forcedCapabilities('mongodb')).toEqual(MONGODB_CAPABILITIES);
    expect(forcedCapabilities('ferretdb')).toEqual({ atomicConditionalUpdate: false, idEqualityOnly: true });
    expect(FERRETDB_CAPABILITIES).not.toEqual(MONGODB_CAPABILITIES);
  });
});
