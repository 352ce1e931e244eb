using System.ComponentModel.DataAnnotations;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Providers;
using Providers.Http;

namespace QuickStart;

/// <summary>Options of the sample provider. The generator binds them from flat settings: keys below.</summary>
public sealed class CompatibleChatOptions : ProviderOptions
{
    /// <summary><c>compatibleChatBaseUrl</c>: where the OpenAI-compatible server is, version segment included.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:8080/v1");

    /// <summary><c>compatibleChatApiKey</c>: sent as a bearer token when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>planModeCompatibleChatModelId</c> / <c>actModeCompatibleChatModelId</c>.</summary>
    [PerMode, Required]
    public string ModelId { get; set; } = "";
}

/// <summary>
/// A provider a user might write: any server speaking OpenAI-style chat completions over SSE. The attributes are all
/// the registration there is; the generator writes the registry entry, the settings binder and the retrying
/// <c>CreateMessageAsync</c> around <see cref="CreateMessageCoreAsync"/>.
/// </summary>
[Provider("compatible-chat", DisplayName = "Compatible Chat")]
[WithRetry(MaxRetries = 3, BaseDelayMs = 500, MaxDelayMs = 4000)]
public sealed partial class CompatibleChatHandler(CompatibleChatOptions options) : IApiHandler
{
    public ApiHandlerModel GetModel() => new(options.ModelId, new ModelInfo { ContextWindow = 128_000 });

    private async IAsyncEnumerable<ApiStreamChunk> CreateMessageCoreAsync(
        string systemPrompt,
        IReadOnlyList<ChatMessage> messages,
        IReadOnlyList<ToolDefinition>? tools,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = ProviderHttp.JsonStreamPost(
            new Uri(options.BaseUrl.ToString().TrimEnd('/') + "/chat/completions"), Encoding.UTF8.GetBytes(RequestBody(systemPrompt, messages)));
        ProviderHttp.SetBearer(request, options.ApiKey);

        using var response = await ProviderHttp.SendAsync(
            ProviderHttp.ClientFor(options), request, "compatible-chat", options, secrets: [options.ApiKey], cancellationToken: cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);

        var toolCallIds = new Dictionary<int, (string Id, string Name)>();
        await foreach (var data in StreamReaders.ReadSseAsync(body, static (_, bytes) => bytes.ToArray(), "compatible-chat", options, cancellationToken))
        {
            if (data.AsSpan().SequenceEqual("[DONE]"u8))
            {
                yield break;
            }

            foreach (var chunk in Parse(data, toolCallIds))
            {
                yield return chunk;
            }
        }
    }

    private static List<ApiStreamChunk> Parse(byte[] data, Dictionary<int, (string Id, string Name)> toolCallIds)
    {
        var chunks = new List<ApiStreamChunk>();
        using var document = JsonDocument.Parse(data);
        var root = document.RootElement;
        if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0 && choices[0].TryGetProperty("delta", out var delta))
        {
            if (delta.TryGetProperty("reasoning", out var reasoning) && reasoning.GetString() is { Length: > 0 } thought)
            {
                chunks.Add(new ReasoningChunk(thought));
            }

            if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
            {
                chunks.Add(new TextChunk(text));
            }

            if (delta.TryGetProperty("tool_calls", out var calls))
            {
                foreach (var call in calls.EnumerateArray())
                {
                    var index = call.GetProperty("index").GetInt32();
                    var function = call.GetProperty("function");
                    if (call.TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } callId)
                    {
                        toolCallIds[index] = (callId, function.GetProperty("name").GetString() ?? "");
                    }

                    var (knownId, name) = toolCallIds[index];
                    chunks.Add(new ToolCallChunk(knownId, knownId, name, function.TryGetProperty("arguments", out var args) ? args.GetString() ?? "" : ""));
                }
            }
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            chunks.Add(new UsageChunk(
                usage.GetProperty("prompt_tokens").GetInt64(),
                usage.GetProperty("completion_tokens").GetInt64(),
                TotalCost: usage.TryGetProperty("cost", out var cost) ? cost.GetDecimal() : null));
        }

        return chunks;
    }

    private string RequestBody(string systemPrompt, IReadOnlyList<ChatMessage> messages)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", options.ModelId);
            json.WriteBoolean("stream", true);
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "system");
            json.WriteString("content", systemPrompt);
            json.WriteEndObject();
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("role", message.Role == ChatRole.User ? "user" : "assistant");
                json.WriteString("content", string.Concat(message.Content.OfType<TextBlock>().Select(b => b.Text)));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
