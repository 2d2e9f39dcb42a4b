import { Field } from '@plinth/plugin-sdk';
import { SoftwareImageFile, SoftwareVersion } from './entities';

/**
 * The software fields of an object that runs software (devices here; inventory items and
 * virtual machines use the same two decorators), as Nautobot 2.2 names them:
 * `software_version` and `software_image_files` (an override of the version's images).
 */
export function SoftwareVersionField(
  what: string,
  related_name: string,
): (target: object, prop: string) => void {
  return Field.fk(() => SoftwareVersion, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name,
    label: 'Software version',
    help_text: `The software version installed on this ${what}`,
  });
}

/** `software_image_files` through `<table>` (`source`: the owner's column), reverse name `related_name`. */
export function SoftwareImageFilesField(
  what: string,
  through: { table: string; source: string },
  related_name: string,
): (target: object, prop: string) => void {
  return Field.m2m(() => SoftwareImageFile, {
    through: { ...through, target: 'softwareimagefile_id' },
    related_name,
    label: 'Software image files',
    help_text: `Override the software image files associated with the software version for this ${what}`,
  });
}
