using System.Text.Json.Serialization;

namespace ServerlessFedi.MastodonApi.Entities;

/// <summary>
/// <c>meta[original]</c>, whose fields depend on the kind of file: written as the actual type, with no type field
/// (the entities are only ever written).
/// </summary>
[JsonDerivedType(typeof(MediaSize))]
[JsonDerivedType(typeof(MediaClipMeta))]
public abstract record MediaFileMeta;
