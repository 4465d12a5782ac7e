/** The package root: the client entry (see ./entry/client.ts); the server is `lightning-store/server`. */
export * from './entry/client';
