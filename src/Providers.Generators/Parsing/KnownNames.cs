namespace Providers.Generators.Parsing;

/// <summary>Metadata names of the framework types the generator and analyzers look for.</summary>
internal static class KnownNames
{
    public const string ProviderAttribute = "Providers.ProviderAttribute";
    public const string WithRetryAttribute = "Providers.WithRetryAttribute";
    public const string PerModeAttribute = "Providers.PerModeAttribute";
    public const string SettingKeyAttribute = "Providers.SettingKeyAttribute";
    public const string SettingIgnoreAttribute = "Providers.SettingIgnoreAttribute";
    public const string SecretAttribute = "Providers.SecretAttribute";
    public const string EnvironmentVariableAttribute = "Providers.EnvironmentVariableAttribute";
    public const string ProviderFactoryAttribute = "Providers.ProviderFactoryAttribute";
    public const string RequiredAttribute = "System.ComponentModel.DataAnnotations.RequiredAttribute";
    public const string ApiHandler = "Providers.IApiHandler";
    public const string ProviderOptions = "Providers.ProviderOptions";
    public const string ModelInfo = "Providers.ModelInfo";
    public const string ApiStreamChunk = "Providers.ApiStreamChunk";
    public const string JsonElement = "System.Text.Json.JsonElement";
    public const string EnumeratorCancellationAttribute = "System.Runtime.CompilerServices.EnumeratorCancellationAttribute";

    public const string CreateMessageMethod = "CreateMessageAsync";
    public const string CreateMessageCoreMethod = "CreateMessageCoreAsync";

    /// <summary>
    /// How every file of retry wrappers ends (one per namespace, <c>{Namespace}.Retries.g.cs</c>, or its parts
    /// <c>{Namespace}.{n}.Retries.g.cs</c> when it has many; see <c>RetryFiles</c>): the generator names
    /// them so, and the generator and analyzers recognise its own wrappers by it (<see cref="RetryRules.IsInGeneratedWrapper"/>).
    /// </summary>
    public const string RetryFileSuffix = ".Retries.g.cs";

    /// <summary>What stands for the global namespace in the name of its retry file.</summary>
    public const string GlobalNamespaceFileStem = "global";

    private const string HandlerSuffix = "Handler";

    /// <summary>A provider class name without its <c>Handler</c> suffix: <c>CustomProviderHandler</c> -> <c>CustomProvider</c>.</summary>
    public static string HandlerStem(string typeName) =>
        typeName.EndsWith(HandlerSuffix, System.StringComparison.Ordinal) && typeName.Length > HandlerSuffix.Length
            ? typeName.Substring(0, typeName.Length - HandlerSuffix.Length)
            : typeName;

    /// <summary>The name of the method a retry wrapper calls: <c>FooAsync</c> -> <c>FooCoreAsync</c>, <c>Foo</c> -> <c>FooCore</c>.</summary>
    public static string CoreMethodName(string methodName) =>
        methodName.EndsWith("Async", System.StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - "Async".Length) + "CoreAsync"
            : methodName + "Core";
}
