namespace Providers.Generators.Models;

/// <summary>How a setting's text becomes the property's value; the names match <c>SettingsBinder</c> methods.</summary>
internal enum SettingKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Double,
    Decimal,
    Milliseconds,
    Url,
    Enum,
    StringMap,
    Json,
    ModelInfo,
}

/// <summary>One bound option property.</summary>
internal sealed record SettingModel(
    string PropertyName,
    SettingKind Kind,
    bool PerMode,
    bool Required,
    bool IsSecret,
    string PlanModeKey,
    string ActModeKey,
    string Description,
    EquatableArray<EnvironmentVariableModel> EnvironmentVariables);

/// <summary>An <c>[EnvironmentVariable]</c> of an option property, its condition resolved to a settings key.</summary>
internal sealed record EnvironmentVariableModel(string Name, string? WhenSettingSet);

/// <summary>A <c>[Provider]</c> class declared in the compilation.</summary>
internal sealed record ProviderModel(
    string Id,
    string DisplayName,
    string HandlerTypeName,
    string HandlerMetadataName,
    string OptionsTypeName,
    bool OptionsArePublic,
    string MemberStem,
    EquatableArray<SettingModel> Settings);

/// <summary>A provider declared in a referenced assembly, found through its <c>[assembly: ProviderFactory]</c>.</summary>
internal sealed record ReferencedProviderModel(string Id, string FactoryTypeName, string CreateMethod, string DescriptorProperty);

/// <summary>What the compilation itself contributes: its name and the providers its references declare.</summary>
internal sealed record CompilationModel(string AssemblyName, string FactoriesTypeName, EquatableArray<ReferencedProviderModel> ReferencedProviders);

/// <summary>How the retry wrapper calls its core method: which return shape it has.</summary>
internal enum RetryShape
{
    AsyncEnumerable,
    TaskOfT,
    ValueTaskOfT,
    Task,
    ValueTask,
}

/// <summary>A parameter of a retried method.</summary>
internal sealed record ParameterModel(string TypeName, string Name, bool IsCancellationToken, string? DefaultValue, bool IsEnumeratorCancellation);

/// <summary>
/// A <c>[WithRetry]</c> wrapper to emit: class-level (around <c>CreateMessageCoreAsync</c>) or on a partial method.
/// <paramref name="FileName"/> is the generated file it goes in (one per namespace); <paramref name="TypeName"/>
/// names its class in that file and orders the wrappers there. <paramref name="CoreOwner"/> is empty when the class
/// declares its Core, else the base class declaring it in cref form (<c>global::Ns.Base{T}</c>), for the documentation.
/// </summary>
internal sealed record RetryModel(
    string FileName,
    string TypeName,
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string MethodName,
    string CoreMethodName,
    string Modifiers,
    string ReturnType,
    string ElementType,
    RetryShape Shape,
    EquatableArray<ParameterModel> Parameters,
    bool IsClassLevel,
    bool IsStatic,
    string ProviderId,
    string? OptionsExpression,
    int MaxRetries,
    int BaseDelayMs,
    int MaxDelayMs,
    bool RetryAllErrors,
    string CoreOwner = "");

/// <summary>One generated file of retry wrappers: those of one namespace (or one part of a large one), ordered by class and method name.</summary>
internal sealed record RetryFileModel(string HintName, EquatableArray<RetryModel> Wrappers);
