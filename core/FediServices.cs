using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessFedi.Accounts;
using ServerlessFedi.ActivityPub;
using ServerlessFedi.Configuration;
using ServerlessFedi.Federation;
using ServerlessFedi.Federation.Inbox;
using ServerlessFedi.NodeInfo;
using ServerlessFedi.Notifications;
using ServerlessFedi.OAuth;
using ServerlessFedi.Remote;
using ServerlessFedi.Signatures;
using ServerlessFedi.Storage;
using ServerlessFedi.Web;
using ServerlessFedi.WebFinger;

namespace ServerlessFedi;

/// <summary>Registers the product's services; shared by the Functions worker, the standalone host, the admin CLI and tests.</summary>
public static class FediServices
{
    /// <summary>Registers everything; validates <c>Fedi</c> options and storage settings eagerly but makes no network call.</summary>
    public static IServiceCollection AddFedi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Every configuration problem at once, before anything runs; none of this touches the network.
        var options = ReadOptions(configuration);
        var errors = FediOptionsValidator.Validate(options).ToList();
        FederationQueues? queues = null;
        try
        {
            queues = FederationQueues.FromConfiguration(configuration);
        }
        catch (FediConfigurationException ex)
        {
            errors.AddRange(ex.Errors);
        }

        StorageAccount? storage = null;
        try
        {
            storage = StorageAccount.FromConfiguration(configuration);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        if (errors.Count > 0)
        {
            throw new FediConfigurationException(errors);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddSingleton(queues!);
        services.AddSingleton(options);
        services.AddSingleton(new InstanceUrls(options));
        services.AddSingleton(storage!);
        services.AddSingleton<FediTables>();
        services.AddSingleton<SnowflakeIds>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<AccountProfileStore>();
        services.AddSingleton<AccountListingStore>();
        services.AddSingleton<InstanceActorStore>();
        services.AddSingleton<AccessTokenStore>();
        services.AddSingleton<ActorMapper>();
        services.AddSingleton<ActorHandler>();
        services.AddSingleton<WebFingerHandler>();
        services.AddSingleton<HostMetaHandler>();
        services.AddSingleton<NodeInfoHandler>();
        services.AddSingleton<PostQuotes>();
        services.AddSingleton<WebPages>();
        services.AddSingleton<ServerlessFedi.Localization.PageLanguages>();
        services.AddSingleton<PageRenderer>();
        services.AddSingleton<WebFeeds>();
        services.AddSingleton<CollectionHandler>();
        services.AddSingleton<ActivityBuilder>();

        // Statuses and the client API
        services.AddSingleton<ServerlessFedi.Content.StatusFormatter>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusStore>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusService>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusComposer>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusPublisher>();
        services.AddSingleton<NoteMapper>();
        services.AddSingleton<StatusObjectHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.AccountMapper>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.MediaAttachmentMapper>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.StatusMapper>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.TagMapper>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.InstanceMapper>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ApiEndpoint>();
        services.AddSingleton<ServerlessFedi.MastodonApi.AccountSearch>();
        services.AddSingleton<ServerlessFedi.MastodonApi.RelationshipsApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.FilterParameters>();
        services.AddSingleton<ServerlessFedi.Statuses.IdempotencyStore>();
        services.AddSingleton<ServerlessFedi.Statuses.ScheduledStatusStore>();
        services.AddSingleton<ServerlessFedi.Statuses.ScheduledStatusService>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.ScheduledStatusMapper>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ScheduledStatusApiHandler>();
        services.AddSingleton<ServerlessFedi.Polls.PollStore>();
        services.AddSingleton<ServerlessFedi.Polls.PollVoting>();
        services.AddSingleton<ServerlessFedi.Polls.PollService>();
        services.AddSingleton<ServerlessFedi.Polls.PollClosing>();
        services.AddSingleton<ServerlessFedi.Federation.Inbox.PollVoteReader>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.PollMapper>();
        services.AddSingleton<ServerlessFedi.MastodonApi.StatusLookups>();
        services.AddSingleton<ServerlessFedi.MastodonApi.PollApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.NotificationPolicyApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ApiAuth>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ApiRateLimiter>();
        services.AddSingleton<ServerlessFedi.Http.ClientAddress>();
        services.AddSingleton<ServerlessFedi.MastodonApi.StatusApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.StatusRenderer>();
        services.AddSingleton<ServerlessFedi.MastodonApi.AccountsApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.AccountPresenter>();
        services.AddSingleton<ServerlessFedi.MastodonApi.TimelineApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.NotificationApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.GroupedNotificationApiHandler>();
        services.AddSingleton<ServerlessFedi.Accounts.FeaturedTagStore>();
        services.AddSingleton<ServerlessFedi.MastodonApi.FeaturedTagsApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.StatusActionsHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.SearchApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.DomainBlocksApiHandler>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusIdempotency>();
        services.AddSingleton<ServerlessFedi.MastodonApi.InstanceApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.InstanceStatistics>();
        services.AddSingleton<ServerlessFedi.MastodonApi.InstanceDetailsApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.MarkerStore>();
        services.AddSingleton<ServerlessFedi.MastodonApi.MiscApiHandler>();
        services.AddSingleton<ServerlessFedi.Filters.FilterStore>();
        services.AddSingleton<ServerlessFedi.MastodonApi.FiltersApiHandler>();
        services.AddSingleton<ServerlessFedi.Lists.ListStore>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ListsApiHandler>();

        // Media
        services.AddSingleton<ServerlessFedi.Media.MediaStore>();
        services.AddSingleton<ServerlessFedi.Media.MediaService>();
        services.AddSingleton<ServerlessFedi.Media.MediaCleanUp>();
        services.AddSingleton<ServerlessFedi.Media.QueuedMediaProcessor>();
        services.AddSingleton<ServerlessFedi.Media.MediaFileHandler>();
        services.AddSingleton<ServerlessFedi.Cards.CardStore>();
        services.AddSingleton<ServerlessFedi.Cards.CardFetcher>();
        services.AddSingleton<ServerlessFedi.Cards.CardImages>();
        services.AddSingleton<ServerlessFedi.Cards.CardCreators>();
        services.AddSingleton<ServerlessFedi.Cards.CardFetchBudget>();
        services.AddSingleton<ServerlessFedi.Cards.CardRequests>();
        services.AddSingleton<ServerlessFedi.Cards.LinkCards>();
        services.AddSingleton<ServerlessFedi.Media.RemoteMediaHandler>();
        services.AddSingleton<ServerlessFedi.Media.RemoteMediaStore>();
        services.AddSingleton<ServerlessFedi.MastodonApi.MediaApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ExportApiHandler>();
        services.AddSingleton<ProfileService>();
        services.AddSingleton<ServerlessFedi.MastodonApi.CredentialsApiHandler>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusEditStore>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusEditService>();
        services.AddSingleton<ServerlessFedi.MastodonApi.StatusEditHandler>();

        // Web Push
        services.AddSingleton<ServerlessFedi.Push.VapidKeyStore>();
        services.AddSingleton<ServerlessFedi.Push.PushSubscriptionStore>();
        services.AddSingleton<ServerlessFedi.Push.PushSubscriptionService>();
        services.AddSingleton<ServerlessFedi.Push.PushTrigger>();
        services.AddSingleton<ServerlessFedi.Push.PushContent>();
        services.AddSingleton<ServerlessFedi.Push.PushSender>();
        services.AddSingleton<ServerlessFedi.Push.PushDelivery>();
        services.AddSingleton<ServerlessFedi.MastodonApi.PushSubscriptionApiHandler>();

        // OAuth
        services.AddSingleton<OAuthApplicationStore>();
        services.AddSingleton<AuthorizationCodeStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<OAuthPages>();
        services.AddSingleton<AuthorizationRequestValidator>();
        services.AddSingleton<TwoFactorStore>();
        services.AddSingleton<TotpSecretProtector>();
        services.AddSingleton<TwoFactorAuthenticator>();
        services.AddSingleton<PendingLoginStore>();
        services.AddSingleton<AuthorizeHandler>();
        services.AddSingleton<ClientAuthentication>();
        services.AddSingleton<TokenHandler>();
        services.AddSingleton<RevokeHandler>();
        services.AddSingleton<AuthorizationServerMetadata>();
        services.AddSingleton<ServerlessFedi.MastodonApi.AppsApiHandler>();

        // Federation
        services.AddSingleton<RemoteClient>();
        services.AddSingleton<RemoteActorStore>();
        services.AddSingleton<InstanceActorSigner>();
        services.AddSingleton<RemoteActorResolver>();
        services.AddSingleton<WebFingerClient>();
        services.AddSingleton<AccountResolver>();
        services.AddSingleton<IPublicKeyResolver>(sp => sp.GetRequiredService<RemoteActorResolver>());
        services.AddSingleton<HttpSignatureVerifier>();
        services.AddSingleton<FollowerStore>();
        services.AddSingleton<FollowingStore>();
        services.AddSingleton<DomainBlockStore>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<RelationshipService>();
        services.AddSingleton<ServerlessFedi.Statuses.InteractionStore>();
        services.AddSingleton<ServerlessFedi.Statuses.ConversationMuteStore>();
        services.AddSingleton<ServerlessFedi.Statuses.ConversationMutes>();
        services.AddSingleton<ServerlessFedi.Statuses.FollowedTagStore>();
        services.AddSingleton<ServerlessFedi.Statuses.ConversationStore>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ConversationsApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.TagsApiHandler>();
        services.AddSingleton<ServerlessFedi.Export.AccountArchive>();
        services.AddSingleton<ServerlessFedi.Export.RelationshipExport>();
        services.AddSingleton<ServerlessFedi.Statuses.TimelineStore>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<DeliveryHealth>();
        services.AddSingleton<PayloadStore>();
        services.AddSingleton<WorkQueue>();
        services.AddSingleton<ActivityPublisher>();
        services.AddSingleton<ActivitySigner>();
        services.AddSingleton<ObjectProofVerifier>();
        services.AddSingleton<InboxReceiver>();
        services.AddSingleton<InboxProcessor>();
        services.AddSingleton<WeeklyTables>();
        services.AddSingleton<InboxSeenWeeklyStore>();
        services.AddSingleton<QueueCounts>();
        services.AddSingleton<PoisonWatch>();
        services.AddSingleton<AccountDeletion>();
        services.AddSingleton<AccountContentRemoval>();
        services.AddSingleton<AccountFollowRemoval>();
        services.AddSingleton<DeletionDeliveries>();
        services.AddSingleton<DeletionInboxStore>();
        services.AddSingleton<RemoteObjectFetcher>();
        services.AddSingleton<AnnounceProcessor>();
        services.AddSingleton<FanoutProcessor>();
        services.AddSingleton<DeliveryProcessor>();
        services.AddSingleton<DeliverySigners>();
        services.AddSingleton<DeliveryRecheck>();
        services.AddSingleton<DeliveredLedger>();

        // The middle: who sees a status, where it shows up, who is notified, interactions, remote statuses, inbound activities
        services.AddSingleton<AccountHiding>();
        services.AddSingleton<Notifier>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusVisibility>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusSurface>();
        services.AddSingleton<ServerlessFedi.Statuses.StatusInteractions>();
        services.AddSingleton<ServerlessFedi.Statuses.InteractionEffects>();
        services.AddSingleton<ServerlessFedi.Statuses.RemoteStatusIngest>();
        services.AddSingleton<ServerlessFedi.Statuses.RemoteBoosts>();
        services.AddSingleton<ServerlessFedi.Statuses.PostGuardProcessor>();
        services.AddSingleton<InboundNoteReader>();
        services.AddSingleton<IActivityHandler, FollowHandler>();
        services.AddSingleton<IActivityHandler, UndoHandler>();
        services.AddSingleton<IActivityHandler, DeleteHandler>();
        services.AddSingleton<IActivityHandler, UpdateHandler>();
        services.AddSingleton<IActivityHandler, AcceptHandler>();
        services.AddSingleton<IActivityHandler, RejectHandler>();
        services.AddSingleton<IActivityHandler, CreateHandler>();
        services.AddSingleton<IActivityHandler, LikeHandler>();
        services.AddSingleton<IActivityHandler, AnnounceHandler>();
        services.AddSingleton<IActivityHandler, BlockHandler>();
        services.AddSingleton<IActivityHandler, FlagHandler>();
        services.AddSingleton<IActivityHandler, MoveHandler>();
        services.AddSingleton<IActivityHandler, QuoteRequestHandler>();

        // Quote posts (FEP-044f): authorizations, their approval and revocation, the vocabulary, the API
        services.AddSingleton<ServerlessFedi.Quotes.QuoteStore>();
        services.AddSingleton<QuoteVerifier>();
        services.AddSingleton<ServerlessFedi.Quotes.QuoteApprovals>();
        services.AddSingleton<ServerlessFedi.Quotes.QuoteRevocation>();
        services.AddSingleton<ServerlessFedi.Quotes.QuoteAnswers>();
        services.AddSingleton<ServerlessFedi.Quotes.RemoteQuoteRevocation>();
        services.AddSingleton<QuoteActivities>();
        services.AddSingleton<QuoteAuthorizationHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.QuotesApiHandler>();
        services.AddSingleton<ServerlessFedi.Quotes.QuotePermissions>();

        // Migration: aliases, Move in and out, Mastodon CSV imports
        services.AddSingleton<ServerlessFedi.Migration.MoveStore>();
        services.AddSingleton<ServerlessFedi.Migration.FollowerMigration>();
        services.AddSingleton<ServerlessFedi.Migration.MigrationTargets>();
        services.AddSingleton<ServerlessFedi.Migration.AccountMigration>();
        services.AddSingleton<ServerlessFedi.Migration.CsvImport>();

        // The operator's moderation: domain blocks, account actions (read by the policy everywhere, cached per process)
        services.AddSingleton<ServerlessFedi.Moderation.ModerationStore>();
        services.AddSingleton<ServerlessFedi.Moderation.ModerationPolicy>();
        services.AddSingleton<IRemoteHostPolicy>(sp => sp.GetRequiredService<ServerlessFedi.Moderation.ModerationPolicy>());
        services.AddSingleton<ServerlessFedi.Moderation.ModerationService>();
        services.AddSingleton<ServerlessFedi.Moderation.ReportFiling>();
        services.AddSingleton<ServerlessFedi.MastodonApi.ReportsApiHandler>();
        services.AddSingleton<ServerlessFedi.MastodonApi.Mapping.ReportMapper>();
        services.AddSingleton<ServerlessFedi.Moderation.FollowSeverance>();

        // Team access of agency accounts: staff logins and the audit trail (issue 18)
        services.AddSingleton<ServerlessFedi.Team.StaffStore>();
        services.AddSingleton<ServerlessFedi.Team.AuditStore>();
        services.AddSingleton<ServerlessFedi.Team.AuditTrail>();
        services.AddSingleton<ServerlessFedi.Team.TeamService>();
        services.AddSingleton<ServerlessFedi.Team.AuditExport>();
        services.AddSingleton<ServerlessFedi.MastodonApi.TeamApiHandler>();
        services.AddSingleton<LoginDirectory>();
        return services;
    }

    public static FediOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new FediOptions();
        configuration.GetSection(FediOptions.SectionName).Bind(options);
        return options;
    }
}
