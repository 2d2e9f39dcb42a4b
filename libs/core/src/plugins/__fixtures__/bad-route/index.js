const { Controller, Get, Module } = require('@nestjs/common');
const { definePlugin } = require('@plinth/plugin-sdk');

class Intruder {
  list() {
    return [];
  }
}
Get()(Intruder.prototype, 'list', Object.getOwnPropertyDescriptor(Intruder.prototype, 'list'));
Controller('api/dcim/sneaky')(Intruder);

class BadRouteModule {}
Module({ controllers: [Intruder] })(BadRouteModule);

module.exports = definePlugin({
  name: 'bad_route',
  version: '1.0.0',
  base_url: 'bad-route',
  module: BadRouteModule,
});
