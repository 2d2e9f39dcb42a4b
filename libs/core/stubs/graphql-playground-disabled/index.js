'use strict';
// @nestjs/apollo 13 loads Apollo's GraphQL Playground plugin at start-up, and that (deprecated)
// package declares Apollo Server 4 as a peer, which npm cannot reconcile with the Apollo Server 5
// that @nestjs/apollo itself needs. Plinth never enables Playground (it fetches its assets from a
// CDN; Plinth serves GraphiQL from local files instead), so the root package.json overrides the
// package with this stand-in.
module.exports.ApolloServerPluginLandingPageGraphQLPlayground =
  function ApolloServerPluginLandingPageGraphQLPlayground() {
    throw new Error('GraphQL Playground is not available in Plinth; GraphiQL is served at /graphql/');
  };
