// Azure Front Door (Standard) in front of the instance and/or the media container.
// - Custom domain: Flex Consumption apps cannot hold TLS certificates for custom domains (no App Service managed or
//   uploaded certificates), so the domain is terminated here with a Front Door managed certificate. DNS records are the
//   operator's step (docs/DEPLOY.md): TXT _dnsauth.<domain> = validation token (output), CNAME <domain> = endpoint host.
// - Media: a second endpoint serves the media container through the CDN cache (the container must allow anonymous read).
// The app builds every URL from Fedi__BaseUrl, so the Host header Front Door forwards to the origin does not matter.

@description('Front Door profile name.')
param profileName string

@description('Tags for every resource.')
param tags object

@description('Default host name of the function app (origin of the instance).')
param appHostName string

@description('Custom domain of the instance, e.g. social.example.gov; empty for no instance endpoint.')
param customDomain string

@description('Blob host name of the storage account (origin of media); empty for no media endpoint.')
param mediaHostName string

@description('Media container name (origin path of the media endpoint).')
param mediaContainerName string

var serveInstance = !empty(customDomain)
var serveMedia = !empty(mediaHostName)

resource profile 'Microsoft.Cdn/profiles@2025-06-01' = {
  name: profileName
  location: 'global'
  tags: tags
  sku: {
    name: 'Standard_AzureFrontDoor'
  }
  properties: {
    originResponseTimeoutSeconds: 60
  }
}

// ---- the instance (custom domain) ----

resource appEndpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-06-01' = if (serveInstance) {
  parent: profile
  name: 'app-${uniqueString(profile.id)}'
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

// One origin, so no health probes: they would cost a function execution per probe from every Front Door site.
resource appOriginGroup 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = if (serveInstance) {
  parent: profile
  name: 'app'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource appOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = if (serveInstance) {
  parent: appOriginGroup
  name: 'functionapp'
  properties: {
    hostName: appHostName
    originHostHeader: appHostName
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

resource domain 'Microsoft.Cdn/profiles/customDomains@2025-06-01' = if (serveInstance) {
  parent: profile
  name: replace(customDomain, '.', '-')
  properties: {
    hostName: customDomain
    tlsSettings: {
      certificateType: 'ManagedCertificate'
      minimumTlsVersion: 'TLS12'
    }
  }
}

// Nothing is cached: API, ActivityPub and pages are dynamic and vary by Accept.
resource appRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = if (serveInstance) {
  parent: appEndpoint
  name: 'app'
  dependsOn: [
    appOrigin
  ]
  properties: {
    customDomains: [
      {
        id: domain.id
      }
    ]
    originGroup: {
      id: appOriginGroup.id
    }
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    httpsRedirect: 'Enabled'
    linkToDefaultDomain: 'Disabled'
    enabledState: 'Enabled'
  }
}

// ---- media ----

resource mediaEndpoint 'Microsoft.Cdn/profiles/afdEndpoints@2025-06-01' = if (serveMedia) {
  parent: profile
  name: 'media-${uniqueString(profile.id)}'
  location: 'global'
  tags: tags
  properties: {
    enabledState: 'Enabled'
  }
}

resource mediaOriginGroup 'Microsoft.Cdn/profiles/originGroups@2025-06-01' = if (serveMedia) {
  parent: profile
  name: 'media'
  properties: {
    loadBalancingSettings: {
      sampleSize: 4
      successfulSamplesRequired: 3
      additionalLatencyInMilliseconds: 50
    }
    sessionAffinityState: 'Disabled'
  }
}

resource mediaOrigin 'Microsoft.Cdn/profiles/originGroups/origins@2025-06-01' = if (serveMedia) {
  parent: mediaOriginGroup
  name: 'storage'
  properties: {
    hostName: mediaHostName
    originHostHeader: mediaHostName
    httpsPort: 443
    priority: 1
    weight: 1000
    enabledState: 'Enabled'
    enforceCertificateNameCheck: true
  }
}

// Media blobs are immutable (a new upload gets a new name), so the cache may keep them; query strings are ignored.
resource mediaRoute 'Microsoft.Cdn/profiles/afdEndpoints/routes@2025-06-01' = if (serveMedia) {
  parent: mediaEndpoint
  name: 'media'
  dependsOn: [
    mediaOrigin
  ]
  properties: {
    originGroup: {
      id: mediaOriginGroup.id
    }
    originPath: '/${mediaContainerName}'
    supportedProtocols: [
      'Http'
      'Https'
    ]
    patternsToMatch: [
      '/*'
    ]
    forwardingProtocol: 'HttpsOnly'
    httpsRedirect: 'Enabled'
    linkToDefaultDomain: 'Enabled'
    enabledState: 'Enabled'
    cacheConfiguration: {
      queryStringCachingBehavior: 'IgnoreQueryString'
    }
  }
}

output appEndpointHostName string = serveInstance ? appEndpoint!.properties.hostName : ''
output customDomainValidationToken string = serveInstance ? domain!.properties.validationProperties.validationToken : ''
output mediaEndpointHostName string = serveMedia ? mediaEndpoint!.properties.hostName : ''
@description('The profile\'s id, sent to the origin as X-Azure-FDID (empty when the profile does not serve the instance).')
output instanceFrontDoorId string = serveInstance ? profile.properties.frontDoorId : ''
