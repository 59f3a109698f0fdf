using System.Data.Common;
using Exit.Workflows.Tenancy;

namespace Exit.Workflows.Persistence.EntityFramework;

// PostgreSQL: participants that add their statements to the writer's batch (IBatchedCommitParticipant).
internal sealed partial class InstanceCommitWriter
{
    /// <summary>True when every participant can add its writes for this commit's effects to the writer's batch.</summary>
    private bool CanBatchParticipants(PendingCommit pending)
    {
        var effects = pending.Commit.Effects;
        using (TenantScope.Enter(pending.Commit.Instance.TenantId))
        {
            foreach (var participant in _participants)
            {
                if (participant is not IBatchedCommitParticipant batched || !batched.CanBatch(_options.Provider, effects)) return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Adds commit <paramref name="index"/>'s participant statements behind its own, in its instance's tenant; null when it
    /// has no participant work or its participants run after the round (the last commit of a round may be such a one).
    /// </summary>
    private CommitBatch? AddBatchedParticipants(DbBatch batch, int index, IReadOnlyList<PendingCommit> commits)
    {
        var pending = commits[index];
        if (!HasParticipantWork(pending) || !CanBatchParticipants(pending)) return null;
        var commitBatch = new CommitBatch(batch, _options.Provider);
        using (TenantScope.Enter(pending.Commit.Instance.TenantId))
        {
            foreach (var participant in _participants)
                ((IBatchedCommitParticipant)participant).AddTo(commitBatch, pending.Commit.Effects);
        }
        return commitBatch;
    }
}
