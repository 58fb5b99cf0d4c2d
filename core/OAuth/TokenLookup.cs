using ServerlessFedi.Accounts;

namespace ServerlessFedi.OAuth;

/// <summary>
/// What <see cref="AccessTokenStore.FindWithAccountAsync"/> read: the grant (null when the token is unknown, revoked or
/// expired) and, when <paramref name="AccountRead"/>, the account row read with it as storage holds it now (null when
/// there is none; possibly deleted: check <see cref="LocalAccount.DeletedAt"/>).
/// </summary>
public sealed record TokenLookup(AccessToken? Token, LocalAccount? Account, bool AccountRead);
