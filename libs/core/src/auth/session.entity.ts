import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Browser sessions for the web UI (not exposed through the REST engine). */
@Entity('core_session')
export class Session {
  /** sha256 of the cookie value. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index()
  @Column({ type: 'uuid' })
  user_id!: string;

  @Column({ type: 'varchar', length: 64 })
  csrf_token!: string;

  @Column({ type: 'timestamptz' })
  expires!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  created!: Date;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;
}
