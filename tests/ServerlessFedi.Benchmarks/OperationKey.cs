namespace ServerlessFedi.Benchmarks;

/// <summary>One row of the transaction count: which phase sent which operation to which table, queue or container.</summary>
public readonly record struct OperationKey(string Phase, string Service, string Operation, string Resource);
