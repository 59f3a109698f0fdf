using Exit.Workflows.Definitions;
using Exit.Workflows.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Exit.Workflows.Tests.Definitions;

public sealed class DefinitionServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddWorkflowDefinitions_ResolvesAWorkingImporter()
    {
        var services = new ServiceCollection()
            .AddSingleton(TestRegistry.Create())
            .AddSingleton<IWorkflowDefinitionStore, InMemoryDefinitionStore>()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddWorkflowDefinitions();
        using var provider = services.BuildServiceProvider();

        var publisher = provider.GetRequiredService<DefinitionPublisher>();
        var result = await publisher.ImportAsync(DefinitionFixtures.Text("import-and-publish/cron-every-hour.json"));

        Assert.Equal(DefinitionImportStatus.Imported, result.Status);
        Assert.Same(publisher, provider.GetRequiredService<DefinitionPublisher>());
        Assert.NotNull(provider.GetRequiredService<DefinitionFolderImporter>());
    }
}
