namespace Providers.OpenAiCompatible;

/// <summary>
/// Options of the <c>minimax</c> provider: <c>minimaxApiKey</c>, <c>minimaxBaseUrl</c>, <c>planModeApiModelId</c> / <c>actModeApiModelId</c>,
/// and <c>minimaxApiLine</c>: <c>china</c> for the mainland endpoint, otherwise the international one.
/// </summary>
public sealed class MiniMaxOptions : OpenAiCompatibleOptions
{
    /// <summary>The regional API line (setting <c>minimaxApiLine</c>): <c>china</c> or <c>international</c>.</summary>
    public string? ApiLine { get; set; }
}

/// <summary>
/// The <c>minimax</c> provider through MiniMax's OpenAI-compatible API (platform.minimax.io), on the international or
/// the mainland line. Quirks: the M2 models write their reasoning as <c>&lt;think&gt;…&lt;/think&gt;</c> in the text,
/// and MiniMax recommends a temperature of 1.0.
/// </summary>
[Provider("minimax", DisplayName = "MiniMax"), WithRetry]
public sealed partial class MiniMaxHandler(MiniMaxOptions options)
    : OpenAiCompatibleHandler<MiniMaxOptions>(International), IApiHandlerWithOverrides
{
    private static readonly OpenAiCompatibleProfile International =
        new("minimax", "https://api.minimax.io/v1", "MiniMax-M2.7", "minimax") { Temperature = 1.0, ThinkTags = true };

    private static readonly OpenAiCompatibleProfile China = International with { BaseUrl = new Uri("https://api.minimaxi.com/v1") };

    /// <inheritdoc/>
    protected override MiniMaxOptions Options => options;

    private protected override OpenAiCompatibleProfile Profile => OpenAiCompatible.ApiLine.IsChina(options.ApiLine) ? China : International;
}
