// Flex Consumption plan (FC1) and the function app: .NET 10 isolated worker, identity-based storage and telemetry,
// HTTPS only, FTP and basic publishing credentials off.

import { fediSettings, workQueues } from 'types.bicep'

@description('Function app name (globally unique; also the default host name <name>.azurewebsites.net).')
param name string

@description('Flex Consumption plan name.')
param planName string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity (for the host\'s and the SDKs\' managed identity credential).')
param identityClientId string

@description('Storage account for AzureWebJobsStorage (identity-based).')
param storageAccountName string

@description('URL of the blob container holding the deployment package.')
param deploymentContainerUrl string

@description('Application Insights component to send telemetry to.')
param appInsightsName string

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound of instances the app scales out to (also a cost bound).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Always-ready instances for the HTTP functions (billed around the clock); 0 scales to zero.')
@minValue(0)
param alwaysReadyHttpInstances int

@description('The Fedi__* settings.')
param fedi fediSettings

@description('Fedi__TwoFactorKey: the key sealing TOTP secrets; kept out of the settings object so it stays a secure value.')
@secure()
param twoFactorKey string

@description('Queue names the queue triggers bind to (%FediInboxQueue% ...); the host refuses to start without them.')
param queues workQueues

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    publicNetworkAccess: 'Enabled'
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // Every setting the app reads (README "Configuration"). Fedi__AllowPrivateNetworks is for tests only and is
      // deliberately absent: the app then refuses http and private addresses for remote fetches.
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        {
          name: 'Fedi__BaseUrl'
          value: fedi.baseUrl
        }
        {
          name: 'Fedi__AccountDomain'
          value: fedi.accountDomain
        }
        {
          name: 'Fedi__InstanceTitle'
          value: fedi.instanceTitle
        }
        {
          name: 'Fedi__InstanceDescription'
          value: fedi.instanceDescription
        }
        {
          name: 'Fedi__ContactEmail'
          value: fedi.contactEmail
        }
        {
          name: 'Fedi__ContactAccount'
          value: fedi.contactAccount
        }
        {
          name: 'Fedi__Languages'
          value: fedi.languages
        }
        {
          name: 'Fedi__ImprintUrl'
          value: fedi.imprintUrl
        }
        {
          name: 'Fedi__PrivacyPolicyUrl'
          value: fedi.privacyPolicyUrl
        }
        {
          name: 'Fedi__ImprintText'
          value: fedi.imprintText
        }
        {
          name: 'Fedi__PrivacyPolicyText'
          value: fedi.privacyPolicyText
        }
        {
          name: 'Fedi__Rules'
          value: fedi.rules
        }
        {
          name: 'Fedi__ShowDomainBlocks'
          value: fedi.showDomainBlocks
        }
        {
          name: 'Fedi__ProxyRemoteMedia'
          value: fedi.proxyRemoteMedia ? 'true' : 'false'
        }
        {
          name: 'Fedi__StoragePrefix'
          value: fedi.storagePrefix
        }
        {
          name: 'Fedi__MediaBaseUrl'
          value: fedi.mediaBaseUrl
        }
        {
          name: 'Fedi__FrontDoorId'
          value: fedi.frontDoorId
        }
        {
          name: 'Fedi__TwoFactorKey'
          value: twoFactorKey
        }
        {
          name: 'Fedi__RequireTwoFactor'
          value: fedi.requireTwoFactor ? 'true' : 'false'
        }
        {
          name: 'Fedi__AuditRetentionDays'
          value: string(fedi.auditRetentionDays)
        }
        {
          name: 'Fedi__CardImageRetentionDays'
          value: string(fedi.cardImageRetentionDays)
        }
        {
          name: 'FediInboxQueue'
          value: queues.inbox
        }
        {
          name: 'FediFanoutQueue'
          value: queues.fanout
        }
        {
          name: 'FediDeliverQueue'
          value: queues.deliver
        }
        {
          name: 'FediAccountsQueue'
          value: queues.accounts
        }
        {
          name: 'FediMediaQueue'
          value: queues.media
        }
        {
          name: 'FediPushQueue'
          value: queues.push
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReadyHttpInstances > 0
          ? [
              {
                name: 'http'
                instanceCount: alwaysReadyHttpInstances
              }
            ]
          : []
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Deployments authenticate with Entra ID (az login / OIDC); publishing profiles and FTP are refused.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
