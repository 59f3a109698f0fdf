using Exit.Activities.Cti.Activities;
using Exit.Host.Features.Elsa.Descriptors;
using Exit.Workflows.Execution;

namespace Exit.Host.Tests.Cti;

/// <summary>What Elsa Studio gets for the CTI activities (contract §5.3): toolbox category, typed inputs with UI hints and options, flow ports.</summary>
public sealed class CtiDescriptorTests
{
    public static TheoryData<string> CtiTypes => new() { StartCtiCourse.TypeName, CtiPhase.TypeName, RaiseSupervision.TypeName, ScheduleEvaluation.TypeName, Handover.TypeName, EndCtiCourse.TypeName };

    private static ActivityDescriptor Find(string type) => new[]
    {
        StartCtiCourse.Descriptor, CtiPhase.Descriptor, RaiseSupervision.Descriptor, ScheduleEvaluation.Descriptor, Handover.Descriptor, EndCtiCourse.Descriptor,
    }.Single(d => d.TypeName == type);

    [Theory]
    [MemberData(nameof(CtiTypes))]
    public void Descriptor_HasTheMetadataStudioNeeds(string type)
    {
        var dto = ActivityDescriptorMapper.ToDto(Find(type));
        Assert.Equal("CTI", dto.Category);
        Assert.Equal("Exit", dto.Namespace);
        Assert.True(dto.IsBrowsable);
        Assert.False(string.IsNullOrWhiteSpace(dto.DisplayName));
        Assert.False(string.IsNullOrWhiteSpace(dto.Description));
        // A period can also end the course (the decision's other answers, an ending with a reason): CtiPhase's "Ended".
        Assert.Equal(type == "Exit.CtiPhase" ? ["Done", "Ended"] : ["Done"], dto.Ports.Select(p => p.Name));
        Assert.All(dto.Ports, p => Assert.Equal("Flow", p.Type));
        Assert.All(dto.Inputs, i =>
        {
            Assert.True(i.IsBrowsable && i.IsWrapped);
            Assert.False(string.IsNullOrWhiteSpace(i.TypeName));
            Assert.False(string.IsNullOrWhiteSpace(i.UiHint));
            if (i.UiHint is "dropdown" or "checklist") Assert.NotNull(i.UiSpecifications);
        });
    }

    [Fact]
    public void CtiPhase_OffersThePeriodsAndCadencesAsDropdowns_WithDefaults()
    {
        var dto = ActivityDescriptorMapper.ToDto(CtiPhase.Descriptor);
        var period = dto.Inputs.Single(i => i.Name == "Period");
        Assert.Equal("dropdown", period.UiHint);
        var items = period.UiSpecifications!["dropdown"]!["selectList"]!["items"]!.AsArray().Select(n => n!["value"]!.GetValue<string>());
        Assert.Equal(["ContactPeriod", "Phase1", "Phase2", "Phase3"], items);
        var cadence = dto.Inputs.Single(i => i.Name == "Cadence");
        Assert.Contains("EveryTwoWeeks", cadence.UiSpecifications!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(4, ActivityDescriptorMapper.ToDto(StartCtiCourse.Descriptor).Inputs.Single(i => i.Name == "PhaseLengthMonths").DefaultValue!.GetValue<int>());
        Assert.Equal("Monthly", ActivityDescriptorMapper.ToDto(RaiseSupervision.Descriptor).Inputs.Single(i => i.Name == "Cadence").DefaultValue!.GetValue<string>());
    }
}
