const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({ name: 'too_new', version: '1.0.0', min_version: '99.0.0' });
