import { Module } from '@nestjs/common';
import { ContentTypeReferences, Navigation, contribute, definePlugin } from '@plinth/plugin-sdk';
import { groupModel, objectPermissionModel, tokenModel, userModel } from './models';
import { TokenProvisionController } from './tokens.controller';

export * from './entities';
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
  contributions: [
    contribute(ContentTypeReferences, {
      table: 'core_objectpermission',
      column: 'object_types',
      kind: 'array',
      onRemove: 'remove-item',
      deleteIfEmpty: true,
      description: 'object permissions',
    }),
    contribute(Navigation, {
      name: 'Extensibility',
      groups: [
        {
          name: 'Users',
          weight: 500,
          items: [
            { model: 'users.user' },
            { model: 'users.group' },
            { model: 'users.objectpermission', label: 'Permissions' },
            { model: 'users.token', label: 'API Tokens' },
          ],
        },
      ],
    }),
  ],
});
