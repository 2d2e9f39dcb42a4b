import { Module } from '@nestjs/common';
import { definePlugin } from '@plinth/plugin-sdk';
import { groupModel, objectPermissionModel, tokenModel, userModel } from './models';
import { TokenProvisionController } from './tokens.controller';

export * from './models';

@Module({ controllers: [TokenProvisionController] })
export class UsersModule {}

export default definePlugin({
  name: 'users',
  verbose_name: 'Users',
  version: '0.1.0',
  description: 'Users, groups, API tokens and object permissions.',
  module: UsersModule,
  models: [userModel, groupModel, tokenModel, objectPermissionModel],
});
