using Exit.Activities.HumanTasks;
using Exit.Workflows.Execution;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Host.Tests.Tasks;

public sealed class TaskWiringTests : IAsyncLifetime
{
    private TaskApi _api = null!;

    public async Task InitializeAsync() => _api = await TaskApi.StartAsync();
    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public void AddHumanTasks_RegistersActivityParticipantAndServices()
    {
        var descriptor = Assert.Single(_api.Services.GetServices<ActivityDescriptor>(), d => d.TypeName == HumanTask.TypeName);
        Assert.Equal(typeof(HumanTask), descriptor.ActivityType);
        Assert.NotNull(_api.Services.GetRequiredService<HumanTask>());
        Assert.Single(_api.Services.GetServices<ICommitParticipant>().OfType<TaskCommitParticipant>());

        using var scope = _api.Services.CreateScope();
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<HumanTaskService>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<TaskQueries>());
        Assert.NotNull(new ActivityRegistry(_api.Services.GetServices<ActivityDescriptor>()).Find(HumanTask.TypeName, 1));
    }
}
