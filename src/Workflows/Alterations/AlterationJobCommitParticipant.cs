using System.Text.Json;
using Exit.Workflows.Persistence;

using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Alterations;

/// <summary>
/// Marks an alteration job completed inside the instance's commit. Only a pending job moves: a job another worker already
/// finished is a lost race (<see cref="ConcurrencyConflictException"/>), and the instance change is rolled back with it.
/// </summary>
public sealed class AlterationJobCommitParticipant : IBatchedCommitParticipant
{
    /// <summary>A commit that completes an alteration job keeps the per-commit path; any other lets the others batch.</summary>
    public bool CanBatch(DatabaseProvider provider, IReadOnlyList<object> effects) => !effects.Any(e => e is AlterationJobCompleted);

    /// <summary>Nothing to add: <see cref="CanBatch"/> is true only when this participant has nothing to write.</summary>
    public void AddTo(CommitBatch batch, IReadOnlyList<object> effects)
    {
    }

    internal const string Sql =
        "UPDATE \"wf_alteration_jobs\" SET \"status\" = @status, \"log\" = @log, \"completed_at\" = @completed_at " +
        "WHERE \"id\" = @id AND \"status\" = @pending AND \"tenant_id\" = @tenant_id";

    public async Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken)
    {
        foreach (var done in effects.OfType<AlterationJobCompleted>())
        {
            await using var cmd = context.Connection.CreateCommand();
            cmd.Transaction = context.Transaction;
            cmd.CommandText = Sql;
            cmd.AddParameter("status", (int)AlterationJobStatus.Completed);
            cmd.AddParameter("log", JsonSerializer.Serialize(done.Log));
            cmd.AddParameter("completed_at", done.CompletedAt.UtcTicks);
            cmd.AddParameter("id", done.JobId);
            cmd.AddParameter("pending", (int)AlterationJobStatus.Pending);
            // The writer runs this in the instance's tenant: a job of another municipality is never touched.
            cmd.AddParameter("tenant_id", TenantScope.Required());
            if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                throw new ConcurrencyConflictException($"Alteration job '{done.JobId}' is no longer pending.");
        }
    }
}
