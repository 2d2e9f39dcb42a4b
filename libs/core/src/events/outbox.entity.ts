import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Change events waiting for one event subscriber: written in the transaction of the change,
 * handled after commit, retried with backoff while the subscriber fails, kept once given up.
 */
@Entity('core_eventoutbox')
@Index('IDX_core_eventoutbox_due', ['status', 'next_attempt'])
export class EventOutboxRow {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_core_eventoutbox' })
  id!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  created!: Date;

  @Column({ type: 'varchar', length: 200 })
  subscriber!: string;

  @Column({ type: 'jsonb' })
  events!: unknown;

  /** `pending` (waiting or being handled) or `failed` (given up after the last attempt). */
  @Column({ type: 'varchar', length: 20, default: 'pending' })
  status!: string;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  next_attempt!: Date | null;

  @Column({ type: 'text', default: '' })
  last_error!: string;
}
