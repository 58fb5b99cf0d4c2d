// prod: custom domain (through Front Door), one always-ready HTTP instance, zone-redundant storage, longer retention.
// Replace the example values (domain, addresses, links, operator group) before the first deployment.
using 'main.bicep'

param environmentName = 'prod'
param baseName = 'sfedi'

param customDomain = 'social.example.gov'
param accountDomain = ''
param instanceTitle = 'Social Media of the State of Example'
param instanceDescription = 'Official accounts of the ministries and agencies of the State of Example.'
param contactEmail = 'social-ops@example.gov'
param languages = 'de,en'
param imprintUrl = 'https://www.example.gov/imprint'
param privacyPolicyUrl = 'https://www.example.gov/privacy'

param instanceMemoryMB = 2048
param maximumInstanceCount = 100
param alwaysReadyHttpInstances = 1

param storageSku = 'Standard_ZRS'
param blobSoftDeleteDays = 30
param mediaDelivery = 'app'

param logRetentionDays = 90
param logDailyCapGb = 5
param alertEmail = 'social-ops@example.gov'

// Object id of the Entra ID group whose members run the admin CLI (az ad group show -g <name> --query id -o tsv).
param operatorPrincipalId = ''
param operatorPrincipalType = 'Group'
