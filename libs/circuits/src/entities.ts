import { Entity, Unique } from 'typeorm';
import { Field, OrganizationalModel, PrimaryModel, choices } from '@plinth/plugin-sdk';
import { StatusField, type StatusRecord as Status } from '@plinth/plugin-sdk';
import { Tenant } from '@plinth/tenancy';
import { Cable, Location } from '@plinth/dcim';

export const TERM_SIDES = choices([
  ['A', 'A'],
  ['Z', 'Z'],
]);

@Entity('circuits_provider')
export class Provider extends PrimaryModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.int({
    nullable: true,
    big: true,
    min_value: 1,
    max_value: 4294967295,
    label: 'ASN',
    help_text: '32-bit autonomous system number',
  })
  asn!: number | null;

  @Field.char({ max_length: 100, blank: true, search: true, label: 'Account number' })
  account!: string;

  @Field.char({ max_length: 200, blank: true, label: 'Portal URL' })
  portal_url!: string;

  @Field.text({ blank: true, label: 'NOC contact' })
  noc_contact!: string;

  @Field.text({ blank: true })
  admin_contact!: string;

  @Field.text({ blank: true, search: true })
  comments!: string;
}

@Entity('circuits_providernetwork')
@Unique(['provider_id', 'name'])
export class ProviderNetwork extends PrimaryModel {
  @Field.fk(() => Provider, { on_delete: 'PROTECT', related_name: 'provider_networks' })
  provider!: Provider;

  @Field.char({ max_length: 100, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.text({ blank: true })
  comments!: string;
}

@Entity('circuits_circuittype')
export class CircuitType extends OrganizationalModel {
  @Field.char({ max_length: 100, unique: true, search: true })
  name!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;
}

@Entity('circuits_circuit')
@Unique(['provider_id', 'cid'])
export class Circuit extends PrimaryModel {
  @Field.char({ max_length: 100, search: true, label: 'Circuit ID' })
  cid!: string;

  @Field.fk(() => Provider, { on_delete: 'PROTECT', related_name: 'circuits' })
  provider!: Provider;

  @Field.fk(() => CircuitType, { on_delete: 'PROTECT', related_name: 'circuits' })
  circuit_type!: CircuitType;

  @StatusField()
  status!: Status;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT' })
  tenant!: Tenant | null;

  @Field.date({ nullable: true, label: 'Date installed' })
  install_date!: string | null;

  @Field.int({ nullable: true, min_value: 0, label: 'Commit rate (Kbps)' })
  commit_rate!: number | null;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.text({ blank: true, search: true })
  comments!: string;
}

@Entity('circuits_circuittermination')
@Unique(['circuit_id', 'term_side'])
export class CircuitTermination extends PrimaryModel {
  @Field.fk(() => Circuit, { on_delete: 'CASCADE', related_name: 'circuit_terminations' })
  circuit!: Circuit;

  @Field.choice(TERM_SIDES, { max_length: 1, label: 'Termination side' })
  term_side!: string;

  @Field.fk(() => Location, { nullable: true, on_delete: 'PROTECT' })
  location!: Location | null;

  @Field.fk(() => ProviderNetwork, {
    nullable: true,
    on_delete: 'PROTECT',
    related_name: 'circuit_terminations',
  })
  provider_network!: ProviderNetwork | null;

  @Field.int({ nullable: true, min_value: 0, label: 'Port speed (Kbps)' })
  port_speed!: number | null;

  @Field.int({
    nullable: true,
    min_value: 0,
    label: 'Upstream speed (Kbps)',
    help_text: 'Upstream speed, if different from port speed',
  })
  upstream_speed!: number | null;

  @Field.char({ max_length: 50, blank: true, label: 'Cross-connect ID' })
  xconnect_id!: string;

  @Field.char({ max_length: 100, blank: true, label: 'Patch panel/port(s)' })
  pp_info!: string;

  @Field.char({ max_length: 200, blank: true, search: true })
  description!: string;

  @Field.fk(() => Cable, { nullable: true, on_delete: 'SET_NULL', read_only: true })
  cable!: Cable | null;
}
