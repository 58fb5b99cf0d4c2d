namespace ServerlessFedi.Push;

/// <summary>From whom a subscription receives pushes (docs: methods/push, <c>data[policy]</c>).</summary>
public enum PushPolicy
{
    /// <summary>Anyone.</summary>
    All,

    /// <summary>Accounts the user follows.</summary>
    Followed,

    /// <summary>Accounts that follow the user.</summary>
    Follower,

    /// <summary>Nobody.</summary>
    None,
}
