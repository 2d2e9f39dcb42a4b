import { choices } from '@plinth/plugin-sdk';

export const RACK_TYPES = choices([
  ['2-post-frame', '2-post frame'],
  ['4-post-frame', '4-post frame'],
  ['4-post-cabinet', '4-post cabinet'],
  ['wall-frame', 'Wall-mounted frame'],
  ['wall-cabinet', 'Wall-mounted cabinet'],
]);

export const RACK_WIDTHS = [
  { value: 10, label: '10 inches' },
  { value: 19, label: '19 inches' },
  { value: 21, label: '21 inches' },
  { value: 23, label: '23 inches' },
];

export const LENGTH_UNITS_RACK = choices([
  ['mm', 'Millimeters'],
  ['in', 'Inches'],
]);

export const SUBDEVICE_ROLES = choices([
  ['parent', 'Parent'],
  ['child', 'Child'],
]);

export const DEVICE_FACES = choices([
  ['front', 'Front'],
  ['rear', 'Rear'],
]);

export const FEED_LEGS = choices([
  ['A', 'A'],
  ['B', 'B'],
  ['C', 'C'],
]);

export const INTERFACE_MODES = choices([
  ['access', 'Access'],
  ['tagged', 'Tagged'],
  ['tagged-all', 'Tagged (All)'],
]);

export const CABLE_TYPES = choices([
  ['cat3', 'CAT3'],
  ['cat5', 'CAT5'],
  ['cat5e', 'CAT5e'],
  ['cat6', 'CAT6'],
  ['cat6a', 'CAT6a'],
  ['cat7', 'CAT7'],
  ['cat7a', 'CAT7a'],
  ['cat8', 'CAT8'],
  ['dac-active', 'Direct Attach Copper (Active)'],
  ['dac-passive', 'Direct Attach Copper (Passive)'],
  ['mrj21-trunk', 'MRJ21 Trunk'],
  ['coaxial', 'Coaxial'],
  ['mmf', 'Multimode Fiber'],
  ['mmf-om1', 'Multimode Fiber (OM1)'],
  ['mmf-om2', 'Multimode Fiber (OM2)'],
  ['mmf-om3', 'Multimode Fiber (OM3)'],
  ['mmf-om4', 'Multimode Fiber (OM4)'],
  ['mmf-om5', 'Multimode Fiber (OM5)'],
  ['smf', 'Singlemode Fiber'],
  ['smf-os1', 'Singlemode Fiber (OS1)'],
  ['smf-os2', 'Singlemode Fiber (OS2)'],
  ['aoc', 'Active Optical Cabling (AOC)'],
  ['power', 'Power'],
  ['other', 'Other'],
]);

export const CABLE_LENGTH_UNITS = choices([
  ['km', 'Kilometers'],
  ['m', 'Meters'],
  ['cm', 'Centimeters'],
  ['mi', 'Miles'],
  ['ft', 'Feet'],
  ['in', 'Inches'],
]);

/** Device type airflow (NetBox's DeviceAirflowChoices, as the device-type library lists them). */
export const AIRFLOWS = choices([
  ['front-to-rear', 'Front to rear'],
  ['rear-to-front', 'Rear to front'],
  ['left-to-right', 'Left to right'],
  ['right-to-left', 'Right to left'],
  ['side-to-rear', 'Side to rear'],
  ['passive', 'Passive'],
  ['mixed', 'Mixed'],
]);

export const WEIGHT_UNITS = choices([
  ['kg', 'Kilograms'],
  ['g', 'Grams'],
  ['lb', 'Pounds'],
  ['oz', 'Ounces'],
]);

/** Power over Ethernet (NetBox's InterfacePoEModeChoices / InterfacePoETypeChoices). */
export const POE_MODES = choices([
  ['pd', 'PD'],
  ['pse', 'PSE'],
]);

export const POE_TYPES = choices([
  ['type1-ieee802.3af', '802.3af (Type 1)'],
  ['type2-ieee802.3at', '802.3at (Type 2)'],
  ['type3-ieee802.3bt', '802.3bt (Type 3)'],
  ['type4-ieee802.3bt', '802.3bt (Type 4)'],
  ['passive-24v-2pair', 'Passive 24V (2-pair)'],
  ['passive-24v-4pair', 'Passive 24V (4-pair)'],
  ['passive-48v-2pair', 'Passive 48V (2-pair)'],
  ['passive-48v-4pair', 'Passive 48V (4-pair)'],
]);
