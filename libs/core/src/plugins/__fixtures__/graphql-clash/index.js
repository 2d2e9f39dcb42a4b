const { GraphQLTypeDefs, contribute, definePlugin } = require('@plinth/plugin-sdk');

// Defines a type the generator already makes for users.user: start-up must fail naming the plugin.
module.exports = definePlugin({
  name: 'graphql_clash',
  version: '1.0.0',
  contributions: [contribute(GraphQLTypeDefs, 'type UserType { nickname: String }')],
});
