using Exit.Activities.Cti.Persistence;
using Exit.Activities.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Exit.Activities.Cti.Privacy;

/// <summary>
/// The CTI tables: the courses in scope (with their focus areas, activity plan, network and pauses, all in the course
/// document), their evaluations, every revision of their logged contacts and the enquiries that led to them; the
/// citizen row (alias, protected CPR, target-group descriptors) when the whole citizen goes.
/// </summary>
public sealed class CtiCitizenDataEraser(CtiDbContextFactory contexts) : ICitizenDataEraser
{
    public string Module => "cti";

    public async Task<int> EraseAsync(CitizenDataScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var courses = scope.CourseIds;
        await using var db = contexts.Create();
        await SecureDelete.EnableAsync(db, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var removed = await db.Evaluations.Where(e => courses.Contains(e.CourseId)).ExecuteDeleteAsync(ct);
        removed += await db.Contacts.Where(c => courses.Contains(c.CourseId)).ExecuteDeleteAsync(ct);
        removed += await db.Enquiries.Where(e => e.CourseId != null && courses.Contains(e.CourseId)).ExecuteDeleteAsync(ct);
        removed += await db.Courses.Where(c => courses.Contains(c.Id)).ExecuteDeleteAsync(ct);
        if (scope.WholeCitizen) removed += await db.Citizens.Where(c => c.Id == scope.CitizenId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return removed;
    }
}
