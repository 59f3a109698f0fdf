using System.Data;
using System.Data.Common;

namespace Exit.Workflows.Persistence;

/// <summary>Parameters of the hand-written SQL (timer and job claims, commit participants, the audit chain).</summary>
public static class DbCommandParameters
{
    /// <summary>
    /// Adds <paramref name="name"/> = <paramref name="value"/>. A null goes as a NULL of type text: without a type
    /// PostgreSQL cannot infer one for a parameter that is only ever NULL.
    /// </summary>
    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (value is null or string) parameter.DbType = DbType.String;
        command.Parameters.Add(parameter);
    }
}
