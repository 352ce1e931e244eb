namespace Providers.Abstractions.Tests.Settings;

public class OptionsProblemsTests
{
    private static readonly ProviderDescriptor Descriptor = new(
        Id: "probe",
        DisplayName: "Probe",
        HandlerTypeName: "Probe.ProbeHandler",
        Settings:
        [
            new SettingDescriptor(PropertyName: "ApiKey", TypeName: "string", PerMode: false, Required: true, IsSecret: true, PlanModeKey: "probeApiKey", ActModeKey: "probeApiKey"),
            new SettingDescriptor(PropertyName: "ModelId", TypeName: "string", PerMode: true, Required: false, IsSecret: false, PlanModeKey: "planModeProbeModelId", ActModeKey: "actModeProbeModelId"),
        ]);

    [Fact]
    public void Problems_are_reported_together_under_the_descriptor_keys()
    {
        var problems = new OptionsProblems(Descriptor);
        problems.AddIfBlank("ApiKey", "  ", "set your key");
        problems.AddIfBlank("ModelId", "m", "name a model");
        problems.Add("ModelId", "must not contain spaces");

        var error = Assert.Throws<ProviderConfigurationException>(problems.ThrowIfAny);

        Assert.Equal("probe", error.ProviderId);
        Assert.Equal(["probeApiKey", "planModeProbeModelId/actModeProbeModelId"], error.Keys);
        Assert.Equal(["missing: set your key", "must not contain spaces"], error.Problems.Select(p => p.Problem));
    }

    [Fact]
    public void No_problem_throws_nothing()
    {
        var problems = new OptionsProblems(Descriptor);
        problems.AddIfBlank("ApiKey", "k", "set your key");

        problems.ThrowIfAny();

        Assert.Empty(problems.Problems);
    }

    [Fact]
    public void A_property_the_descriptor_does_not_bind_is_a_programming_error_that_names_it()
    {
        var error = Assert.Throws<ArgumentException>(() => new OptionsProblems(Descriptor).Add("Colour", "bad"));

        Assert.Contains("'Colour'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'probe'", error.Message, StringComparison.Ordinal);
    }
}
