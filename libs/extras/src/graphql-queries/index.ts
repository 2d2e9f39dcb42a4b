export { GraphQLQuery } from './entities';
export { graphQLQueryModel, GRAPHQL_QUERY } from './models';
export { GraphQLQueryRunApiController, savedQueryResponse, type SavedQueryResponse } from './run.controller';
export { GraphQLQuerySchemaCheck } from './query-check';
export { GraphQLQueryPage, graphiqlLink } from './ui';
export { checkQuerySyntax, declaredVariables } from './query-text';
