namespace Exit.Workflows.Persistence;

/// <summary>Someone else changed the same instance (or record) first; nothing of this commit was written.</summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);
