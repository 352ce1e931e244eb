namespace Providers;

/// <summary>
/// What is wrong with a provider's options, each problem under the settings key(s) its generated
/// <see cref="ProviderDescriptor"/> gives the property: a handler's constructor validates options built in code the same
/// way the binder validates settings, without writing the keys a second time.
/// </summary>
/// <example>
/// <code>
/// var problems = new OptionsProblems(ProvidersProviderFactories.OllamaDescriptor);
/// problems.AddIfBlank(nameof(OllamaOptions.ModelId), options.ModelId, "name an installed model, for example 'llama3.2'");
/// if (options.ContextSize &lt;= 0) problems.Add(nameof(OllamaOptions.ContextSize), "must be a positive number of tokens");
/// problems.ThrowIfAny();
/// </code>
/// </example>
/// <param name="descriptor">The provider's generated descriptor.</param>
public sealed class OptionsProblems(ProviderDescriptor descriptor)
{
    private readonly ProviderDescriptor _descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
    private List<SettingProblem>? _problems;

    /// <summary>The problems so far.</summary>
    public IReadOnlyList<SettingProblem> Problems => _problems ?? (IReadOnlyList<SettingProblem>)[];

    /// <summary>Records <paramref name="problem"/> under the key of <paramref name="propertyName"/> (both keys, <c>plan/act</c>, when per-mode).</summary>
    /// <param name="propertyName">The options property, as <c>nameof</c> gives it.</param>
    /// <param name="problem">What is wrong and what to do, for example <c>must be a positive number of tokens, not -1</c>.</param>
    /// <exception cref="ArgumentException">The descriptor has no setting for <paramref name="propertyName"/>.</exception>
    public void Add(string propertyName, string problem)
    {
        ArgumentNullException.ThrowIfNull(propertyName);
        ArgumentException.ThrowIfNullOrWhiteSpace(problem);
        (_problems ??= []).Add(new SettingProblem(KeyOf(propertyName), problem));
    }

    /// <summary>Records <c>missing: {whatToDo}</c> when <paramref name="value"/> is <see langword="null"/>, empty or white space.</summary>
    /// <param name="propertyName">The options property, as <c>nameof</c> gives it.</param>
    /// <param name="value">The property's value.</param>
    /// <param name="whatToDo">How to get a value, for example <c>set your API key (console.example.com)</c>.</param>
    public void AddIfBlank(string propertyName, string? value, string whatToDo)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(propertyName, "missing: " + whatToDo);
        }
    }

    /// <summary>Throws when a problem was recorded.</summary>
    /// <exception cref="ProviderConfigurationException">Lists every problem with its key.</exception>
    public void ThrowIfAny()
    {
        if (_problems is { Count: > 0 })
        {
            throw new ProviderConfigurationException(_descriptor.Id, _problems);
        }
    }

    private string KeyOf(string propertyName)
    {
        foreach (var setting in _descriptor.Settings)
        {
            if (setting.PropertyName == propertyName)
            {
                return setting.PerMode ? setting.PlanModeKey + "/" + setting.ActModeKey : setting.PlanModeKey;
            }
        }

        throw new ArgumentException($"Provider '{_descriptor.Id}' has no setting for property '{propertyName}'; pass the name of a bound options property.", nameof(propertyName));
    }
}
