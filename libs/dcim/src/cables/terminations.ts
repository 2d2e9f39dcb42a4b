/** Which objects a cable can end on and which ends fit together (Nautobot's COMPATIBLE_TERMINATION_TYPES). */

export const CIRCUIT_TERMINATION = 'circuits.circuittermination';

/** What a patch panel port (front or rear) can be cabled to. */
const PASS_THROUGH_PEERS: readonly string[] = [
  'dcim.consoleport',
  'dcim.consoleserverport',
  'dcim.interface',
  'dcim.frontport',
  'dcim.rearport',
  CIRCUIT_TERMINATION,
];

export const COMPATIBLE_TERMINATIONS: Readonly<Record<string, readonly string[]>> = {
  'dcim.interface': ['dcim.interface', 'dcim.frontport', 'dcim.rearport', CIRCUIT_TERMINATION],
  'dcim.frontport': PASS_THROUGH_PEERS,
  'dcim.rearport': PASS_THROUGH_PEERS,
  'dcim.consoleport': ['dcim.consoleserverport', 'dcim.frontport', 'dcim.rearport'],
  'dcim.consoleserverport': ['dcim.consoleport', 'dcim.frontport', 'dcim.rearport'],
  'dcim.powerport': ['dcim.poweroutlet'],
  'dcim.poweroutlet': ['dcim.powerport'],
  [CIRCUIT_TERMINATION]: ['dcim.interface', 'dcim.frontport', 'dcim.rearport', CIRCUIT_TERMINATION],
};

/** Models a cable can end on. */
export const CABLE_TERMINATION_LABELS: readonly string[] = Object.keys(COMPATIBLE_TERMINATIONS);

/** Where a traced path ends: components that are not pass-through ports (Nautobot's PathEndpoints). */
export const PATH_ENDPOINT_LABELS: readonly string[] = [
  'dcim.interface',
  'dcim.consoleport',
  'dcim.consoleserverport',
  'dcim.powerport',
  'dcim.poweroutlet',
  CIRCUIT_TERMINATION,
];
