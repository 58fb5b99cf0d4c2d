// Shared types, imported at compile time (no registry involved).

@export()
@description('The instance settings the app reads as Fedi__* app settings (see core/Configuration/FediOptions.cs).')
type fediSettings = {
  @description('Public origin, e.g. https://social.example.gov: the only source of public URLs and of the signature host.')
  baseUrl: string

  @description('Domain of handles when it differs from the web host; empty for none.')
  accountDomain: string

  @minLength(1)
  @maxLength(100)
  instanceTitle: string

  instanceDescription: string

  @description('Operator contact address; empty for none.')
  contactEmail: string

  @description('Username of the local contact account; empty for none.')
  contactAccount: string

  @description('Comma-separated ISO 639-1 codes, first is the default.')
  @minLength(2)
  languages: string

  @description('Link to the operator\'s imprint (Impressum); empty for none.')
  imprintUrl: string

  @description('Link to the operator\'s privacy policy; empty for none.')
  privacyPolicyUrl: string

  @description('Imprint text shown at /imprint; empty for none.')
  @maxLength(20000)
  imprintText: string

  @description('Privacy policy text shown at /privacy; empty for none.')
  @maxLength(20000)
  privacyPolicyText: string

  @description('Server rules, one per line; empty for none.')
  rules: string

  @description('Who may read /api/v1/instance/domain_blocks (Fedi__ShowDomainBlocks).')
  showDomainBlocks: ('disabled' | 'users' | 'all')

  @description('Serve remote media through the app (Fedi__ProxyRemoteMedia).')
  proxyRemoteMedia: bool

  @description('Prefix for table, queue and container names; empty for none.')
  @maxLength(12)
  storagePrefix: string

  @description('Public URL of the media container (CDN or blob endpoint); empty when the app serves media itself.')
  mediaBaseUrl: string

  @description('frontDoorId of the Front Door profile in front of the instance (X-Azure-FDID); empty when none serves it.')
  frontDoorId: string

  @description('Every login needs a second factor (TOTP).')
  requireTwoFactor: bool

  @description('Days an agency\'s audit trail row is kept (team access).')
  auditRetentionDays: int

  @description('Days a link preview card\'s image is kept (Fedi__CardImageRetentionDays); the lifecycle rule deletes it then.')
  cardImageRetentionDays: int
}

@export()
@description('Physical names of the work queues, read by the queue triggers as %FediInboxQueue% etc. (core/Federation/FederationQueues.cs).')
type workQueues = {
  inbox: string
  fanout: string
  deliver: string
  accounts: string
  media: string
  push: string
}
