namespace Exit.Host.Infrastructure.Configuration;

/// <summary>
/// The service refuses to start because of how it was configured or what it found (demo mode on real data, a
/// missing key). Program prints the message and exits with a non-zero code instead of a stack trace.
/// </summary>
public sealed class StartupRefusedException(string message) : Exception(message);
