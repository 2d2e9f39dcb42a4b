import { Entity, Unique } from 'typeorm';
import { Field, OrganizationalModel, PrimaryModel } from '@plinth/plugin-sdk';
import {
  RoleField,
  StatusField,
  type RoleRecord as Role,
  type StatusRecord as Status,
} from '@plinth/plugin-sdk';
import { Tenant } from '@plinth/tenancy';
import { LENGTH_UNITS_RACK, RACK_TYPES, RACK_WIDTHS } from '../choices';

@Entity('dcim_locationtype')
export class LocationType extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.fk(() => LocationType, { nullable: true, on_delete: 'CASCADE', related_name: 'children' })
  parent!: LocationType | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.bool({ default: false, help_text: 'Locations of this type may contain locations of the same type.' })
  nestable!: boolean;

  @Field.array({
    item: 'string',
    content_types: true,
    help_text: 'Object types that may be assigned to locations of this type.',
  })
  content_types!: string[];
}

@Entity('dcim_location')
@Unique(['parent_id', 'name'])
export class Location extends PrimaryModel {
  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.fk(() => LocationType, { on_delete: 'PROTECT', related_name: 'locations' })
  location_type!: LocationType;

  @Field.fk(() => Location, { nullable: true, on_delete: 'CASCADE', related_name: 'children' })
  parent!: Location | null;

  @StatusField()
  status!: Status;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.char({ max_length: 50, blank: true, search: true, help_text: 'Local facility ID or description' })
  facility!: string;

  @Field.int({
    nullable: true,
    big: true,
    min_value: 1,
    max_value: 4294967295,
    label: 'ASN',
    help_text: '32-bit autonomous system number',
  })
  asn!: number | null;

  // Null when unset, as Nautobot shows (and accepts) it; a blank value is stored as null.
  @Field.char({ max_length: 50, nullable: true })
  time_zone!: string | null;

  @Field.text({ blank: true, search: true })
  physical_address!: string;

  @Field.text({ blank: true })
  shipping_address!: string;

  @Field.decimal({
    precision: 8,
    scale: 6,
    nullable: true,
    min_value: -90,
    max_value: 90,
    help_text: 'GPS coordinate (latitude)',
  })
  latitude!: string | null;

  @Field.decimal({
    precision: 9,
    scale: 6,
    nullable: true,
    min_value: -180,
    max_value: 180,
    help_text: 'GPS coordinate (longitude)',
  })
  longitude!: string | null;

  @Field.char({ max_length: 100, blank: true })
  contact_name!: string;

  @Field.char({ max_length: 20, blank: true })
  contact_phone!: string;

  @Field.char({ max_length: 254, blank: true })
  contact_email!: string;

  @Field.text({ blank: true, search: true })
  comments!: string;
}

@Entity('dcim_rackgroup')
@Unique(['location_id', 'name'])
export class RackGroup extends OrganizationalModel {
  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.fk(() => Location, { on_delete: 'CASCADE', related_name: 'rack_groups' })
  location!: Location;

  @Field.fk(() => RackGroup, { nullable: true, on_delete: 'CASCADE', related_name: 'children' })
  parent!: RackGroup | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('dcim_rack')
@Unique(['location_id', 'name'])
export class Rack extends PrimaryModel {
  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.char({
    max_length: 50,
    nullable: true,
    search: true,
    label: 'Facility ID',
    help_text: 'Locally-assigned identifier',
  })
  facility_id!: string | null;

  @Field.fk(() => Location, { on_delete: 'PROTECT', related_name: 'racks' })
  location!: Location;

  @Field.fk(() => RackGroup, { nullable: true, on_delete: 'SET_NULL', related_name: 'racks' })
  rack_group!: RackGroup | null;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @StatusField()
  status!: Status;

  @RoleField()
  role!: Role | null;

  @Field.char({ max_length: 255, blank: true, search: true, label: 'Serial number' })
  serial!: string;

  @Field.char({
    max_length: 100,
    nullable: true,
    unique: true,
    search: true,
    help_text: 'A unique tag used to identify this rack',
  })
  asset_tag!: string | null;

  @Field.choice(RACK_TYPES, { blank: true })
  type!: string;

  @Field.int({ default: 19, choices: RACK_WIDTHS, help_text: 'Rail-to-rail width (inches)' })
  width!: number;

  @Field.int({ default: 42, min_value: 1, max_value: 100, label: 'Height (U)' })
  u_height!: number;

  @Field.bool({ default: false, label: 'Descending units', help_text: 'Units are numbered top-to-bottom' })
  desc_units!: boolean;

  @Field.int({ nullable: true, min_value: 1, max_value: 32767, help_text: 'Outer dimension of rack (width)' })
  outer_width!: number | null;

  @Field.int({ nullable: true, min_value: 1, max_value: 32767, help_text: 'Outer dimension of rack (depth)' })
  outer_depth!: number | null;

  @Field.choice(LENGTH_UNITS_RACK, { blank: true })
  outer_unit!: string;

  @Field.text({ blank: true, search: true })
  comments!: string;
}
