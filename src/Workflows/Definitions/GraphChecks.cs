namespace Exit.Workflows.Definitions;

/// <summary>Checks that need only the graph: duplicate ids, dangling connections, variable declarations.</summary>
internal static class GraphChecks
{
    public static List<DefinitionProblem> Structural(WorkflowGraph graph)
    {
        var problems = new List<DefinitionProblem>();
        var nodes = graph.Descendants().ToList();

        foreach (var group in nodes.GroupBy(n => n.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var users = string.Join(", ", group.Select(n => $"{n.Name ?? n.Type} ({n.Type}, node {n.NodeId})"));
            problems.Add(new DefinitionProblem(group.Key, null, DefinitionProblemCodes.DuplicateActivityId,
                $"Activity id '{group.Key}' is used by {group.Count()} activities: {users}. Activity ids must be unique in a workflow."));
        }

        foreach (var container in nodes.Where(n => n.Connections.Count > 0))
        {
            var ids = container.Activities.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var c in container.Connections)
            {
                var missing = new[] { ("source", c.SourceId), ("target", c.TargetId) }.Where(e => !ids.Contains(e.Item2)).ToList();
                foreach (var (end, activityId) in missing)
                {
                    problems.Add(new DefinitionProblem(container.Id, null, DefinitionProblemCodes.DanglingConnection,
                        $"The connection {c.SourceId}:{c.Outcome} → {c.TargetId} in {Describe(container)} points to {end} activity '{activityId}', which is not in that flowchart."));
                }
            }
        }

        var variableIds = new Dictionary<string, string>(StringComparer.Ordinal);
        CheckVariables(graph.Variables, "the workflow", null, variableIds, problems);
        foreach (var container in nodes.Where(n => n.Variables.Count > 0))
            CheckVariables(container.Variables, Describe(container), container.Id, variableIds, problems);

        return problems;
    }

    private static void CheckVariables(
        IReadOnlyList<VariableDefinition> variables, string scope, string? activityId,
        Dictionary<string, string> seenIds, List<DefinitionProblem> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in variables)
        {
            if (v.Id.Length == 0)
            {
                problems.Add(new DefinitionProblem(activityId, v.Name, DefinitionProblemCodes.MissingVariableId,
                    $"Variable '{v.Name}' of {scope} has no id; SetVariable and Variable expressions find variables by id."));
            }
            else if (!seenIds.TryAdd(v.Id, scope))
            {
                problems.Add(new DefinitionProblem(activityId, v.Name, DefinitionProblemCodes.DuplicateVariableId,
                    $"Variable '{v.Name}' of {scope} has id '{v.Id}', which is already used by a variable of {seenIds[v.Id]}."));
            }
            if (v.Name.Length > 0 && !names.Add(v.Name))
            {
                problems.Add(new DefinitionProblem(activityId, v.Name, DefinitionProblemCodes.DuplicateVariableName,
                    $"{char.ToUpperInvariant(scope[0])}{scope[1..]} declares the variable name '{v.Name}' more than once."));
            }
        }
    }

    /// <summary>"activity 'Cron1' (13658e4b3bfafaaf, Elsa.Cron)", or without the name when it has none.</summary>
    public static string Describe(ActivityNode node) =>
        string.IsNullOrEmpty(node.Name) || node.Name == node.Id
            ? $"activity '{node.Id}' ({node.Type})"
            : $"activity '{node.Name}' ({node.Id}, {node.Type})";
}
