import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Failed password logins per username and per client address, shared by every server process
 * (a lockout must hold behind a load balancer). Rows are removed on success or once stale.
 */
@Entity('core_loginfailure')
export class LoginFailure {
  /** `user:<lower-cased username>` or `ip:<address>`. */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'integer', default: 0 })
  failures!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  first_failure!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  locked_until!: Date | null;
}
