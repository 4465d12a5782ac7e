import { ServerInterceptingCall, status } from '@grpc/grpc-js';
import type { ServerInterceptor } from '@grpc/grpc-js';
import { decideAccess } from '../security/access';
import { GRPC_REQUIREMENTS, requirementOf } from '../security/scopes';
import type { TokenSet } from '../security/tokens';

/**
 * A server interceptor that checks every call's `authorization` metadata against the method's
 * requirement (GRPC_REQUIREMENTS) before any handler runs: UNAUTHENTICATED without a valid token,
 * PERMISSION_DENIED for a token without the scope. The header is removed before the handler sees
 * the metadata, so no handler can log it. `tokens` is read per call, so a reload takes effect at once.
 */
export function authInterceptor(tokens: () => TokenSet | null): ServerInterceptor {
  return (method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, pass) => {
            const [value] = metadata.get('authorization');
            metadata.remove('authorization');
            const access = decideAccess(tokens(), requirementOf(GRPC_REQUIREMENTS, method.path), typeof value === 'string' ? value : undefined);
            if (access.kind === 'allowed') pass(metadata);
            else call.sendStatus({ code: access.kind === 'unauthenticated' ? status.UNAUTHENTICATED : status.PERMISSION_DENIED, details: access.reason });
          },
        }),
    });
}
