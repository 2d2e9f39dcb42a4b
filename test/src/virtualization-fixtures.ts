/** REST collections of the virtualization plugin. */
export const VIRT = {
  clusterTypes: '/api/virtualization/cluster-types/',
  clusterGroups: '/api/virtualization/cluster-groups/',
  clusters: '/api/virtualization/clusters/',
  virtualMachines: '/api/virtualization/virtual-machines/',
  interfaces: '/api/virtualization/interfaces/',
};
