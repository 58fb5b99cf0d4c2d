// ServerlessFedi: one instance per environment in one resource group.
//   az deployment group what-if --resource-group <rg> --parameters bicep/<env>.bicepparam
//   az deployment group create  --resource-group <rg> --parameters bicep/<env>.bicepparam
// See docs/DEPLOY.md. Local modules only (no registry), so CI compiles this offline.

targetScope = 'resourceGroup'

import { fediSettings, workQueues } from 'modules/types.bicep'

// ---------- environment ----------

@description('Environment: part of every resource name; prod turns nothing on by itself (the .bicepparam files do).')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string

@description('Short name of the instance (3-10 lower-case letters and digits), part of every resource name.')
@minLength(3)
@maxLength(10)
param baseName string

@description('Region of every resource but Front Door (global). Must offer Flex Consumption.')
param location string = resourceGroup().location

@description('Tags for every resource.')
param tags object = {}

// ---------- the instance (Fedi__* settings) ----------

@description('Custom domain of the instance, e.g. social.example.gov. Empty: the instance lives at https://<app>.azurewebsites.net. Set: Front Door terminates TLS for it (see docs/DEPLOY.md for the DNS records).')
param customDomain string = ''

@description('Domain of handles when it differs from the web host (Fedi__AccountDomain); empty for none.')
param accountDomain string = ''

@description('Instance name (Fedi__InstanceTitle).')
@minLength(1)
@maxLength(100)
param instanceTitle string = 'ServerlessFedi'

@description('One-paragraph description (Fedi__InstanceDescription).')
param instanceDescription string = 'A Mastodon-compatible instance for public bodies.'

@description('Operator contact address (Fedi__ContactEmail); empty for none.')
param contactEmail string = ''

@description('Username of the local account shown as the instance contact (Fedi__ContactAccount); empty for none.')
param contactAccount string = ''

@description('Comma-separated ISO 639-1 codes, first is the default (Fedi__Languages).')
param languages string = 'en'

@description('Link to the imprint (Fedi__ImprintUrl); empty for none.')
param imprintUrl string = ''

@description('Link to the privacy policy (Fedi__PrivacyPolicyUrl); empty for none.')
param privacyPolicyUrl string = ''

@description('Imprint text shown at /imprint (Fedi__ImprintText): plain text, blank lines between paragraphs; empty for none.')
@maxLength(20000)
param imprintText string = ''

@description('Privacy policy text shown at /privacy (Fedi__PrivacyPolicyText), same form; empty for none.')
@maxLength(20000)
param privacyPolicyText string = ''

@description('Server rules, one per line (Fedi__Rules), shown by apps at /api/v1/instance/rules; empty for none.')
param rules string = ''

@description('Base64 of 32 random bytes sealing TOTP secrets (Fedi__TwoFactorKey); empty: two-factor logins cannot be enrolled.')
@secure()
param twoFactorKey string = ''

@description('Every login needs a second factor (Fedi__RequireTwoFactor); needs twoFactorKey.')
param requireTwoFactor bool = false

@description('Days an agency\'s audit trail row (team access, docs/TEAM.md) is kept (Fedi__AuditRetentionDays): 1 to 3650.')
@minValue(1)
@maxValue(3650)
param auditRetentionDays int = 365

@description('Who may read the server\'s domain blocks at /api/v1/instance/domain_blocks (Fedi__ShowDomainBlocks): disabled (Mastodon\'s default), users or all.')
@allowed(['disabled', 'users', 'all'])
param showDomainBlocks string = 'disabled'

@description('Serve remote avatars, headers, attachments and emoji through the app (Fedi__ProxyRemoteMedia, Mastodon\'s behaviour): readers\' apps never contact third-party servers; copies live in the remotemedia container for remoteMediaRetentionDays.')
param proxyRemoteMedia bool = true

@description('Prefix of table, queue and container names (Fedi__StoragePrefix): 0-12 lower-case letters and digits.')
@maxLength(12)
param storagePrefix string = ''

// ---------- compute ----------

@description('Memory per instance in MB. GB-seconds are billed at this size.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most instances the app may scale out to: a bound on cost and on load sent to other servers.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Always-ready instances for the HTTP functions (no cold start, billed around the clock). 0 scales to zero.')
@minValue(0)
@maxValue(10)
param alwaysReadyHttpInstances int = 0

// ---------- storage ----------

@description('Storage redundancy: Standard_ZRS (three zones) for prod, Standard_LRS elsewhere.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('Days deleted blobs and containers stay recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 7

@description('Days after which activity payloads too large for a queue message are deleted (lifecycle rule); at least the two days of delivery retries plus the time an operator may take to replay a poisoned delivery.')
@minValue(3)
@maxValue(365)
param payloadRetentionDays int = 14

@description('Days after which cached copies of remote media (Fedi__ProxyRemoteMedia) are deleted (lifecycle rule); the next request for a file fetches it again.')
@minValue(1)
@maxValue(365)
param remoteMediaRetentionDays int = 7

@description('Days after which the image of a link preview card is deleted (lifecycle rule on the cards/ prefix of the media container); the app stops showing it a day earlier (Fedi__CardImageRetentionDays) and a later post of the same link stores a new one.')
@minValue(16)
@maxValue(3650)
param cardImageRetentionDays int = 30

@description('How media reaches readers. app: private container, served by the app (default). blob: anonymous read of the media container (never listing). frontDoor: as blob, cached by a Front Door endpoint. Anything but app deliberately allows public blob access on the account.')
@allowed([
  'app'
  'blob'
  'frontDoor'
])
param mediaDelivery string = 'app'

@description('Public URL of the media container when another CDN serves it (Fedi__MediaBaseUrl); empty to derive it from mediaDelivery.')
param mediaBaseUrl string = ''

// ---------- monitoring ----------

@description('E-mail address that receives alerts (work moved to a poison queue); empty: the alert still fires and shows in Azure Monitor, nobody is mailed.')
param alertEmail string = ''

@description('Days logs and telemetry are kept.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Daily telemetry ingestion cap in GB (-1: none). A runaway log loop then costs at most this per day.')
@minValue(-1)
param logDailyCapGb int = 1

// ---------- access ----------

@description('Object id of the Entra ID principal (a group, preferably) whose members run the admin CLI against storage; empty to assign roles by hand.')
param operatorPrincipalId string = ''

@description('Kind of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'Group'

// ---------- names ----------

var suffix = take(uniqueString(subscription().id, resourceGroup().id, baseName, environmentName), 5)
var stem = '${baseName}-${environmentName}'
var names = {
  identity: 'id-${stem}'
  storage: 'st${baseName}${environmentName}${suffix}'
  plan: 'asp-${stem}'
  functionApp: 'func-${stem}-${suffix}'
  logAnalytics: 'log-${stem}'
  appInsights: 'appi-${stem}'
  frontDoor: 'afd-${stem}'
  actionGroup: 'ag-${stem}'
  poisonAlert: 'alert-${stem}-poison'
}
var allTags = union(tags, {
  application: 'ServerlessFedi'
  environment: environmentName
})

// ---------- storage layout (core/Storage/StorageNames.cs; physical names add Fedi__StoragePrefix) ----------

// Tables: prefix glued on (table names are alphanumeric). The inbox's duplicate check keeps one table per week
// (inboxseen{yyyyMMdd}), which the app creates and drops itself (core/Storage/WeeklyTables.cs).
var storageTables = [
  'accounts'
  'oauth'
  'followers'
  'remoteactors'
  'delivery'
  'notifications'
  'statuses'
  'interactions'
  'following'
  'timelines'
  'reports'
  'media'
  'filters'
  'lists'
  'moderation'
  'audit'
]

// Queues: one line per queue; each gets its <name>-poison twin, where the host moves a message after maxDequeueCount.
var storageQueues = [
  'inbox'
  'fanout'
  'deliver'
  'accounts'
  'media'
  'push'
]

// Containers the app uses (prefixed like queues). 'media' is the one mediaDelivery may open for anonymous reads;
// 'uploads' holds video and audio as received (with their metadata) until the media queue has processed them: always private.
// 'remotemedia' caches remote avatars, headers and attachments that the app serves itself: always private.
var storageContainers = [
  'media'
  'payloads'
  'uploads'
  'remotemedia'
]

// The platform reads the app package from here; infrastructure, not app data, so never prefixed.
var deploymentContainer = 'app-package'

var queuePrefix = empty(storagePrefix) ? '' : '${storagePrefix}-'
var mediaContainer = '${queuePrefix}media'
var physicalQueues = flatten(map(storageQueues, q => ['${queuePrefix}${q}', '${queuePrefix}${q}-poison']))

// ---------- the instance's public origin ----------

// The default host name is <app>.azurewebsites.net; written out because the app's own settings cannot refer to it.
var baseUrl = empty(customDomain) ? 'https://${names.functionApp}.azurewebsites.net' : 'https://${customDomain}'

// Fedi__MediaBaseUrl: empty for app (the app serves /media/...), else the container's URL or the Front Door endpoint
// whose origin path is the container. Media URLs are this plus the blob name.
var storageBlobEndpoint = 'https://${names.storage}.blob.${environment().suffixes.storage}/'
var derivedMediaBaseUrl = mediaDelivery == 'frontDoor'
  ? 'https://${frontDoor!.outputs.mediaEndpointHostName}'
  : mediaDelivery == 'blob' ? '${storageBlobEndpoint}${mediaContainer}' : ''

var fedi fediSettings = {
  baseUrl: baseUrl
  accountDomain: accountDomain
  instanceTitle: instanceTitle
  instanceDescription: instanceDescription
  contactEmail: contactEmail
  contactAccount: contactAccount
  languages: languages
  imprintUrl: imprintUrl
  imprintText: imprintText
  privacyPolicyText: privacyPolicyText
  privacyPolicyUrl: privacyPolicyUrl
  rules: rules
  requireTwoFactor: requireTwoFactor
  auditRetentionDays: auditRetentionDays
  cardImageRetentionDays: cardImageRetentionDays
  showDomainBlocks: showDomainBlocks
  proxyRemoteMedia: proxyRemoteMedia
  storagePrefix: storagePrefix
  mediaBaseUrl: empty(mediaBaseUrl) ? derivedMediaBaseUrl : mediaBaseUrl
  // Requests carrying this id in X-Azure-FDID came through our profile: only then is X-Azure-ClientIP the client's address.
  frontDoorId: deployFrontDoor ? frontDoor!.outputs.instanceFrontDoorId : ''
}

// The queue triggers bind these names (app settings FediInboxQueue, FediFanoutQueue, FediDeliverQueue, FediAccountsQueue, FediMediaQueue, FediPushQueue).
var queues workQueues = {
  inbox: '${queuePrefix}inbox'
  fanout: '${queuePrefix}fanout'
  deliver: '${queuePrefix}deliver'
  accounts: '${queuePrefix}accounts'
  media: '${queuePrefix}media'
  push: '${queuePrefix}push'
}

var deployFrontDoor = !empty(customDomain) || mediaDelivery == 'frontDoor'

// ---------- resources ----------

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: allTags
    skuName: storageSku
    softDeleteDays: blobSoftDeleteDays
    mediaPublicRead: mediaDelivery != 'app'
    deploymentContainerName: deploymentContainer
    mediaContainerName: mediaContainer
    privateContainerNames: map(filter(storageContainers, c => c != 'media'), c => '${queuePrefix}${c}')
    tableNames: map(storageTables, t => '${storagePrefix}${t}')
    payloadsContainerName: '${queuePrefix}payloads'
    payloadRetentionDays: payloadRetentionDays
    remoteMediaContainerName: '${queuePrefix}remotemedia'
    remoteMediaRetentionDays: remoteMediaRetentionDays
    cardImageRetentionDays: cardImageRetentionDays
    queueNames: physicalQueues
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: allTags
    retentionInDays: logRetentionDays
    dailyCapGb: logDailyCapGb
    alertEmail: alertEmail
    actionGroupName: names.actionGroup
    poisonAlertName: names.poisonAlert
  }
}

// Names known at the start of the deployment (not module outputs) keep what-if precise.
module roles 'modules/roles.bicep' = {
  name: 'roles'
  dependsOn: [
    storage
    monitoring
  ]
  params: {
    storageAccountName: names.storage
    appInsightsName: names.appInsights
    appIdentityId: resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', names.identity)
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionApp'
  // The app reads its package and storage as the identity from its first start: grant the roles first.
  dependsOn: [
    roles
  ]
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsName: names.appInsights
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    fedi: fedi
    twoFactorKey: twoFactorKey
    queues: queues
  }
}

module frontDoor 'modules/frontdoor.bicep' = if (deployFrontDoor) {
  name: 'frontDoor'
  params: {
    profileName: names.frontDoor
    tags: allTags
    // Written out (not the app module's output) so the app can take the media endpoint's host name as a setting.
    appHostName: '${names.functionApp}.azurewebsites.net'
    customDomain: customDomain
    mediaHostName: mediaDelivery == 'frontDoor' ? '${names.storage}.blob.${environment().suffixes.storage}' : ''
    mediaContainerName: mediaContainer
  }
}

// ---------- what the operator needs next ----------

output functionAppName string = functionApp.outputs.name
output defaultHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output identityClientId string = identity.outputs.clientId
output baseUrl string = baseUrl
@description('Create CNAME <customDomain> -> this host (empty without a custom domain).')
output frontDoorEndpointHostName string = deployFrontDoor ? frontDoor!.outputs.appEndpointHostName : ''
@description('Create TXT _dnsauth.<customDomain> = this value (empty without a custom domain).')
output customDomainValidationToken string = deployFrontDoor ? frontDoor!.outputs.customDomainValidationToken : ''
@description('Where media is served from, per mediaDelivery (empty for app: the app serves it under the base URL).')
output mediaBaseUrl string = fedi.mediaBaseUrl
