using Exit.Workflows.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Xunit;

namespace Exit.Workflows.Tests.Tenancy;

/// <summary>
/// The tenant filter and stamping on a real SQLite file, through pooled contexts as the stores use them. Runs alone:
/// it clears the process-wide fallback tenant the other runtime tests rely on.
/// </summary>
[Collection(TenantFallbackCollection.Name)]
public sealed class TenantFilterTests : IDisposable
{
    private readonly string? _fallback = TenantScope.Fallback;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"exit-tenancy-{Guid.NewGuid():N}.db");
    private readonly PooledDbContextFactory<NotesContext> _contexts;

    public TenantFilterTests()
    {
        var options = new DbContextOptionsBuilder<NotesContext>()
            .UseSqlite($"Data Source={_path};Pooling=False")
            .AddInterceptors(TenantStampingInterceptor.Instance)
            .Options;
        _contexts = new PooledDbContextFactory<NotesContext>(options);
        TenantScope.Fallback = null;
        using var db = _contexts.CreateDbContext();
        db.Database.EnsureCreated();
    }

    [Fact]
    public async Task EachTenantSeesOnlyItsOwnRowsAndNoScopeSeesNone()
    {
        await AddAsync("aarhus", "a1");
        await AddAsync("aarhus", "a2");
        await AddAsync("default", "d1");

        Assert.Equal(["a1", "a2"], await TextsAsync("aarhus"));
        Assert.Equal(["d1"], await TextsAsync("default"));
        await using var db = _contexts.CreateDbContext();
        Assert.Empty(await db.Notes.ToListAsync());
        Assert.Equal(3, await db.Notes.IgnoreQueryFilters().CountAsync());
    }

    [Fact]
    public async Task NewRowsAreStampedAndAnotherTenantsRowCannotBeChangedOrDeleted()
    {
        await AddAsync("aarhus", "a1");

        using (TenantScope.Enter("default"))
        {
            await using var db = _contexts.CreateDbContext();
            var foreign = await db.Notes.IgnoreQueryFilters().SingleAsync();
            foreign.Text = "changed";
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();
            db.Notes.Remove(foreign);
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();
            db.Notes.Add(new Note { Text = "smuggled", TenantId = "aarhus" });
            await Assert.ThrowsAsync<CrossTenantWriteException>(() => db.SaveChangesAsync());
        }

        await using (var db = _contexts.CreateDbContext())
        {
            db.Notes.Add(new Note { Text = "nobody's" });
            await Assert.ThrowsAsync<TenantScopeMissingException>(() => db.SaveChangesAsync());
        }
        Assert.Equal(["a1"], await TextsAsync("aarhus"));
    }

    private async Task AddAsync(string tenant, string text)
    {
        using var _ = TenantScope.Enter(tenant);
        await using var db = _contexts.CreateDbContext();
        db.Notes.Add(new Note { Text = text });
        await db.SaveChangesAsync();
    }

    private async Task<List<string>> TextsAsync(string tenant)
    {
        using var _ = TenantScope.Enter(tenant);
        await using var db = _contexts.CreateDbContext();
        return await db.Notes.OrderBy(n => n.Text).Select(n => n.Text).ToListAsync();
    }

    public void Dispose()
    {
        TenantScope.Fallback = _fallback;
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    public sealed class Note : ITenantOwned
    {
        public int Id { get; set; }
        public string TenantId { get; set; } = "";
        public required string Text { get; set; }
    }

    public sealed class NotesContext(DbContextOptions<NotesContext> options) : DbContext(options), ITenantFilteredContext
    {
        public DbSet<Note> Notes => Set<Note>();
        public string? CurrentTenantId => TenantScope.Current;

        protected override void OnModelCreating(ModelBuilder model)
        {
            model.Entity<Note>();
            model.ApplyTenantFilters(this);
        }
    }
}
