using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Exit.Workflows.Tenancy;

/// <summary>The one place an EF model gets its tenant filters: call it last in <c>OnModelCreating</c>.</summary>
public static class TenantModel
{
    /// <summary>
    /// Every entity that implements <see cref="ITenantOwned"/> gets a required, bounded tenant column and the query
    /// filter <c>row.TenantId == context.CurrentTenantId</c>. With no tenant in scope the filter matches nothing.
    /// </summary>
    public static void ApplyTenantFilters<TContext>(this ModelBuilder model, TContext context)
        where TContext : DbContext, ITenantFilteredContext
    {
        foreach (var entity in model.Model.GetEntityTypes())
        {
            if (!typeof(ITenantOwned).IsAssignableFrom(entity.ClrType) || entity.BaseType is not null) continue;

            model.Entity(entity.ClrType).Property(nameof(ITenantOwned.TenantId)).IsRequired().HasMaxLength(TenantIds.MaxLength);

            var row = Expression.Parameter(entity.ClrType, "row");
            var filter = Expression.Lambda(
                Expression.Equal(
                    Expression.Property(row, nameof(ITenantOwned.TenantId)),
                    Expression.Property(Expression.Constant(context, typeof(TContext)), nameof(ITenantFilteredContext.CurrentTenantId))),
                row);
            model.Entity(entity.ClrType).HasQueryFilter(filter);
        }
    }
}
