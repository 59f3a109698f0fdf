namespace Exit.Host.Features.Elsa.Scripting;

/// <summary>
/// POST /elsa/api/scripting/javascript/type-definitions/{definitionId}: Studio's JavaScript editor asks for this
/// whenever it opens an input written in JavaScript (e.g. StartCtiCourse's <c>getInput("citizenId")</c>) and feeds
/// the answer to Monaco as declarations. Without it the request is a 404 in the browser console. The functions
/// declared are the ones <c>JavaScriptEvaluator</c> gives every script; keep the two in step.
/// </summary>
public static class JavaScriptTypeDefinitions
{
    public const string Declarations = """
        /** A workflow variable's value, or undefined when no variable has that name. */
        declare function getVariable(name: string): any;
        /** Sets a workflow variable, declaring it when it does not exist. */
        declare function setVariable(name: string, value: any): void;
        /** A workflow input (e.g. "citizenId"), or undefined when it was not given. */
        declare function getInput(name: string): any;
        declare function getWorkflowInstanceId(): string;
        declare function getCorrelationId(): string | null;
        declare function setCorrelationId(value: string | null): void;
        declare function isNullOrWhiteSpace(value: any): boolean;
        declare function toJson(value: any): string;
        declare function newGuid(): string;
        /** A copy of the workflow variables by name; assignments are written back when the script ends. */
        declare const variables: { [name: string]: any };
        """;

    public static RouteGroupBuilder MapScriptingEndpoints(this RouteGroupBuilder elsa)
    {
        elsa.MapPost("/scripting/javascript/type-definitions/{definitionId}", (string definitionId) =>
                TypedResults.Text(Declarations, "application/x-typescript"))
            .WithTags("Elsa scripting").WithName("JavaScriptTypeDefinitions");
        return elsa;
    }
}
