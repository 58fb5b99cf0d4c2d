namespace ServerlessFedi.Federation;

/// <summary>
/// What a delivery of a local status's activity is about, so that every attempt can check it is still current:
/// the status, the activity's type (<c>Create</c>, <c>Update</c> or <c>Delete</c>) and the version of the status it
/// carries (its <c>EditedAt</c>, else its <c>CreatedAt</c>). See <see cref="DeliveryRecheck"/>.
/// </summary>
public sealed record DeliverySubject(string StatusId, string Type, DateTimeOffset Version)
{
    public const string Create = "Create";

    public const string Update = "Update";

    public const string Delete = "Delete";
}
