using System.Net.Http.Headers;
using System.Text.Json;
using Providers.Http;

namespace Providers.Bedrock;

/// <summary>
/// Streams from Amazon Bedrock's ConverseStream API (<c>POST /model/{modelId}/converse-stream</c>, answered in the
/// <c>application/vnd.amazon.eventstream</c> binary framing): Claude with extended or adaptive thinking and its
/// signatures, Amazon Nova, and the other Converse models; tool calls with streamed input; prompt caching with
/// <c>cachePoint</c> blocks; cross-region inference profiles; usage with cache reads and writes, priced.
/// </summary>
/// <remarks>
/// Requests are signed with SigV4 (service <c>bedrock</c>) using the credentials <see cref="AwsCredentialSource"/> finds,
/// or carry an Amazon Bedrock API key as a bearer token. Where Cline calls some model families through other operations
/// (Converse without streaming for OpenAI and Qwen models, InvokeModelWithResponseStream for DeepSeek R1), this
/// provider streams every model through ConverseStream, which Bedrock documents for all of them.
/// <para>
/// Per-request overrides (<see cref="SupportedOverrides"/> says which apply to this configuration):
/// <see cref="RequestOverrides.ModelId"/> replaces the model, resolved like a configured one (its limits and prices,
/// the cross-region prefix of the configured region, the <c>:1m</c> beta; an <c>arn:</c> id is sent unchanged);
/// <see cref="RequestOverrides.MaxOutputTokens"/> is sent as <c>inferenceConfig.maxTokens</c>;
/// <see cref="RequestOverrides.Temperature"/> as <c>inferenceConfig.temperature</c> (otherwise 0), listed only while
/// the configuration turns no thinking on and the model does not think adaptively;
/// <see cref="RequestOverrides.ReasoningEffort"/>, for Claude models that think, replaces the configured thinking:
/// <see cref="ReasoningEffort.None"/> turns it off, otherwise the budget of 1024, 4096, 16000 or 32000 tokens (below
/// <c>maxTokens</c>), or on the adaptive Opus models <c>output_config.effort</c> <c>low</c>, <c>medium</c>,
/// <c>high</c> or <c>xhigh</c>. A request that combines a temperature with thinking fails with an
/// <see cref="ArgumentException"/> that says which to drop.
/// </para>
/// </remarks>
[Provider("bedrock", DisplayName = "Amazon Bedrock")]
[WithRetry]
public sealed partial class BedrockHandler : IApiHandlerWithOverrides
{
    private const string ProviderId = "bedrock";
    private const string SigningService = "bedrock";

    /// <summary>Models with a <c>jp.</c> cross-region inference profile (Cline's list).</summary>
    private static readonly HashSet<string> JapanProfileModels = new(StringComparer.OrdinalIgnoreCase)
    {
        "anthropic.claude-sonnet-4-6",
        "anthropic.claude-sonnet-4-6:1m",
        "anthropic.claude-opus-4-6-v1",
        "anthropic.claude-opus-4-6-v1:1m",
        "anthropic.claude-sonnet-4-5-20250929-v1:0",
        "anthropic.claude-sonnet-4-5-20250929-v1:0:1m",
        "anthropic.claude-haiku-4-5-20251001-v1:0",
    };

    private static readonly string[] Efforts = ["none", "low", "medium", "high", "xhigh"];

    private readonly BedrockOptions _options;
    private readonly Target _target;
    private readonly string _region;
    private readonly string _root;
    private readonly AwsCredentialSource? _credentials;
    private readonly InFlightRequests _inFlight = new();

    /// <summary>The SigV4 key of the day's scope, derived once per day, secret, region and service rather than per request.</summary>
    private readonly SigningKeyCache _signingKeys = new();

    /// <summary>Creates the handler.</summary>
    /// <exception cref="ProviderConfigurationException">A setting is missing or invalid; every one is named.</exception>
    public BedrockHandler(BedrockOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<SettingProblem>();
        var region = string.IsNullOrWhiteSpace(options.Region) ? BedrockOptions.DefaultRegion : options.Region.Trim();
        if (region.AsSpan().ContainsAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-"))
        {
            problems.Add(new SettingProblem("awsRegion", $"'{region}' is not an AWS region name such as 'us-east-1' or 'eu-west-1'"));
        }

        var authentication = options.Authentication
            ?? (options.UseProfile ? AwsAuthentication.Profile
                : !string.IsNullOrWhiteSpace(options.ApiKey) && string.IsNullOrWhiteSpace(options.AccessKey) ? AwsAuthentication.ApiKey
                : AwsAuthentication.Credentials);
        if (authentication == AwsAuthentication.ApiKey && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            problems.Add(new SettingProblem("awsBedrockApiKey", "missing: awsAuthentication is 'apikey', so set an Amazon Bedrock API key (Bedrock console, API keys)"));
        }

        if (authentication == AwsAuthentication.Credentials && string.IsNullOrWhiteSpace(options.AccessKey) != string.IsNullOrWhiteSpace(options.SecretKey))
        {
            problems.Add(new SettingProblem(
                string.IsNullOrWhiteSpace(options.AccessKey) ? "awsAccessKey" : "awsSecretKey",
                "missing: set both awsAccessKey and awsSecretKey, or neither to use the AWS default credential chain"));
        }

        if (options.ThinkingBudgetTokens < 0)
        {
            problems.Add(new SettingProblem("planModeThinkingBudgetTokens/actModeThinkingBudgetTokens", $"must be 0 (off) or a positive number of tokens, not {options.ThinkingBudgetTokens}"));
        }

        if (options.BaseUrl is { } endpoint && endpoint.Scheme is not ("https" or "http"))
        {
            problems.Add(new SettingProblem("awsBedrockEndpoint", $"'{endpoint}' is not an http(s) URL"));
        }

        if (problems.Count > 0)
        {
            throw new ProviderConfigurationException(ProviderId, problems);
        }

        _options = options;
        _region = region;
        _root = options.BaseUrl is { } custom
            ? custom.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : $"https://bedrock-runtime.{region}.amazonaws.com";
        _target = TargetFor(string.IsNullOrWhiteSpace(options.ModelId) ? BedrockModels.DefaultModelId : options.ModelId.Trim(), options.CustomSelected);
        _credentials = authentication == AwsAuthentication.ApiKey ? null : AwsCredentialSource.From(ProviderId, options, authentication == AwsAuthentication.Profile);
    }

    /// <summary>The id sent to Bedrock: the model id with its cross-region prefix and without <c>:1m</c>.</summary>
    internal string WireModelIdForTests => _target.WireModelId;

    /// <summary>The calls holding an in-flight registration, for the tests that check every path releases it.</summary>
    internal int InFlightCountForTests => _inFlight.Count;

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_target.ModelId, _target.Model.Info);

    /// <summary>
    /// The model and the output limit; for a Claude model that thinks the reasoning effort; the temperature only while
    /// the configuration turns no thinking on and the model does not think adaptively. See the class remarks.
    /// </summary>
    public RequestOverrideKinds SupportedOverrides
    {
        get
        {
            var kinds = RequestOverrideKinds.ModelId | RequestOverrideKinds.MaxOutputTokens;
            var thinking = Thinking(_target, _target.Model.Info.MaxTokens ?? 8192, overrideEffort: null);
            if (_target.Family == ModelFamily.Claude && (_target.Adaptive || _target.Model.Info.SupportsReasoning))
            {
                kinds |= RequestOverrideKinds.ReasoningEffort;
            }

            if (thinking.TakesTemperature)
            {
                kinds |= RequestOverrideKinds.Temperature;
            }

            return kinds;
        }
    }

    /// <summary>Cancels the requests in flight: their streams end with <see cref="OperationCanceledException"/>, without a retry.</summary>
    public void Abort() => _inFlight.AbortAll();

    private IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        RequestOverrides overrides,
        CancellationToken cancellationToken) =>
        HttpStreamCall.Run(_inFlight, token => PrepareAsync(systemPrompt, messages, tools, overrides, token), cancellationToken);

    /// <summary>The request, signed with SigV4 or carrying the API key, and the reading of its event stream.</summary>
    private ValueTask<HttpStreamRequest> PrepareAsync(
        string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        overrides = overrides.Only(SupportedOverrides);
        var target = string.IsNullOrWhiteSpace(overrides.ModelId) ? _target : TargetFor(overrides.ModelId.Trim(), custom: overrides.ModelId.Trim().StartsWith("arn:", StringComparison.Ordinal));
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildBody(target, systemPrompt, messages, tools, overrides), BedrockJsonContext.Default.ConverseStreamRequest);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_root}/model/{Uri.EscapeDataString(target.WireModelId)}/converse-stream")) { Content = new ByteArrayContent(body) };
        try
        {
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

            // A JSON or HTML page with status 200 (a gateway's error) is read as an error, not decoded as a broken event stream.
            request.Options.Set(ProviderHttp.ExpectsStream, true);

            // AWS names the error type in x-amzn-ErrorType when the body does not carry __type.
            request.Options.Set(ProviderHttp.ErrorTypeHeader, "x-amzn-ErrorType");
            if (_credentials is null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey!.Trim());
                return new ValueTask<HttpStreamRequest>(StreamRequest(request, target, [_options.ApiKey]));
            }
        }
        catch
        {
            request.Dispose();
            throw;
        }

        return SignedAsync(request, body, target, _credentials, cancellationToken);
    }

    private async ValueTask<HttpStreamRequest> SignedAsync(HttpRequestMessage request, byte[] body, Target target, AwsCredentialSource credentials, CancellationToken cancellationToken)
    {
        try
        {
            var keys = await credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            SigV4.Sign(request, body, keys, _region, SigningService, _options.TimeProvider.GetUtcNow(), _signingKeys);
            return StreamRequest(request, target, [keys.SecretAccessKey, keys.SessionToken, _options.SecretKey, _options.SessionToken]);
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    private HttpStreamRequest StreamRequest(HttpRequestMessage request, Target target, string?[] secrets) =>
        new(request, ProviderId, _options, secrets, (body, token) => new ChunkStream(body, target.Model, _options, token)) { ParseError = BedrockErrors.Parse };

    /// <summary>The chunks of a ConverseStream body: its event-stream messages through a new <see cref="BedrockStreamDecoder"/>.</summary>
    private sealed class ChunkStream(Stream body, BedrockModel model, ProviderOptions options, CancellationToken token) : IAsyncEnumerable<ApiStreamChunk>
    {
        public IAsyncEnumerator<ApiStreamChunk> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            BedrockStreamDecoder.ReadEventStream(body, model, ProviderId, options, token);
    }

    /// <summary>The request body. Internal for request-shape tests.</summary>
    internal ConverseStreamRequest BuildBody(Target target, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools, RequestOverrides overrides)
    {
        var info = target.Model.Info;
        var cache = _options.UsePromptCache && info.SupportsPromptCache;
        var maxTokens = overrides.MaxOutputTokens ?? info.MaxTokens ?? (target.Family == ModelFamily.Nova ? 5000 : 8192);
        var thinking = Thinking(target, maxTokens, overrides.ReasoningEffort);
        if (overrides.Temperature is not null && !thinking.TakesTemperature)
        {
            throw Anthropic.AnthropicThinking.TemperatureRefused(target.WireModelId, thinks: thinking.Config is not null, nameof(overrides));
        }

        var oneMillionBeta = target.OneMillionContext && target.Family == ModelFamily.Claude;
        AdditionalModelRequestFields? additional = null;
        if (thinking.Config is not null || oneMillionBeta)
        {
            additional = new AdditionalModelRequestFields
            {
                Thinking = thinking.Config,
                OutputConfig = thinking.Effort is { } effort ? new OutputConfig { Effort = effort } : null,
                AnthropicBeta = oneMillionBeta ? [BedrockModels.OneMillionBeta] : null,
            };
        }

        return new ConverseStreamRequest
        {
            Messages = BedrockMessageConverter.Messages(messages, cache),
            System = BedrockMessageConverter.System(systemPrompt, cache),
            // Thinking needs temperature 1; adaptive-thinking models take none.
            InferenceConfig = new InferenceConfig
            {
                MaxTokens = maxTokens,
                Temperature = target.Adaptive ? null : thinking.Config is null ? overrides.Temperature ?? 0 : 1,
            },
            ToolConfig = BedrockMessageConverter.Tools(tools),
            AdditionalModelRequestFields = additional,
        };
    }

    /// <summary>The thinking of one request: the override's effort, else the configured budget or effort; Claude only.</summary>
    private (ThinkingConfig? Config, string? Effort, bool TakesTemperature) Thinking(Target target, int maxTokens, ReasoningEffort? overrideEffort)
    {
        if (target.Family != ModelFamily.Claude)
        {
            return (null, null, true);
        }

        if (target.Adaptive)
        {
            var effort = overrideEffort is { } e
                ? e switch { ReasoningEffort.None => null, ReasoningEffort.Low => "low", ReasoningEffort.Medium => "medium", ReasoningEffort.High => "high", _ => "xhigh" }
                : AdaptiveEffort(_options.ReasoningEffort, _options.ThinkingBudgetTokens);
            return effort is null ? (null, null, false) : (new ThinkingConfig { Type = "adaptive" }, effort, false);
        }

        var budget = overrideEffort is { } o ? Anthropic.AnthropicThinking.BudgetFor(o) : _options.ThinkingBudgetTokens;
        return target.Model.Info.SupportsReasoning && budget > 0
            ? (new ThinkingConfig { Type = "enabled", BudgetTokens = Math.Min(budget, maxTokens - 1) }, null, false)
            : (null, null, true);
    }

    /// <summary>What a model id resolves to: its table entry, the id sent (cross-region prefix, no <c>:1m</c>), its family.</summary>
    private Target TargetFor(string modelId, bool custom)
    {
        var options = custom == _options.CustomSelected ? _options : new BedrockOptions
        {
            CustomSelected = custom,
            CustomModelBaseId = custom ? _options.CustomModelBaseId : null,
            UseCrossRegionInference = _options.UseCrossRegionInference,
            UseGlobalInference = _options.UseGlobalInference,
        };
        var model = ResolveModel(options, modelId);
        var prefixed = WireModelId(options, modelId, model, _region);
        var oneMillion = !custom && prefixed.EndsWith(BedrockModels.OneMillionSuffix, StringComparison.OrdinalIgnoreCase);
        var wire = oneMillion ? prefixed[..^BedrockModels.OneMillionSuffix.Length] : prefixed;
        var family = Family(custom && !string.IsNullOrWhiteSpace(options.CustomModelBaseId) ? options.CustomModelBaseId : wire);
        return new Target(modelId, model, wire, oneMillion, family, family == ModelFamily.Claude && IsAdaptiveThinkingModel(wire));
    }

    private static BedrockModel ResolveModel(BedrockOptions options, string modelId)
    {
        if (options.CustomSelected)
        {
            // A custom model or ARN has the limits and prices of its base model, else the default model's (as Cline).
            return (string.IsNullOrWhiteSpace(options.CustomModelBaseId) ? null : BedrockModels.Find(options.CustomModelBaseId.Trim())) ?? BedrockModels.Default;
        }

        if (BedrockModels.Find(modelId) is { } known)
        {
            return known;
        }

        // Sent unchanged, never swapped for another model: the default's limits, and no prices so no invented cost.
        var fallback = BedrockModels.Default;
        return fallback with
        {
            Info = fallback.Info with
            {
                InputPrice = null,
                OutputPrice = null,
                CacheReadsPrice = null,
                CacheWritesPrice = null,
                Description = "A model this version does not know: limits are defaults and its prices are unknown.",
            },
            SupportsGlobalEndpoint = false,
        };
    }

    /// <summary>The model id with the cross-region inference prefix Cline computes from the region.</summary>
    internal static string WireModelId(BedrockOptions options, string modelId, BedrockModel model, string region)
    {
        if (options.CustomSelected || !options.UseCrossRegionInference)
        {
            return modelId;
        }

        if (model.SupportsGlobalEndpoint && options.UseGlobalInference)
        {
            return "global." + modelId;
        }

        return region.Length < 3 ? modelId : region[..3] switch
        {
            "us-" => "us." + modelId,
            "eu-" => "eu." + modelId,
            "ap-" => (JapanProfileModels.Contains(modelId) ? "jp." : "apac.") + modelId,
            _ => modelId, // No cross-region profile in this region: the model id as it is.
        };
    }

    internal static bool IsAdaptiveThinkingModel(string modelId)
    {
        var id = modelId.ToLowerInvariant();
        return new[] { "4-6", "4.6", "4-7", "4.7" }.Any(v => id.Contains($"claude-opus-{v}", StringComparison.Ordinal) || id.Contains($"claude-{v}-opus", StringComparison.Ordinal));
    }

    /// <summary>The effort of adaptive thinking, or <see langword="null"/> for off: the effort setting, else "high" when a budget is set.</summary>
    private static string? AdaptiveEffort(string? reasoningEffort, int budget)
    {
        if (!string.IsNullOrWhiteSpace(reasoningEffort))
        {
            var effort = reasoningEffort.Trim().ToLowerInvariant();
            effort = Efforts.Contains(effort) ? effort : "medium";
            return effort == "none" ? null : effort;
        }

        return budget > 0 ? "high" : null;
    }

    private static ModelFamily Family(string modelId) =>
        modelId.Contains("amazon.nova", StringComparison.OrdinalIgnoreCase) ? ModelFamily.Nova
        : modelId.Contains("openai", StringComparison.OrdinalIgnoreCase) || modelId.Contains("qwen", StringComparison.OrdinalIgnoreCase)
          || modelId.Contains("deepseek", StringComparison.OrdinalIgnoreCase) ? ModelFamily.Other
        : ModelFamily.Claude;

    /// <summary>One model a request goes to.</summary>
    internal sealed record Target(string ModelId, BedrockModel Model, string WireModelId, bool OneMillionContext, ModelFamily Family, bool Adaptive);

    internal enum ModelFamily
    {
        Claude,
        Nova,
        Other,
    }
}
