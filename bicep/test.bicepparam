// test: production-sized instances, still scales to zero, no custom domain. Replace the example values.
using 'main.bicep'

param environmentName = 'test'
param baseName = 'sfedi'

param instanceTitle = 'ServerlessFedi (test)'
param instanceDescription = 'Test instance. Posts here are not official communication.'
param contactEmail = 'social-ops@example.gov'
param languages = 'de,en'

param instanceMemoryMB = 2048
param maximumInstanceCount = 40
param alwaysReadyHttpInstances = 0

param storageSku = 'Standard_LRS'
param blobSoftDeleteDays = 7

param logRetentionDays = 30
param logDailyCapGb = 2
