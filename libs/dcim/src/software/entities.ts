import { Entity, Unique } from 'typeorm';
import { Field, PrimaryModel, StatusField, type StatusRecord as Status } from '@plinth/plugin-sdk';
import { DeviceType, Platform } from '../entities/device-types';
import { HASHING_ALGORITHMS, urlOf } from './choices';

/** A software version of a platform (Nautobot 2.2's dcim.SoftwareVersion). */
@Entity('dcim_softwareversion')
@Unique(['platform_id', 'version'])
export class SoftwareVersion extends PrimaryModel {
  @Field.fk(() => Platform, { on_delete: 'CASCADE', related_name: 'software_versions' })
  platform!: Platform;

  @Field.char({ max_length: 255, search: true })
  version!: string;

  @Field.char({
    max_length: 255,
    blank: true,
    search: true,
    help_text: 'Optional alternative label for this version',
  })
  alias!: string;

  @Field.date({ nullable: true, label: 'Release date' })
  release_date!: string | null;

  @Field.date({ nullable: true, label: 'End of support date' })
  end_of_support_date!: string | null;

  @Field.char({
    max_length: 200,
    blank: true,
    label: 'Documentation URL',
    validate: urlOf(['http', 'https']),
  })
  documentation_url!: string;

  @Field.bool({ default: false, label: 'Long term support', help_text: 'Is a Long Term Support version' })
  long_term_support!: boolean;

  @Field.bool({ default: false, label: 'Pre-release', help_text: 'Is a Pre-Release version' })
  pre_release!: boolean;

  @StatusField()
  status!: Status;
}

/** An image file of a software version, for some device types (Nautobot 2.2's dcim.SoftwareImageFile). */
@Entity('dcim_softwareimagefile')
@Unique(['software_version_id', 'image_file_name'])
export class SoftwareImageFile extends PrimaryModel {
  @Field.fk(() => SoftwareVersion, { on_delete: 'CASCADE', related_name: 'software_image_files' })
  software_version!: SoftwareVersion;

  @Field.char({ max_length: 255, search: true, label: 'Image file name' })
  image_file_name!: string;

  @Field.char({ max_length: 256, blank: true, search: true, label: 'Image file checksum' })
  image_file_checksum!: string;

  @Field.choice(HASHING_ALGORITHMS, { blank: true, help_text: 'Hashing algorithm for image file checksum' })
  hashing_algorithm!: string;

  @Field.int({
    nullable: true,
    big: true,
    min_value: 0,
    label: 'Image file size',
    help_text: 'Image file size in bytes',
  })
  image_file_size!: number | null;

  @Field.char({
    max_length: 200,
    blank: true,
    label: 'Download URL',
    validate: urlOf(['http', 'https', 'ftp', 'ftps']),
  })
  download_url!: string;

  @Field.bool({
    default: false,
    label: 'Default image',
    help_text: 'Is the default image for this software version',
  })
  default_image!: boolean;

  @StatusField()
  status!: Status;

  @Field.m2m(() => DeviceType, {
    through: {
      table: 'dcim_devicetypetosoftwareimagefile',
      source: 'software_image_file_id',
      target: 'device_type_id',
    },
    related_name: 'software_image_files',
    label: 'Device types',
    help_text: 'Device types this image file is for',
  })
  device_types!: string[];
}
