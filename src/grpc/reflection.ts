import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { fileDescriptorsOf, filesOfDescriptorSet, repairProtobufjsFile, withFileDescriptors } from './descriptors';
import { packageRoot } from '../frontend/package-root';

/** The descriptor set `buf build` writes for the contract, relative to the package root. */
export const DESCRIPTOR_SET_PATH = path.join('gen', 'lightning-store.binpb');

/**
 * Every service the server exposes, as one proto-loader package definition: the Lightning Store
 * contract (from gen/lightning-store.binpb, so no .proto files are needed at runtime) and
 * grpc.health.v1 (from the health.proto that grpc-health-check ships). The file descriptors that
 * reflection serves are buf's own for the contract and repaired ones for health (see descriptors.ts).
 */
export function loadServedPackages(): PackageDefinition {
  const set = readFileSync(path.join(packageRoot(), DESCRIPTOR_SET_PATH));
  const store = withFileDescriptors(loadFileDescriptorSetFromBuffer(set), filesOfDescriptorSet(set));
  // health.proto sits at <package>/proto/health/v1/health.proto; load it by its import path.
  const includeDir = path.resolve(path.dirname(healthProtoPath), '..', '..');
  const health = loadSync(path.relative(includeDir, healthProtoPath), { includeDirs: [includeDir] });
  const repaired = fileDescriptorsOf(health).map((file) => repairProtobufjsFile(file));
  return { ...store, ...withFileDescriptors(health, repaired) };
}

/** Registers gRPC server reflection (v1 and v1alpha) describing `packages` on `server`. */
export function addReflection(server: Server, packages: PackageDefinition = loadServedPackages()): void {
  new ReflectionService(packages).addToServer(server);
}
