using Providers.OpenAi;

namespace Providers.OpenAiCompatible;

/// <summary>Options of the <c>qwen-code</c> provider, under Cline's keys.</summary>
public sealed class QwenCodeOptions : ProviderOptions, IOpenAiCompatibleOptions
{
    /// <summary>
    /// The OAuth credentials file Qwen Code writes when it signs in (setting <c>qwenCodeOauthPath</c>); <c>~/</c> is the
    /// home folder. Default <c>~/.qwen/oauth_creds.json</c>. A refreshed token is written back to it.
    /// </summary>
    [SettingKey("qwenCodeOauthPath")] public string? OauthPath { get; set; }

    /// <summary>
    /// Replaces the base URL (setting <c>qwenCodeBaseUrl</c>), which otherwise comes from the credentials'
    /// <c>resource_url</c>, else <c>https://dashscope.aliyuncs.com/compatible-mode/v1</c>.
    /// </summary>
    [SettingKey("qwenCodeBaseUrl")] public Uri? BaseUrl { get; set; }

    /// <summary>Replaces Qwen's OAuth token endpoint <c>https://chat.qwen.ai/api/v1/oauth2/token</c> (setting <c>qwenCodeTokenUrl</c>).</summary>
    [SettingKey("qwenCodeTokenUrl")] public Uri? TokenUrl { get; set; }

    /// <summary>The model (settings <c>planModeApiModelId</c> / <c>actModeApiModelId</c>), default <c>qwen3-coder-plus</c>.</summary>
    [PerMode, SettingKey("apiModelId")] public string? ModelId { get; set; }

    string? IOpenAiCompatibleOptions.ApiKey => null;
}

/// <summary>
/// The <c>qwen-code</c> provider: Qwen's coding models with the account Qwen Code signed in with (OAuth, no API key),
/// as Cline uses it. The access token and the API's address come from Qwen Code's credentials file; an expired token
/// (or one the server refuses with 401, once) is refreshed with the refresh token and written back to the file.
/// Requests are OpenAI-compatible Chat Completions with <c>max_completion_tokens</c> at the model's limit, and
/// reasoning arrives as <c>&lt;think&gt;</c> tags or <c>reasoning_content</c>.
/// </summary>
[Provider("qwen-code", DisplayName = "Qwen Code"), WithRetry]
public sealed partial class QwenCodeHandler(QwenCodeOptions options)
    : OpenAiCompatibleHandler<QwenCodeOptions>(Declared), IApiHandlerWithOverrides
{
    private static readonly OpenAiCompatibleProfile Declared =
        new("qwen-code", QwenCodeCredentials.DefaultBaseUrl, "qwen3-coder-plus", "qwen-code") { ThinkTags = true };

    private readonly QwenCodeCredentials _credentials = new(options);

    /// <inheritdoc/>
    protected override QwenCodeOptions Options => options;

    private protected override bool RefreshesOnUnauthorized => true;

    private protected override async ValueTask<Access> AuthorizeAsync(Access? rejected, CancellationToken cancellationToken)
    {
        var (token, baseUrl) = await _credentials.GetAsync(rejected?.BearerToken, cancellationToken).ConfigureAwait(false);
        return new Access(options.BaseUrl is { } configured ? configured.GetLeftPart(UriPartial.Path).TrimEnd('/') : baseUrl, token);
    }

    private protected override void Customize(ChatCompletionsRequest request, ApiHandlerModel model, RequestOverrides overrides)
    {
        // Cline asks for the model's whole output limit, as max_completion_tokens.
        request.MaxCompletionTokens = request.MaxTokens ?? (model.Info.MaxTokens is > 0 and var max ? max : null);
        request.MaxTokens = null;
    }
}
