using System.Data.Common;

namespace Exit.Workflows.Persistence.EntityFramework;

// Where a commit's row values go: the parameters of an ADO.NET command, or a row of a multi-row SQLite statement.
internal sealed partial class InstanceCommitWriter
{
    /// <summary>Column <c>i</c> of one row; the Bind* methods of <see cref="Statements"/> write every column through it.</summary>
    internal interface IRow
    {
        object? this[int column] { set; }
    }

    /// <summary>Values kept in an array from <paramref name="offset"/> on, to be bound later.</summary>
    private readonly struct ArrayRow(object?[] values, int offset) : IRow
    {
        public object? this[int column]
        {
            set => values[offset + column] = value;
        }
    }

    /// <summary>The command's parameters, by position.</summary>
    private readonly struct ParameterRow(DbParameterCollection parameters) : IRow
    {
        public object? this[int column]
        {
            set => parameters[column].Value = value;
        }
    }
}
