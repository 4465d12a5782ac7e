import { status } from '@grpc/grpc-js';
import { StoreError } from '../../src/domain/errors';
import type { StoreErrorCode } from '../../src/domain/errors';
import { grpcStatusOf } from '../../src/grpc/errors';
import { captureLogs } from '../support/log-capture';

describe('grpcStatusOf', () => {
  it('keeps the code and message of every StoreError', () => {
    const { logger } = captureLogs();
    const codes: [StoreErrorCode, status][] = [
      ['NOT_FOUND', status.NOT_FOUND],
      ['INVALID_ARGUMENT', status.INVALID_ARGUMENT],
      ['FAILED_PRECONDITION', status.FAILED_PRECONDITION],
      ['ALREADY_EXISTS', status.ALREADY_EXISTS],
      ['RESOURCE_EXHAUSTED', status.RESOURCE_EXHAUSTED],
      ['UNAVAILABLE', status.UNAVAILABLE],
    ];
    for (const [code, grpcCode] of codes) {
      expect(grpcStatusOf(new StoreError(code, `msg ${code}`), logger, '/m')).toEqual({ code: grpcCode, details: `msg ${code}` });
    }
  });

  it('turns anything else into INTERNAL with a generic message and logs the error with its stack', () => {
    const { logger, lines } = captureLogs();
    expect(grpcStatusOf(new RangeError('secret detail'), logger, '/pkg.Svc/Method')).toEqual({ code: status.INTERNAL, details: 'Internal error' });
    expect(grpcStatusOf('a thrown string', logger, '/pkg.Svc/Other')).toEqual({ code: status.INTERNAL, details: 'Internal error' });
    const errors = lines.filter((l) => l['level'] === 50);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ method: '/pkg.Svc/Method', err: { type: 'RangeError', message: 'secret detail' } });
    expect((errors[0]!['err'] as { stack: string }).stack).toMatch(/RangeError: secret detail\n\s+at /);
  });
});
