import { Inject, Injectable } from '@nestjs/common';
import type { CustomValidator, CustomValidatorContext } from '@plinth/plugin-sdk';
import { ExampleSettingsService } from './settings';

/**
 * A custom validator on a core model: tags with the reserved prefix may only be created or
 * renamed by superusers. It runs on every write path (REST, UI, CSV import, jobs).
 */
@Injectable()
export class ReservedTagValidator implements CustomValidator {
  readonly model = 'extras.tag';

  constructor(@Inject(ExampleSettingsService) private readonly settings: ExampleSettingsService) {}

  validate(ctx: CustomValidatorContext): void {
    const prefix = this.settings.settings.reserved_tag_prefix;
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
