export * from './apollo-driver';
export * from './scalars';
export * from './schema-factory';
export * from './contributions';
export * from './limits';
export * from './errors';
export * from './graphiql.controller';
export * from './graphql.module';
