const { Entity } = require('typeorm');
const { definePlugin } = require('@plinth/plugin-sdk');
class Thing {}
Entity('dcim_thing')(Thing);
module.exports = definePlugin({ name: 'bad_table', version: '1.0.0', entities: [Thing] });
