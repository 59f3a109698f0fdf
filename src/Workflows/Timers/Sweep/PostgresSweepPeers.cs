using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Exit.Workflows.Timers.Sweep;

/// <summary>
/// <see cref="ISweepPeers"/> on PostgreSQL: <c>NOTIFY exit_timer_sweep</c> with this host's id; the other hosts hear it
/// through their <see cref="PostgresSweepListener"/>.
/// </summary>
public sealed partial class PostgresSweepPeers(string connectionString, ILogger<PostgresSweepPeers> logger) : ISweepPeers
{
    internal const string Channel = "exit_timer_sweep";

    /// <summary>This host's id in invitations, so it does not answer its own.</summary>
    internal string Self { get; } = Guid.NewGuid().ToString("N");

    internal string ConnectionString => connectionString;

    public async Task InviteAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT pg_notify(@channel, @self)", connection);
        cmd.Parameters.AddWithValue("channel", Channel);
        cmd.Parameters.AddWithValue("self", Self);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        LogInvited();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Invited the other hosts to share a due-timer sweep")]
    private partial void LogInvited();
}

/// <summary>
/// A <c>LISTEN exit_timer_sweep</c> on one connection of its own that asks this host's <see cref="DueTimerSweeper"/> to
/// sweep when another host invites (<see cref="PostgresSweepPeers"/>). A lost connection is opened again after a pause;
/// meanwhile only invitations are missed, never timers (the wake-up still fires on some host).
/// </summary>
public sealed partial class PostgresSweepListener(PostgresSweepPeers peers, DueTimerSweeper sweeper, ILogger<PostgresSweepListener> logger) : BackgroundService
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(peers.ConnectionString)
                {
                    // A connection of its own that waits for notifications; keepalive notices a dead server.
                    Pooling = false,
                    KeepAlive = 30,
                }.ConnectionString);
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload == peers.Self) return;
                    LogInvitedBy(e.PID);
                    sweeper.RequestSweep();
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresSweepPeers.Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                LogListening();
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(ex);
                try
                {
                    await Task.Delay(Reconnect, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening for other hosts' invitations to share due-timer sweeps")]
    private partial void LogListening();

    [LoggerMessage(Level = LogLevel.Information, Message = "Invited to share a due-timer sweep (database backend {Backend})")]
    private partial void LogInvitedBy(int backend);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other hosts' sweep invitations failed; trying again shortly")]
    private partial void LogListenFailed(Exception ex);
}
