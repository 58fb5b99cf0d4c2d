// Log Analytics and workspace-based Application Insights. Entra ID only (local auth off), client IPs masked.

@description('Log Analytics workspace name.')
param workspaceName string

@description('Application Insights component name.')
param appInsightsName string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Days logs are kept (workspace-based Application Insights keeps its data as long as the workspace).')
@minValue(30)
@maxValue(730)
param retentionInDays int

@description('Daily ingestion cap in GB; -1 for none. Telemetry above the cap is dropped until the next day (UTC).')
@minValue(-1)
param dailyCapGb int

@description('E-mail address mailed when an alert fires; empty for none (alerts still show in Azure Monitor).')
param alertEmail string

@description('Action group name (created only with an alertEmail).')
param actionGroupName string

@description('Name of the alert rule on poisoned work.')
param poisonAlertName string

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    workspaceCapping: {
      dailyQuotaGb: dailyCapGb
    }
    features: {
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Only Entra ID tokens may send telemetry (the app's identity has Monitoring Metrics Publisher).
    DisableLocalAuth: true
    // Client IP addresses are dropped at ingestion: no citizen can be identified from telemetry.
    DisableIpMasking: false
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'fedi-ops'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Work that failed for good lands in a <queue>-poison queue. Storage's queue metrics count messages per account, not per
// queue, so they cannot tell poisoned work from a busy queue; the app's PoisonQueueWatch timer (core/Federation/PoisonWatch.cs)
// logs a warning every 5 minutes while a poison queue holds messages, and the Functions host logs each message it moves there.
// A log search alert over the last 30 minutes sees either, even if sampling drops some of the repeated warnings.
resource poisonAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: poisonAlertName
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'ServerlessFedi: work moved to a poison queue'
    description: 'A queue message failed for good (inbox, fan-out, delivery, account deletion or media processing). Run admin queues counts and admin queues poison, fix the cause, then admin queues replay. See docs/DEPLOY.md, Alerts.'
    severity: 2
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT30M'
    criteria: {
      allOf: [
        {
          query: 'traces | where message startswith "Poison queues hold" or message has "Moving message to queue"'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: empty(alertEmail) ? [] : [
        operators.id
      ]
    }
  }
}

output appInsightsName string = appInsights.name
output workspaceName string = workspace.name
