import { Entity, Index, Unique } from 'typeorm';
import {
  Field,
  OrganizationalModel,
  PrimaryModel,
  RoleField,
  StatusField,
  type Rec,
  type RoleRecord,
  type StatusRecord,
} from '@plinth/plugin-sdk';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Django's EmailField check (blank allowed). */
function emailAddress(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return EMAIL_RE.test(value) ? undefined : 'Enter a valid email address.';
}

/**
 * A person or other point of contact (Nautobot's `extras.Contact`). Name, phone and email
 * together are unique, as in Nautobot (two "NOC" contacts differ by their phone or email).
 */
@Entity('extras_contact')
@Unique(['name', 'phone', 'email'])
export class Contact extends PrimaryModel {
  @Field.char({ max_length: 255, search: true, index: true })
  name!: string;

  @Field.char({ max_length: 255, blank: true, search: true, index: true })
  phone!: string;

  @Field.char({ max_length: 254, blank: true, search: true, label: 'E-mail', validate: emailAddress })
  email!: string;

  @Field.text({ blank: true, search: true })
  address!: string;

  @Field.text({ blank: true })
  comments!: string;
}

/** A group of contacts, usable wherever a single contact is (Nautobot's `extras.Team`). */
@Entity('extras_team')
@Unique(['name', 'phone', 'email'])
export class Team extends PrimaryModel {
  @Field.char({ max_length: 255, search: true, index: true })
  name!: string;

  @Field.char({ max_length: 255, blank: true, search: true, index: true })
  phone!: string;

  @Field.char({ max_length: 254, blank: true, search: true, label: 'E-mail', validate: emailAddress })
  email!: string;

  @Field.text({ blank: true, search: true })
  address!: string;

  @Field.text({ blank: true })
  comments!: string;

  @Field.m2m(() => Contact, {
    through: { table: 'extras_team_contacts', source: 'team_id', target: 'contact_id' },
    related_name: 'teams',
    blank: true,
    help_text: 'Members of the team.',
  })
  contacts!: string[];
}

/**
 * A contact or a team (exactly one) associated with an object of any model with the `contacts`
 * feature, in a role and with a status (Nautobot's `extras.ContactAssociation`).
 */
@Entity('extras_contactassociation')
@Unique(['contact_id', 'associated_object_type', 'associated_object_id', 'role_id'])
@Unique(['team_id', 'associated_object_type', 'associated_object_id', 'role_id'])
@Index(['associated_object_type', 'associated_object_id'])
export class ContactAssociation extends OrganizationalModel {
  @Field.fk(() => Contact, {
    nullable: true,
    on_delete: 'CASCADE',
    related_name: 'contact_associations',
    help_text: 'The contact (or give a team).',
  })
  contact!: Rec | null;

  @Field.fk(() => Team, {
    nullable: true,
    on_delete: 'CASCADE',
    related_name: 'contact_associations',
    help_text: 'The team (or give a contact).',
  })
  team!: Rec | null;

  @Field.char({
    max_length: 100,
    label: 'Associated object type',
    help_text: 'Model of the object: `dcim.location`.',
  })
  associated_object_type!: string;

  @Field.uuid({ label: 'Associated object id', help_text: 'Id of the object.' })
  associated_object_id!: string;

  @RoleField({ nullable: false })
  role!: RoleRecord;

  @StatusField()
  status!: StatusRecord;
}
