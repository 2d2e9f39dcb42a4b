import { Entity } from 'typeorm';
import { CoreModels, Field, PrimaryModel, type UserRecord } from '@plinth/plugin-sdk';
import { Tenant } from '@plinth/tenancy';
import { Rack } from '../entities/locations';

/** Units of a rack set aside for a user (Nautobot's `dcim.RackReservation`). */
@Entity('dcim_rackreservation')
export class RackReservation extends PrimaryModel {
  @Field.fk(() => Rack, { on_delete: 'CASCADE', related_name: 'rack_reservations' })
  rack!: Rack;

  @Field.array({ item: 'integer', help_text: 'Reserved unit numbers (comma-separated in forms and CSV)' })
  units!: number[];

  @Field.fk(CoreModels.user, { on_delete: 'PROTECT', related_name: 'rack_reservations' })
  user!: UserRecord;

  @Field.fk(() => Tenant, { nullable: true, on_delete: 'PROTECT', related_name: 'rack_reservations' })
  tenant!: Tenant | null;

  @Field.char({ max_length: 200, search: true })
  description!: string;
}
