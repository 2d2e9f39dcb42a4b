const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({ name: 'ordered', version: '1.0.0', dependsOn: ['needs_setting'] });
