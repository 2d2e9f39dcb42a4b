const { definePlugin } = require('@plinth/plugin-sdk');
module.exports = definePlugin({ name: 'too_old', version: '1.0.0', max_version: '0.0.1' });
