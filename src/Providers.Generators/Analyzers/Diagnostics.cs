using Microsoft.CodeAnalysis;

namespace Providers.Generators.Analyzers;

/// <summary>Every rule of the Providers analyzers: the single source of their ids, texts and severities.</summary>
internal static class Diagnostics
{
    public const string UsageCategory = "Providers.Usage";
    public const string RetryCategory = "Providers.Retry";
    public const string SettingsCategory = "Providers.Settings";

    public const string DuplicateProviderIdId = "PRV0001";
    public const string InvalidProviderIdId = "PRV0002";
    public const string MissingApiHandlerId = "PRV0003";
    public const string UnusableProviderClassId = "PRV0004";
    public const string NoOptionsConstructorId = "PRV0005";
    public const string OptionsNotCreatableId = "PRV0006";
    public const string RetryNotPartialId = "PRV0007";
    public const string RetryUnsupportedReturnTypeId = "PRV0008";
    public const string RetryMissingCoreId = "PRV0009";
    public const string RetryUserCreateMessageId = "PRV0010";
    public const string RetryImpossibleNumbersId = "PRV0011";
    public const string OptionUnsupportedTypeId = "PRV0012";
    public const string OptionNoSetterId = "PRV0013";
    public const string OptionKeyCollisionId = "PRV0014";
    public const string RetryOptionsUnreachableId = "PRV0015";
    public const string RetryCoreUnreachableId = "PRV0016";

    /// <summary>The property key under which PRV0002 carries the suggested id, for the code fix.</summary>
    public const string SuggestedIdProperty = "SuggestedId";

    public static readonly DiagnosticDescriptor DuplicateProviderId = Create(
        DuplicateProviderIdId,
        "Provider id is used more than once",
        "Provider id '{0}' is also used by {1}; give each provider a unique id",
        UsageCategory,
        DiagnosticSeverity.Error,
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor InvalidProviderId = Create(
        InvalidProviderIdId,
        "Provider id is not lower kebab-case",
        "Provider id '{0}' is not lower kebab-case; use lowercase letters, digits and single hyphens, for example '{1}'",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MissingApiHandler = Create(
        MissingApiHandlerId,
        "Provider class does not implement IApiHandler",
        "Provider class '{0}' does not implement Providers.IApiHandler; add it to the base list",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnusableProviderClass = Create(
        UnusableProviderClassId,
        "Provider class cannot be instantiated by generated code",
        "Provider class '{0}' is {1}; make it a non-generic, non-abstract, non-static class that is not nested in a private or protected scope",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NoOptionsConstructor = Create(
        NoOptionsConstructorId,
        "Provider class needs exactly one public constructor taking its options",
        "Provider class '{0}' needs exactly one public constructor whose only parameter derives from Providers.ProviderOptions; found {1}",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor OptionsNotCreatable = Create(
        OptionsNotCreatableId,
        "Options type cannot be created by generated code",
        "Options type '{0}' cannot be created by generated code: {1}; make it a concrete class with a public parameterless constructor and no required members",
        UsageCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RetryNotPartial = Create(
        RetryNotPartialId,
        "[WithRetry] needs a partial declaration",
        "[WithRetry] needs {0} to be declared partial; add the partial modifier",
        RetryCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RetryUnsupportedReturnType = Create(
        RetryUnsupportedReturnTypeId,
        "[WithRetry] method has an unsupported return type",
        "[WithRetry] cannot wrap a method returning '{0}'; return IAsyncEnumerable<T>, Task<T>, ValueTask<T>, Task or ValueTask",
        RetryCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RetryMissingCore = Create(
        RetryMissingCoreId,
        "[WithRetry] has no Core method to call",
        "[WithRetry] on '{0}' calls '{1}', which is missing; write '{1}' with {2}",
        RetryCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RetryUserCreateMessage = Create(
        RetryUserCreateMessageId,
        "[WithRetry] class declares CreateMessageAsync itself",
        "'{0}' has [WithRetry], so the generator writes CreateMessageAsync; rename this method to CreateMessageCoreAsync",
        RetryCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RetryImpossibleNumbers = Create(
        RetryImpossibleNumbersId,
        "[WithRetry] numbers are impossible",
        "[WithRetry] {0} = {1} is impossible; {2}",
        RetryCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor OptionUnsupportedType = Create(
        OptionUnsupportedTypeId,
        "Option property has a type settings cannot hold",
        "Option property '{0}' of type '{1}' cannot be bound from settings; use a supported type or mark it [SettingIgnore] and set it in code",
        SettingsCategory,
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor OptionNoSetter = Create(
        OptionNoSetterId,
        "Option property has a binding attribute but no public setter",
        "Option property '{0}' has a binding attribute but no public setter, so it is never bound; add a public setter or remove the attribute",
        SettingsCategory,
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor OptionKeyCollision = Create(
        OptionKeyCollisionId,
        "Two option properties read the same setting key",
        "Option property '{0}' reads setting key '{1}', which '{2}' also reads; give one of them a different [SettingKey]",
        SettingsCategory,
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor RetryOptionsUnreachable = Create(
        RetryOptionsUnreachableId,
        "Static [WithRetry] method cannot reach the options",
        "Static method '{0}' has [WithRetry], but its options '{1}' belong to an instance, so retries ignore their clock, RetryAfterCeiling and OnRetryAttempt; make the method an instance method or keep the options in a static member",
        RetryCategory,
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor RetryCoreUnreachable = Create(
        RetryCoreUnreachableId,
        "[WithRetry] cannot call its Core method",
        "[WithRetry] on '{0}' calls '{1}', but {2}; {3}",
        RetryCategory,
        DiagnosticSeverity.Error);

    public static string HelpLink(string id) => $"https://github.com/providers-dotnet/providers/blob/main/docs/diagnostics/{id}.md";

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, params string[] tags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLink(id), customTags: tags);
}
