// Command identifiers, in one place so package.json, menus and code agree.
export const COMMANDS = {
  refresh: 'dockerNetworking.refresh',
  openSettings: 'dockerNetworking.openSettings',
  turnOffRule: 'dockerNetworking.turnOffRule',
  showLocations: 'dockerNetworking.showLocations',
} as const;

export const SETTINGS = {
  section: 'dockerNetworking',
  dockerHost: 'dockerHost',
} as const;

export const VIEWS = {
  networks: 'dockerNetworking.networks',
} as const;
