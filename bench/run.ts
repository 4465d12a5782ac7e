import { grpcBench } from './grpc-bench';
import { storeBench } from './store-bench';

/** Entry point of `npm run bench`: runs every benchmark and prints one summary line each. */
async function main(): Promise<void> {
  await storeBench();
  await grpcBench();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
