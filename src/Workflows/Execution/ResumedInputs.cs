using System.Runtime.CompilerServices;
using Exit.Workflows.Definitions;
using Exit.Workflows.Expressions;
using Exit.Workflows.State;

namespace Exit.Workflows.Execution;

/// <summary>
/// Whether a resume may leave a waiting activity's inputs unevaluated. A resume evaluates every declared input again (as
/// Elsa does) and records them in the Resumed journal row; when the stored document kept only the hash of the inputs as
/// journaled (<see cref="ActivityInstance.JournaledStateHash"/>), that evaluation serves only to find them equal to it, and
/// the rows then say "same state as before". For a node whose declared inputs are all literals (Literal or Object
/// expressions, or absent with their default) the evaluated state depends on the node alone, so its hash is remembered per
/// node the first time it is evaluated: a stored hash equal to it stands for the same evaluation, and the rows are the same
/// bytes. A different hash (an instance moved to another version by an alteration) evaluates as before.
/// </summary>
internal static class ResumedInputs
{
    private sealed record Entry(ActivityDescriptor Descriptor, string Hash);

    /// <summary>Nodes belong to cached definition versions; an entry goes with its node.</summary>
    private static readonly ConditionalWeakTable<ActivityNode, Entry> Hashes = new();

    /// <summary>True when evaluating the node's declared inputs would give the state whose hash is <paramref name="storedHash"/>.</summary>
    public static bool Vouch(ActivityNode node, ActivityDescriptor? descriptor, string storedHash) =>
        descriptor is not null
        && Hashes.TryGetValue(node, out var entry)
        && ReferenceEquals(entry.Descriptor, descriptor)
        && string.Equals(entry.Hash, storedHash, StringComparison.Ordinal);

    /// <summary>Remembers the hash of a state just evaluated from the node's declared inputs, when they are all literals.</summary>
    public static void Remember(ActivityNode node, ActivityDescriptor? descriptor, IExpressionEvaluator evaluator, System.Text.Json.Nodes.JsonObject state)
    {
        if (descriptor is null || Hashes.TryGetValue(node, out var known) && ReferenceEquals(known.Descriptor, descriptor)) return;
        if (!AllLiteral(node, descriptor, evaluator)) return;
        Hashes.AddOrUpdate(node, new Entry(descriptor, StateHash.Of(state)));
    }

    /// <summary>
    /// Every declared input is given as a Literal or Object expression, or not given (its default is used), and the evaluator
    /// is the runtime's own: its value then follows from the node's text alone.
    /// </summary>
    private static bool AllLiteral(ActivityNode node, ActivityDescriptor descriptor, IExpressionEvaluator evaluator)
    {
        if (evaluator is not ExpressionEvaluator) return false;
        foreach (var declared in descriptor.Inputs)
        {
            if (ActivityExecutionContext.FindInput(node, declared.Name) is { } input
                && input.ExpressionType is not (InputValue.Literal or InputValue.Object or ""))
                return false;
        }
        return true;
    }
}
