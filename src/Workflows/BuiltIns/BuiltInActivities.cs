using Exit.Workflows.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Exit.Workflows.BuiltIns;

public static class BuiltInActivities
{
    /// <summary>Registers Elsa's built-in activities (descriptors and implementations).</summary>
    public static IServiceCollection AddBuiltInActivities(this IServiceCollection services)
    {
        services.AddActivityDescriptor(Flowchart.Descriptor);
        services.AddActivityDescriptor(FlowNode.Descriptor);
        services.AddActivityDescriptor(FlowJoin.Descriptor);
        services.AddActivity<Start>(Start.Descriptor);
        services.AddActivity<End>(End.Descriptor);
        services.AddActivity<Complete>(Complete.Descriptor);
        services.AddActivity<Finish>(Finish.Descriptor);
        services.AddActivity<Fault>(Fault.Descriptor);
        services.AddActivity<WriteLine>(WriteLine.Descriptor);
        services.AddActivity<SetVariable>(SetVariable.Descriptor);
        services.AddActivity<FlowDecision>(FlowDecision.Descriptor);
        services.AddActivity<FlowFork>(FlowFork.Descriptor);
        services.AddActivity<FlowSwitch>(FlowSwitch.Descriptor);
        services.AddActivity<Delay>(Delay.Descriptor);
        services.AddActivity<Timer>(Timer.Descriptor);
        services.AddActivity<StartAt>(StartAt.Descriptor);
        services.AddActivity<Cron>(Cron.Descriptor);
        services.AddActivity<Event>(Event.Descriptor);
        return services;
    }
}
