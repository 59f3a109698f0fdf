using Exit.Activities.Cti.Domain;
using Exit.Activities.Cti.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Exit.Activities.Cti.Application;

/// <summary>
/// The target-group descriptors of a course's citizen (<see cref="TargetGroupDescriptors"/>): read and replaced as a
/// whole. They serve aggregate reports only; <see cref="CountsAsync"/> is that report. Logs carry ids only.
/// </summary>
public sealed class TargetGroupService(CtiDbContextFactory contexts, ILogger<TargetGroupService> logger)
{
    public async Task<TargetGroupDescriptors?> GetAsync(Guid courseId, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var citizen = await CitizenOfAsync(db, courseId, ct);
        return citizen is null ? null : From(citizen);
    }

    public async Task<TargetGroupDescriptors> SaveAsync(Guid courseId, TargetGroupDescriptors descriptors, CancellationToken ct)
    {
        await using var db = contexts.Create();
        var citizen = await CitizenOfAsync(db, courseId, ct, tracking: true) ?? throw new CtiNotFoundException("Course", courseId.ToString());
        citizen.AgeBand = descriptors.AgeBand?.ToString();
        citizen.Gender = descriptors.Gender?.ToString();
        citizen.ProstitutionForm = descriptors.ProstitutionForm?.ToString();
        citizen.MainIncome = descriptors.MainIncome?.ToString();
        citizen.Debt = descriptors.Debt?.ToString();
        citizen.MentalHealth = descriptors.MentalHealth?.ToString();
        citizen.SubstanceUse = descriptors.SubstanceUse?.ToString();
        citizen.InterpreterNeeded = descriptors.InterpreterNeeded?.ToString();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Target-group descriptors of citizen {CitizenId} saved (course {CourseId})", citizen.Id, courseId);
        return From(citizen);
    }

    /// <summary>Citizens with a course, counted per descriptor and value ("" = not recorded).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>> CountsAsync(CancellationToken ct)
    {
        await using var db = contexts.Create();
        var withCourse = db.Courses.AsNoTracking().Select(c => c.CitizenId).Distinct();
        var rows = await db.Citizens.AsNoTracking().Where(c => withCourse.Contains(c.Id))
            .Select(c => new[] { c.AgeBand, c.Gender, c.ProstitutionForm, c.MainIncome, c.Debt, c.MentalHealth, c.SubstanceUse, c.InterpreterNeeded })
            .ToListAsync(ct);
        string[] names = ["ageBand", "gender", "prostitutionForm", "mainIncome", "debt", "mentalHealth", "substanceUse", "interpreterNeeded"];
        return names.Select((name, i) => (name, counts: (IReadOnlyDictionary<string, int>)rows.GroupBy(r => r[i] ?? "").ToDictionary(g => g.Key, g => g.Count())))
            .ToDictionary(p => p.name, p => p.counts);
    }

    private static async Task<CitizenRecord?> CitizenOfAsync(CtiDbContext db, Guid courseId, CancellationToken ct, bool tracking = false)
    {
        var id = courseId.ToString();
        var citizenId = await db.Courses.AsNoTracking().Where(c => c.Id == id).Select(c => c.CitizenId).FirstOrDefaultAsync(ct);
        if (citizenId is null) return null;
        var citizens = tracking ? db.Citizens.AsTracking() : db.Citizens.AsNoTracking();
        return await citizens.FirstOrDefaultAsync(c => c.Id == citizenId, ct);
    }

    private static TargetGroupDescriptors From(CitizenRecord c) => new(
        Parse<AgeBand>(c.AgeBand), Parse<Gender>(c.Gender), Parse<ProstitutionForm>(c.ProstitutionForm), Parse<MainIncome>(c.MainIncome),
        Parse<YesNo>(c.Debt), Parse<YesNo>(c.MentalHealth), Parse<YesNo>(c.SubstanceUse), Parse<YesNo>(c.InterpreterNeeded));

    private static T? Parse<T>(string? value) where T : struct, Enum => Enum.TryParse<T>(value, out var v) ? v : null;
}
