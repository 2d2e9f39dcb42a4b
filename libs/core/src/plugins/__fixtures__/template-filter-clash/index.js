const { TemplateFilters, contribute, definePlugin } = require('@plinth/plugin-sdk');

// A template filter without the plugin's prefix, shadowing a built-in one: start-up must fail
// naming the plugin.
module.exports = definePlugin({
  name: 'filter_clash',
  version: '1.0.0',
  contributions: [contribute(TemplateFilters, { name: 'upper', module: require.resolve('./index.js') })],
});
