const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({ name: 'installed_plugins', version: '1.0.0' });
