import { Injectable } from '@nestjs/common';
import type { CustomValidator, CustomValidatorContext } from '@plinth/plugin-sdk';
import { exampleSettings, type ExampleSettings } from './settings';

/**
 * A custom validator on a core model: tags with the reserved prefix may only be created or
 * renamed by superusers. It runs on every write path (REST, UI, CSV import, jobs).
 */
@Injectable()
export class ReservedTagValidator implements CustomValidator {
  readonly model = 'extras.tag';

  constructor(@exampleSettings.inject() private readonly settings: ExampleSettings) {}

  validate(ctx: CustomValidatorContext): void {
    const prefix = this.settings.reserved_tag_prefix;
    const name = String(ctx.object.name ?? '');
    if (!prefix || !name.startsWith(prefix) || !ctx.changed('name')) return;
    if (!ctx.user?.is_superuser) {
      ctx.error(
        'name',
        `Only superusers may create tags starting with "${prefix}" (you are ${ctx.user?.username ?? 'the system'}).`,
      );
    }
  }
}
