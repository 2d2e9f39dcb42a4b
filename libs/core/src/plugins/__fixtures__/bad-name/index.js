const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({ name: 'acme-widgets', version: '1.0.0' });
