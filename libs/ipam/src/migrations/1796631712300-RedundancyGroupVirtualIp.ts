import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The constraint of dcim's reference to ipam from interface redundancy groups (`virtual_ip`):
 * dcim cannot depend on ipam, so it is created here, as IpamInitial does for primary IPs.
 */
export class RedundancyGroupVirtualIp1796631712300 implements MigrationInterface {
  name = 'RedundancyGroupVirtualIp1796631712300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "dcim_interfaceredundancygroup" ADD CONSTRAINT "fk_dcim_interfaceredundancygroup_virtual_ip" FOREIGN KEY ("virtual_ip_id") REFERENCES "ipam_ipaddress"("id") ON DELETE SET NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "dcim_interfaceredundancygroup" DROP CONSTRAINT "fk_dcim_interfaceredundancygroup_virtual_ip"`,
    );
  }
}
