// Command identifiers, in one place so package.json, menus and code agree.
export const COMMANDS = {
  refresh: 'dockerNetworking.refresh',
  openSettings: 'dockerNetworking.openSettings',
  turnOffRule: 'dockerNetworking.turnOffRule',
  turnRuleBackOn: 'dockerNetworking.turnRuleBackOn',
  createNetwork: 'dockerNetworking.createNetwork',
  removeNetwork: 'dockerNetworking.removeNetwork',
  pruneNetworks: 'dockerNetworking.pruneNetworks',
  inspectNetwork: 'dockerNetworking.inspectNetwork',
  connectContainer: 'dockerNetworking.connectContainer',
  disconnectContainer: 'dockerNetworking.disconnectContainer',
  copyName: 'dockerNetworking.copyName',
  copyId: 'dockerNetworking.copyId',
  copyIp: 'dockerNetworking.copyIp',
  showDiagram: 'dockerNetworking.showDiagram',
  ping: 'dockerNetworking.ping',
  dnsLookup: 'dockerNetworking.dnsLookup',
  checkPort: 'dockerNetworking.checkPort',
  checkHttp: 'dockerNetworking.checkHttp',
  verifyIsolation: 'dockerNetworking.verifyIsolation',
  verifyStack: 'dockerNetworking.verifyStack',
  showResolvedModel: 'dockerNetworking.showResolvedModel',
  captureTraffic: 'dockerNetworking.captureTraffic',
  recordFlows: 'dockerNetworking.recordFlows',
  /** Shows locations from the analysis worker (file, range) in the references peek: a code lens's target. */
  showLocations: 'dockerNetworking.showLocations',
  /** Opens a file at a range; for links in webviews (a path the extension host resolves, so it works in remote windows). */
  openLocation: 'dockerNetworking.openLocation',
  filterNetworks: 'dockerNetworking.filterNetworks',
} as const;

export const SETTINGS = {
  section: 'dockerNetworking',
  dockerHost: 'dockerHost',
  liveCountersInterval: 'liveCounters.intervalSeconds',
  captureImage: 'captureImage',
} as const;

export const VIEWS = {
  networks: 'dockerNetworking.networks',
} as const;
