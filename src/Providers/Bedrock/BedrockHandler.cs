using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
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
/// </remarks>
[Provider("bedrock", DisplayName = "Amazon Bedrock")]
[WithRetry]
public sealed partial class BedrockHandler : IApiHandler
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
    private readonly string _modelId;
    private readonly BedrockModel _model;
    private readonly string _wireModelId;
    private readonly bool _oneMillionContext;
    private readonly string _region;
    private readonly Uri _uri;
    private readonly AwsCredentialSource? _credentials;

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
        _modelId = string.IsNullOrWhiteSpace(options.ModelId) ? BedrockModels.DefaultModelId : options.ModelId.Trim();
        _model = ResolveModel(options, _modelId);
        var prefixed = WireModelId(options, _modelId, _model, region);
        _oneMillionContext = !options.CustomSelected && prefixed.EndsWith(BedrockModels.OneMillionSuffix, StringComparison.OrdinalIgnoreCase);
        _wireModelId = _oneMillionContext ? prefixed[..^BedrockModels.OneMillionSuffix.Length] : prefixed;
        var root = options.BaseUrl is { } custom
            ? custom.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : $"https://bedrock-runtime.{region}.amazonaws.com";
        _uri = new Uri($"{root}/model/{Uri.EscapeDataString(_wireModelId)}/converse-stream");
        _credentials = authentication == AwsAuthentication.ApiKey ? null : AwsCredentialSource.From(ProviderId, options, authentication == AwsAuthentication.Profile);
    }

    /// <summary>The id sent to Bedrock: the model id with its cross-region prefix and without <c>:1m</c>.</summary>
    internal string WireModelIdForTests => _wireModelId;

    /// <inheritdoc />
    public ApiHandlerModel GetModel() => new(_modelId, _model.Info);

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(BuildBody(systemPrompt, messages, tools), BedrockJsonContext.Default.ConverseStreamRequest);
        using var request = new HttpRequestMessage(HttpMethod.Post, _uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        // A JSON or HTML page with status 200 (a gateway's error) is read as an error, not decoded as a broken event stream.
        request.Options.Set(ProviderHttp.ExpectsStream, true);
        string?[] secrets;
        if (_credentials is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey!.Trim());
            secrets = [_options.ApiKey];
        }
        else
        {
            var keys = await _credentials.GetAsync(cancellationToken).ConfigureAwait(false);
            SigV4.Sign(request, body, keys, _region, SigningService, _options.TimeProvider.GetUtcNow());
            secrets = [keys.SecretAccessKey, keys.SessionToken, _options.SecretKey, _options.SessionToken];
        }

        using var response = await ProviderHttp.SendAsync(
            ProviderHttp.ClientFor(_options), request, ProviderId, _options, BedrockErrors.Parse, secrets, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var decoder = new BedrockStreamDecoder(_model, ProviderId);
            var chunks = new List<ApiStreamChunk>(2);
            await foreach (var frame in EventStreamReader.ReadAsync(stream, ProviderId, _options, cancellationToken).ConfigureAwait(false))
            {
                chunks.Clear();
                decoder.Decode(frame, chunks);
                foreach (var chunk in chunks)
                {
                    yield return chunk;
                }
            }

            if (decoder.Stopped)
            {
                yield break;
            }
        }

        throw new ProviderException(
            ProviderId,
            $"The '{ProviderId}' stream was cut off: it ended without 'messageStop'. The connection was closed early; retrying usually works.",
            isRetryable: true)
        { ErrorType = "stream_cut_off" };
    }

    private ConverseStreamRequest BuildBody(string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var info = _model.Info;
        var family = Family(_options.CustomSelected && !string.IsNullOrWhiteSpace(_options.CustomModelBaseId) ? _options.CustomModelBaseId : _wireModelId);
        var cache = _options.UsePromptCache && info.SupportsPromptCache;
        var maxTokens = info.MaxTokens ?? (family == ModelFamily.Nova ? 5000 : 8192);
        InferenceConfig inference;
        AdditionalModelRequestFields? additional = null;
        if (family == ModelFamily.Claude)
        {
            var adaptive = IsAdaptiveThinkingModel(_wireModelId);
            ThinkingConfig? thinking = null;
            OutputConfig? output = null;
            if (adaptive)
            {
                var effort = AdaptiveEffort(_options.ReasoningEffort, _options.ThinkingBudgetTokens);
                if (effort is not null)
                {
                    thinking = new ThinkingConfig { Type = "adaptive" };
                    output = new OutputConfig { Effort = effort };
                }
            }
            else if (info.SupportsReasoning && _options.ThinkingBudgetTokens > 0)
            {
                thinking = new ThinkingConfig { Type = "enabled", BudgetTokens = Math.Min(_options.ThinkingBudgetTokens, maxTokens - 1) };
            }

            // Thinking needs temperature 1; adaptive-thinking models take none.
            inference = new InferenceConfig { MaxTokens = maxTokens, Temperature = adaptive ? null : thinking is null ? 0 : 1 };
            if (thinking is not null || _oneMillionContext)
            {
                additional = new AdditionalModelRequestFields
                {
                    Thinking = thinking,
                    OutputConfig = output,
                    AnthropicBeta = _oneMillionContext ? [BedrockModels.OneMillionBeta] : null,
                };
            }
        }
        else
        {
            inference = new InferenceConfig { MaxTokens = maxTokens, Temperature = 0 };
        }

        return new ConverseStreamRequest
        {
            Messages = BedrockMessageConverter.Messages(messages, cache),
            System = BedrockMessageConverter.System(systemPrompt, cache),
            InferenceConfig = inference,
            ToolConfig = BedrockMessageConverter.Tools(tools),
            AdditionalModelRequestFields = additional,
        };
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

    private enum ModelFamily
    {
        Claude,
        Nova,
        Other,
    }
}
