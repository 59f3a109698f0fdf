using System.Data.Common;
using Exit.Workflows.Persistence;

namespace Exit.Host.Infrastructure.Audit;

/// <summary>
/// An audit entry that goes into a workflow commit's transaction instead of a transaction of its own: passed as an
/// effect with a resume (the task API's completion), it is stored if and only if the change it records is.
/// <see cref="Written"/> tells the caller whether that happened; when the change committed without it (no
/// participant ran), the caller writes the entry through <see cref="IAuditLog"/> as before.
/// </summary>
public sealed class AuditInCommit(AuditEntry entry)
{
    public AuditEntry Entry { get; } = entry;

    /// <summary>Set by <see cref="AuditCommitParticipant"/> once the entry is inserted in the commit's transaction.</summary>
    public bool Written { get; internal set; }
}

/// <summary>
/// Appends <see cref="AuditInCommit"/> effects to the audit hash chain inside the runtime's commit. The audit table is
/// in the same database as the instances (the identity store shares the runtime's connection settings), so the entry
/// shares the instance commit's transaction and fsync. The entry goes into this process's lane (<see cref="AuditLane"/>,
/// drawn at start-up) and each lane stays one chain: on SQLite the commit's transaction holds the database's writer lock,
/// which <see cref="AuditChain.AppendAsync"/> also takes; on PostgreSQL the same advisory lock (the entry's municipality's
/// and lane's) is taken in the transaction before the last hash is read. On PostgreSQL the lock and a one-statement
/// insert (<see cref="AuditChainPostgres"/>) join the writer's batch, so the entry costs no round trip of its own.
/// </summary>
public sealed class AuditCommitParticipant(AuditLane lane) : IBatchedCommitParticipant
{
    public bool CanBatch(DatabaseProvider provider, IReadOnlyList<object> effects) =>
        provider == DatabaseProvider.Postgres || !effects.Any(e => e is AuditInCommit);

    public void AddTo(CommitBatch batch, IReadOnlyList<object> effects)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var effect in effects)
        {
            if (effect is not AuditInCommit audit) continue;
            if (audit.Entry.TenantId.Length == 0) audit.Entry.TenantId = Exit.Workflows.Tenancy.TenantScope.Required();
            audit.Entry.Lane = lane.Value;
            // The lock per entry, not once per batch: a rollback to an earlier commit's savepoint would release it.
            batch.Add(AuditChainPostgres.Lock, audit.Entry, AuditChainPostgres.BindLock);
            batch.Add(AuditChainPostgres.Insert, audit.Entry, AuditChainPostgres.BindInsert);
            batch.OnApplied(() => audit.Written = true);
        }
    }

    public async Task ApplyAsync(CommitContext context, IReadOnlyList<object> effects, CancellationToken cancellationToken)
    {
        foreach (var effect in effects)
        {
            if (effect is not AuditInCommit audit) continue;
            audit.Entry.Lane = lane.Value;
            await AuditChain.AppendInTransactionAsync(context.Connection, context.Transaction, context.Provider,
                audit.Entry, cancellationToken).ConfigureAwait(false);
            audit.Written = true;
        }
    }
}
