using System.Data;
using System.Data.Common;

namespace Exit.Workflows.Persistence;

/// <summary>
/// Declares a hand-written statement's typed parameters, in order, on a command or a batch command; values are bound
/// later by position (<see cref="CommitStatement"/>, <see cref="ReadStatement"/>, <see cref="CommitBatch"/>).
/// </summary>
public static class StatementParameters
{
    public static void Declare(DbParameterCollection target, Func<DbParameter> create, IReadOnlyList<(string Name, DbType Type)> parameters)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (name, type) in parameters)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.DbType = type;
            target.Add(parameter);
        }
    }
}
