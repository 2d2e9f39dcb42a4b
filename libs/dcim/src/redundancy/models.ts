import { PRIMARY_FEATURES, defineModel, sql, type BatchContext, type ModelRule } from '@plinth/plugin-sdk';
import {
  DeviceRedundancyGroup,
  InterfaceRedundancyGroup,
  InterfaceRedundancyGroupAssociation,
} from './entities';

/**
 * A deleted group's devices leave it with their priority (a priority without a group is
 * refused), through the write path so each device's change is logged.
 */
async function releaseDevices(ctx: BatchContext): Promise<void> {
  const devices = await ctx.tx.objects.find('dcim.device', {
    device_redundancy_group: ctx.records.map((r) => String(r.id)),
  });
  if (devices.length)
    await ctx.tx.objects.update(
      'dcim.device',
      devices.map((d) => ({
        id: String(d.id),
        device_redundancy_group: null,
        device_redundancy_group_priority: null,
      })),
    );
}

export const deviceRedundancyGroupModel = defineModel({
  entity: DeviceRedundancyGroup,
  app_label: 'dcim',
  model: 'deviceredundancygroup',
  verbose_name: 'device redundancy group',
  api_path: 'device-redundancy-groups',
  features: [...PRIMARY_FEATURES, 'statuses'],
  ordering: ['name'],
  list_fields: ['name', 'status', 'failover_strategy', 'secrets_group', 'description'],
  hooks: { beforeDelete: releaseDevices },
  description: 'Devices that back each other up (clusters, HA pairs), with a failover strategy.',
});

export const interfaceRedundancyGroupModel = defineModel({
  entity: InterfaceRedundancyGroup,
  app_label: 'dcim',
  model: 'interfaceredundancygroup',
  verbose_name: 'interface redundancy group',
  api_path: 'interface-redundancy-groups',
  features: [...PRIMARY_FEATURES, 'statuses'],
  ordering: ['name'],
  list_fields: ['name', 'status', 'protocol', 'protocol_group_id', 'virtual_ip', 'description'],
  description: 'Interfaces sharing a virtual IP through HSRP, VRRP, GLBP or CARP.',
});

export const interfaceRedundancyGroupAssociationModel = defineModel({
  entity: InterfaceRedundancyGroupAssociation,
  app_label: 'dcim',
  model: 'interfaceredundancygroupassociation',
  verbose_name: 'interface redundancy group association',
  api_path: 'interface-redundancy-group-associations',
  features: ['custom_validators', 'changelog', 'graphql', 'webhooks'],
  ordering: ['interface_redundancy_group', '-priority'],
  related_object: 'interface_redundancy_group',
  display: {
    sql: (t) =>
      sql`(SELECT g."name" FROM "dcim_interfaceredundancygroup" g WHERE g."id" = ${t}."interface_redundancy_group_id") || ': ' || COALESCE((SELECT d."name" FROM "dcim_interface" i JOIN "dcim_device" d ON d."id" = i."device_id" WHERE i."id" = ${t}."interface_id"), '') || ' ' || (SELECT i."name" FROM "dcim_interface" i WHERE i."id" = ${t}."interface_id")`,
  },
  natural_key: [],
  list_fields: ['interface_redundancy_group', 'interface', 'priority'],
  description: 'An interface in an interface redundancy group, with its priority.',
});

/**
 * A priority needs a group (Nautobot's Device.clean), named on the priority field. Appended to
 * the device model's rules.
 */
export const deviceRedundancyRule: ModelRule<{
  device_redundancy_group: unknown;
  device_redundancy_group_priority: number | null;
}> = (ctx) => {
  const r = ctx.record;
  if (
    r.device_redundancy_group_priority !== null &&
    r.device_redundancy_group_priority !== undefined &&
    (r.device_redundancy_group === null || r.device_redundancy_group === undefined)
  )
    ctx.error(
      'device_redundancy_group_priority',
      'Must assign a redundancy group when defining a redundancy group priority.',
    );
};

export const REDUNDANCY_MODELS = [
  deviceRedundancyGroupModel,
  interfaceRedundancyGroupModel,
  interfaceRedundancyGroupAssociationModel,
];
