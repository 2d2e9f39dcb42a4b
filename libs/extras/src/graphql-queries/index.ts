export { GraphQLQuery } from './entities';
export { graphQLQueryModel, GRAPHQL_QUERY } from './models';
export { GraphQLQueryRunApiController } from './run.controller';
export { runSavedQuery, savedQueryResponse, type SavedQueryResponse, type SavedQueryRun } from './run';
export { GraphQLQuerySchemaCheck } from './query-check';
export { GraphQLQueryPage, graphiqlLink } from './ui';
export { checkQuerySyntax, declaredVariables } from './query-text';
