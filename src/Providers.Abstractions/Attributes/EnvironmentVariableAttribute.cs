namespace Providers;

/// <summary>
/// The environment variable that tools (the <c>providers</c> command, for one) read this option from when neither a
/// command-line option nor the settings give it, for example <c>[EnvironmentVariable("ANTHROPIC_API_KEY")]</c>. Several
/// may be given; the first whose <see cref="WhenSet"/> holds is used. The generated descriptor carries them in
/// <see cref="SettingDescriptor.EnvironmentVariables"/>; the framework itself never reads the environment.
/// On an options class, with <see cref="Option"/>, it names the variable of an option the class inherits, for example
/// <c>[EnvironmentVariable("HF_TOKEN", Option = nameof(ApiKey))]</c>; those come before the property's own.
/// </summary>
/// <param name="name">The variable, for example <c>OPENAI_API_KEY</c>.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class EnvironmentVariableAttribute(string name) : Attribute
{
    /// <summary>The variable.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// Another option (its property name, <c>nameof(AzureApiVersion)</c>; text that names no bound property is taken as
    /// a settings key) whose setting must be set for this variable to apply; <see langword="null"/> for always.
    /// </summary>
    public string? WhenSet { get; set; }

    /// <summary>On an options class: the option (its property name, <c>nameof(ApiKey)</c>) the variable is for.</summary>
    public string? Option { get; set; }
}
