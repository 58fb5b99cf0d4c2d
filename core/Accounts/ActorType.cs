namespace ServerlessFedi.Accounts;

/// <summary>ActivityStreams actor types a local account may have (Mastodon shows Service as a bot, Organization as a group of people).</summary>
public enum ActorType
{
    Person,
    Organization,
    Service,
}
