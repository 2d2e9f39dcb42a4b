import { Module } from '@nestjs/common';
import {
  ContentTypeReferences,
  LoginMethods,
  Navigation,
  PasswordBackends,
  contribute,
  definePlugin,
} from '@plinth/plugin-sdk';
import { groupModel, objectPermissionModel, passwordPolicy, tokenModel, userModel } from './models';
import { usersSettings, type UsersSettings } from './settings';
import { TokenProvisionController } from './tokens.controller';
import { ExternalAccounts } from './sso/accounts';
import { LdapLogin } from './sso/ldap';
import { OidcController, OidcLogin } from './sso/oidc';

export * from './entities';
export * from './models';
export { passwordProblems } from './passwords';
export { usersSettings, type UsersSettings } from './settings';

@Module({
  controllers: [TokenProvisionController, OidcController],
  providers: [ExternalAccounts, OidcLogin, LdapLogin],
})
export class UsersModule {
  constructor(@usersSettings.inject() settings: UsersSettings) {
    passwordPolicy.current = settings;
  }
}

export default definePlugin({
  name: 'users',
  verbose_name: 'Users',
  version: '0.2.0',
  description: 'Users, groups, API tokens and object permissions.',
  module: UsersModule,
  settings: usersSettings,
  models: [userModel, groupModel, tokenModel, objectPermissionModel],
  contributions: [
    // SSO: LDAP checks passwords after local users; OIDC adds its button to the login page.
    contribute(PasswordBackends, LdapLogin),
    contribute(LoginMethods, OidcLogin),
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
