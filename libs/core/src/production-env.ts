/**
 * Imported first by the server, worker and CLI entry points: Plinth runs as a production process
 * unless NODE_ENV says otherwise. graphql-js reads NODE_ENV when it is loaded; outside production
 * it checks every type test for duplicate module copies, a third of a large query's time.
 * Test runners set NODE_ENV=test and keep those checks.
 */
process.env.NODE_ENV ??= 'production';
