import type { TestApp } from '@plinth/testing';
import { DCIM, create, type Site } from './dcim-fixtures';

export const MODULES = {
  moduleTypes: '/api/dcim/module-types/',
  moduleBayTemplates: '/api/dcim/module-bay-templates/',
  moduleBays: '/api/dcim/module-bays/',
  modules: '/api/dcim/modules/',
};

/** A chassis with two line-card slots, a line card with two SFP slots and 2 ports, an SFP with one port. */
export async function buildModular(t: TestApp, s: Site, prefix = '') {
  const api = t.api;
  const chassis = await create(api, DCIM.deviceTypes, {
    manufacturer: s.manufacturer.id,
    model: `${prefix}Chassis`,
    u_height: 4,
  });
  await create(api, DCIM.interfaceTemplates, { device_type: chassis.id, name: 'mgmt0', type: '1000base-t' });
  await create(api, MODULES.moduleBayTemplates, [
    { device_type: chassis.id, name: 'Slot 1', position: '1' },
    { device_type: chassis.id, name: 'Slot 2', position: '2' },
  ]);
  const card = await create(api, MODULES.moduleTypes, {
    manufacturer: s.manufacturer.id,
    model: `${prefix}LC-2`,
    part_number: 'LC-2-A',
  });
  await create(api, DCIM.interfaceTemplates, [
    { module_type: card.id, name: 'Ethernet{module}/1', label: 'port {module}/1', type: '10gbase-x-sfpp' },
    { module_type: card.id, name: 'Ethernet{module}/2', type: '10gbase-x-sfpp' },
  ]);
  const [psu] = await create(api, DCIM.powerPortTemplates, [
    { module_type: card.id, name: 'PSU{module}', type: 'iec-60320-c14', maximum_draw: 90 },
  ]);
  await create(api, DCIM.powerOutletTemplates, {
    module_type: card.id,
    name: 'OUT{module}',
    type: 'iec-60320-c13',
    power_port_template: psu.id,
  });
  await create(api, MODULES.moduleBayTemplates, [
    { module_type: card.id, name: 'SFP 1', position: '1' },
    { module_type: card.id, name: 'SFP 2', position: '2' },
  ]);
  const sfp = await create(api, MODULES.moduleTypes, {
    manufacturer: s.manufacturer.id,
    model: `${prefix}SFP-10G`,
  });
  await create(api, DCIM.interfaceTemplates, {
    module_type: sfp.id,
    name: 'Te{module}/{module}',
    type: '10gbase-x-sfpp',
  });
  return { chassis, card, sfp };
}
