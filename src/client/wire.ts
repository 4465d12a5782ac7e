/**
 * The generated wire messages and enums of the store service, for callers of StoreClient. The package
 * exports them as the `wire` namespace, beside the domain records of the same names.
 */
export * from '../../gen/lightning/store/v1/queries';
export * from '../../gen/lightning/store/v1/records';
export * from '../../gen/lightning/store/v1/resources';
export * from '../../gen/lightning/store/v1/spans';
export * from '../../gen/lightning/store/v1/store_service';
