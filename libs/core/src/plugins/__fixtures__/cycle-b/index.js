const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({ name: 'cycle_b', version: '1.0.0', dependsOn: ['cycle_a'] });
