export * from '@plinth/testing';
