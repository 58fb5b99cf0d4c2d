// dev: smallest instances, scale to zero, short retention, no custom domain. Replace the example values.
using 'main.bicep'

param environmentName = 'dev'
param baseName = 'sfedi'

param instanceTitle = 'ServerlessFedi (dev)'
param instanceDescription = 'Development instance. Posts here are not official communication.'
param contactEmail = 'social-ops@example.gov'
param languages = 'de,en'

param instanceMemoryMB = 512
param maximumInstanceCount = 40
param alwaysReadyHttpInstances = 0

param storageSku = 'Standard_LRS'
param blobSoftDeleteDays = 7

param logRetentionDays = 30
param logDailyCapGb = 1
