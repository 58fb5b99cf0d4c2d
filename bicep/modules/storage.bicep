// The one storage account: tables (entities), queues (work), blobs (media, deployment package).
// Entra ID only: shared keys are off, so nothing holds a connection string.

@description('Storage account name (3-24 lower-case letters and digits, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Redundancy. Standard_ZRS keeps data in three zones of the region (prod).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param skuName string

@description('Days deleted blobs and containers stay recoverable.')
@minValue(1)
@maxValue(365)
param softDeleteDays int

@description('Anonymous read of blobs (not listing) in the media container. Off unless media is served from storage on purpose.')
param mediaPublicRead bool

@description('Container the Flex Consumption platform reads the app package from.')
param deploymentContainerName string

@description('Container for media attachments.')
param mediaContainerName string

@description('Other containers of the app, never public.')
param privateContainerNames string[]

@description('Physical table names.')
param tableNames string[]

@description('Container of activity payloads too large for a queue message (core/Federation/PayloadStore.cs).')
param payloadsContainerName string

@description('Container of cached remote media (core/Media/RemoteMediaStore.cs).')
param remoteMediaContainerName string

@description('Days after which a cached remote file is deleted; the app fetches it again when asked.')
@minValue(1)
param remoteMediaRetentionDays int

@description('Days after which a link preview card\'s image (the cards/ prefix of the media container) is deleted; the app stops linking it a day before (Fedi__CardImageRetentionDays, core/Cards/CardImages.cs).')
@minValue(16)
param cardImageRetentionDays int

@description('Days after which a payload blob is deleted: longer than the two days of delivery retries (core/Federation/PayloadStore.cs, Retention).')
@minValue(3)
param payloadRetentionDays int

@description('Physical queue names, poison queues included.')
param queueNames string[]

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: mediaPublicRead
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
  }
}

// Payloads are named by hash and read only while a message naming them may still run; nothing else deletes them on Azure.
// Cached remote media is a copy the app fetches again when it is gone.
// Card images are shown only until a day before their retention (core/Cards/CardImages.cs); a refreshed card stores a new one.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-01-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-payloads'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${payloadsContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: payloadRetentionDays
                }
              }
            }
          }
        }
        {
          name: 'expire-remote-media'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${remoteMediaContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: remoteMediaRetentionDays
                }
              }
            }
          }
        }
        {
          name: 'expire-card-images'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${mediaContainerName}/cards/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterModificationGreaterThan: cardImageRetentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource mediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: mediaContainerName
  properties: {
    publicAccess: mediaPublicRead ? 'Blob' : 'None'
  }
}

resource privateContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = [
  for container in privateContainerNames: {
    parent: blobService
    name: container
    properties: {
      publicAccess: 'None'
    }
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for queue in queueNames: {
    parent: queueService
    name: queue
  }
]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
