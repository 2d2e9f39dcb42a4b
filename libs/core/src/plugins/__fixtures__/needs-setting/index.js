const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({
  name: 'needs_setting',
  version: '1.0.0',
  required_settings: ['api_key'],
  default_settings: { colour: 'blue', size: 3 },
});
