import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The database check's write probe: a row is inserted and read back inside a transaction that
 * is then rolled back, so the table stays empty and nothing is change-logged.
 */
@Entity('healthcheck_probe')
export class HealthProbe {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** A random value the probe writes and expects to read back. */
  @Column({ type: 'varchar', length: 64 })
  token!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  written_at!: Date;
}
