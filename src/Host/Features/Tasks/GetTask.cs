using Exit.Activities.HumanTasks;
using MediatR;

namespace Exit.Host.Features.Tasks;

/// <summary>GET /api/tasks/{id}: the task with its form, outcome, data and assignment history.</summary>
public static class GetTask
{
    public sealed record Query(string Id) : IRequest<TaskDetails>;

    public sealed class Handler(TaskQueries queries) : IRequestHandler<Query, TaskDetails>
    {
        public async Task<TaskDetails> Handle(Query q, CancellationToken cancellationToken) =>
            await queries.GetAsync(q.Id, cancellationToken) ?? throw new TaskNotFoundException(q.Id);
    }
}
