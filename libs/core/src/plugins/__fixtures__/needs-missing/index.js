const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({ name: 'needs_missing', version: '1.0.0', dependsOn: ['not_enabled'] });
