import { ServerCredentials } from '@grpc/grpc-js';
import type { TlsMaterial } from '../security/state';

/**
 * Server credentials whose certificate can be replaced while the server runs. grpc-js watches every
 * credentials object it listens with and calls setSecureContext on its HTTP/2 server when the object
 * reports new context options (the mechanism its certificate-provider credentials use), so open
 * connections keep their session and new handshakes get the new certificate.
 */
export class ReloadableServerCredentials extends ServerCredentials {
  constructor(material: TlsMaterial, requireClientCertificate: boolean) {
    super({ requestCert: requireClientCertificate, rejectUnauthorized: requireClientCertificate }, { ...material });
  }

  /** Hands the new certificate (and client CA) to every port listening with these credentials. */
  update(material: TlsMaterial): void {
    this.updateSecureContextOptions({ ...material });
  }

  /** Only the same object is equal (grpc-js compares credentials when a port is bound twice). */
  override _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}
