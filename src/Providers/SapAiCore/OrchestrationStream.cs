using System.Globalization;
using System.Net;
using System.Text.Json;
using Providers.Http;
using Providers.OpenAi;

namespace Providers.SapAiCore;

/// <summary>
/// Cline's orchestration mode: the request body of the orchestration service (<see cref="OrchestrationRequest"/>) and
/// the reader of its stream. The stream's <c>final_result</c> chunks are read as Chat Completions deltas: text, tool-call
/// fragments and the usage; an <c>error</c> event ends the stream with a <see cref="ProviderException"/>.
/// </summary>
internal static class OrchestrationStream
{
    private static readonly List<ToolCallDelta> NoToolCalls = [];

    private readonly record struct Item(OrchestrationStreamEvent? Event, bool Done, bool Malformed);

    /// <summary>
    /// The body Cline's SDK sends: the system prompt as the template's one message, the tools in the template, the model
    /// by name with usage asked for, and the conversation (Chat Completions messages) as history.
    /// </summary>
    public static OrchestrationRequest Body(string modelId, string systemPrompt, IReadOnlyList<ChatMessage> messages, IReadOnlyList<ToolDefinition>? tools)
    {
        var history = OpenAiMessageConverter.ToChatMessages(systemPrompt, "system", messages);
        var system = history[0];
        history.RemoveAt(0);
        return new OrchestrationRequest
        {
            Config = new OrchestrationConfig
            {
                Modules = new OrchestrationModules
                {
                    PromptTemplating = new PromptTemplatingModule
                    {
                        Model = new OrchestrationModel { Name = modelId },
                        Prompt = new OrchestrationPrompt { Template = [system], Tools = OpenAiHandler.ToWireTools(tools) },
                    },
                },
            },
            MessagesHistory = history,
        };
    }

    /// <summary>Reads the stream; it is complete at <c>data: [DONE]</c> or after a choice with a finish reason.</summary>
    /// <remarks>Not an iterator: each event is decoded by <see cref="Decoder"/> inside <see cref="DecodedChunkStream{TItem}"/>'s <c>MoveNextAsync</c>.</remarks>
    public static IAsyncEnumerable<ApiStreamChunk> ReadAsync(
        Stream body, string providerId, ProviderOptions options, ModelInfo modelInfo, CancellationToken cancellationToken) =>
        // An event's text and fragments leave before a failure later in the same event, as they did when this was an iterator.
        new DecodedSse<Item>(body, Parse, new Decoder(providerId, options, modelInfo), providerId, options, cancellationToken, deliverBeforeFailure: true);

    /// <summary>A <c>final_result</c>'s text, tool-call fragments and usage; <c>[DONE]</c> completes the stream, an <c>error</c> ends it.</summary>
    private sealed class Decoder(string providerId, ProviderOptions options, ModelInfo modelInfo) : IChunkDecoder<Item>
    {
        private readonly ToolCallAssembler _toolCalls = new(providerId);
        private bool _finished;

        public bool Completed { get; private set; }

        public void Decode(in Item item, List<ApiStreamChunk> output)
        {
            if (item.Done)
            {
                _finished = true;
                Completed = true;
                return;
            }

            if (item.Malformed)
            {
                throw OpenAiStreamErrors.Malformed(providerId, "orchestration");
            }

            if (item.Event is not { } e)
            {
                return;
            }

            if (e.Error is { ValueKind: JsonValueKind.Object or JsonValueKind.Array } error)
            {
                throw ErrorOf(providerId, options, error);
            }

            var chunk = e.FinalResult;
            foreach (var choice in chunk?.Choices ?? [])
            {
                if (choice.Delta is { } delta)
                {
                    if (!string.IsNullOrEmpty(delta.Content))
                    {
                        output.Add(new TextChunk(delta.Content));
                    }

                    foreach (var call in delta.ToolCalls ?? NoToolCalls)
                    {
                        if (_toolCalls.Accept(call) is { } toolCall)
                        {
                            output.Add(toolCall);
                        }
                    }
                }

                _finished |= !string.IsNullOrEmpty(choice.FinishReason);
            }

            if (chunk?.Usage is { } usage)
            {
                output.Add(ChatCompletionsStream.ToUsage(usage, modelInfo));
            }
        }

        public void Complete(List<ApiStreamChunk> output)
        {
            if (!_finished)
            {
                throw OpenAiStreamErrors.CutOff(providerId, "'data: [DONE]' or a finish reason");
            }
        }
    }

    /// <summary>
    /// An error the orchestration service reported (<c>{code, message, location}</c>, or a list of them, the first
    /// read): the code is the HTTP status it stands for, so 429 and 5xx are retryable; the message is redacted.
    /// </summary>
    internal static ProviderException ErrorOf(string providerId, ProviderOptions options, JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.Array)
        {
            error = error.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.Object);
        }

        int? code = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
        var message = Text(error, "message") ?? "no details";
        var location = Text(error, "location");
        var status = code is >= 400 and <= 599 ? (HttpStatusCode?)code : null;
        return new ProviderException(
            providerId,
            $"SAP AI Core's orchestration service reported an error{(code is null ? "" : " " + code.Value.ToString(CultureInfo.InvariantCulture))}"
            + $"{(location is null ? "" : " in " + ServerText.Clean(location, options.Secrets, 200))}: {ServerText.Clean(message, options.Secrets)}",
            status,
            isRetryable: status is null ? false : null)
        { ErrorType = ErrorTypeOf(code) };
    }

    /// <summary>
    /// The error type of an orchestration error code. The code is the server's, so the set is bounded: the HTTP statuses
    /// the service reports keep their own type (<c>orchestration_429</c>), any other code, and none, is
    /// <c>orchestration_error</c> (the message still names the code).
    /// </summary>
    internal static string ErrorTypeOf(int? code) => code switch
    {
        400 => "orchestration_400",
        401 => "orchestration_401",
        403 => "orchestration_403",
        404 => "orchestration_404",
        408 => "orchestration_408",
        409 => "orchestration_409",
        413 => "orchestration_413",
        422 => "orchestration_422",
        429 => "orchestration_429",
        500 => "orchestration_500",
        502 => "orchestration_502",
        503 => "orchestration_503",
        504 => "orchestration_504",
        _ => "orchestration_error",
    };

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Item Parse(string eventType, ReadOnlySpan<byte> data)
    {
        data = data.Trim((byte)' ');
        if (data.IsEmpty)
        {
            return default;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            return new Item(null, Done: true, Malformed: false);
        }

        try
        {
            return new Item(JsonSerializer.Deserialize(data, SapOrchestrationJsonContext.Default.OrchestrationStreamEvent), Done: false, Malformed: false);
        }
        catch (JsonException)
        {
            return new Item(null, Done: false, Malformed: true);
        }
    }
}
