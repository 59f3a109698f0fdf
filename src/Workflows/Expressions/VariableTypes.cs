using Exit.Workflows.Definitions;

namespace Exit.Workflows.Expressions;

/// <summary>
/// The CLR type of a variable: its typeName resolved as the definitions module resolves it at publish time
/// (<see cref="VariableTypeNames"/>), made an array type when <c>isArray</c> is set.
/// </summary>
public static class VariableTypes
{
    /// <summary>The CLR type for a variable, or null when the type name is unknown (Elsa drops such variables).</summary>
    public static Type? Resolve(VariableDefinition variable)
    {
        var element = VariableTypeNames.Resolve(variable.TypeName);
        if (element is null) return null;
        return variable.IsArray ? element.MakeArrayType() : element;
    }
}
